"""Independent challenges on the pages (DOMAIN.md §5): the adjudicator's own account, a finding
keyed in with its adjudicator and evidence, and each refusal shown without storing anything."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from domain.actors import Actor
from domain.policy import DEFAULT_POLICY
from tests.scenarios import BARNET, MODERATOR, RI, ilacs_2023, officer, run_to_final_report
from tests.web.conftest import event_count

SECOND = Actor("mo.second", "moderator", "OFSTED")


def lodged(pages, judge=None):
    """A Barnet final report challenged on its leaders judgment; return the challenge id."""
    starts = pages.clock.day + timedelta(days=28)
    extra = {"judge": judge} if judge else {}
    inspection = run_to_final_report(
        pages.ledger, pages.clock, BARNET, starts, ilacs_2023(*[RI] * 5), **extra
    )
    return pages.ledger.lodge_challenge(
        officer(BARNET), inspection, "judgment", "leaders", "Misread", ["Audit"]
    )


def escalated(pages, challenge, decider=SECOND):
    pages.ledger.decide_challenge(decider, challenge, "partially upheld", "Partly", [])
    pages.ledger.escalate_challenge(officer(BARNET), challenge, "Not heard")
    return challenge


def with_adjudicator(pages, judge=None):
    return escalated(pages, lodged(pages, judge))


def test_the_adjudicator_sees_its_work_and_records_its_own_finding(pages):
    challenge = with_adjudicator(pages)
    pages.sign_in("adjudicator")
    assert f"/challenges/{challenge}" in pages.get("/work").text
    assert "Record the adjudicator" in pages.get(f"/challenges/{challenge}").text
    data = {"outcome": "not upheld", "recommendation": "Handled fairly"}
    path = f"/challenges/{challenge}/adjudicator"
    assert "Check your answers" in pages.post(path, data).text
    assert pages.post(path, data, "confirm").status_code == 302
    page = pages.get(f"/challenges/{challenge}").text
    assert "Handled fairly" in page and "ida.adjudicator" in page


# fmt: off
KEYED_IN = [
    pytest.param({"evidence": "ICASO letter 17"}, "adjudicator_name", "Name the adjudicator",
                 id="without the adjudicator's name"),
    pytest.param({"adjudicator_name": "ICASO"}, "evidence", "Cite the evidence",
                 id="without the evidence"),
]
# fmt: on


@pytest.mark.parametrize(("fields", "anchor", "message"), KEYED_IN)
def test_a_finding_keyed_in_without_name_or_evidence_is_an_error_on_that_field(
    pages, fields, anchor, message
):
    challenge = with_adjudicator(pages)
    pages.sign_in("third_moderator")
    before = event_count(pages)
    data = {"outcome": "not upheld", "recommendation": "Fair"} | fields
    response = pages.post(f"/challenges/{challenge}/adjudicator", data, "confirm")
    assert response.status_code == 422 and message in response.text
    assert f'href="#{anchor}"' in response.text
    assert event_count(pages) == before


def test_a_finding_keyed_in_with_name_and_evidence_is_recorded(pages):
    challenge = with_adjudicator(pages)
    pages.sign_in("third_moderator")
    data = {
        "outcome": "not upheld",
        "recommendation": "Fair",
        "adjudicator_name": "ICASO: R. Adjudicator",
        "evidence": "ICASO letter 17",
    }
    assert pages.post(f"/challenges/{challenge}/adjudicator", data, "confirm").status_code == 302
    page = pages.get(f"/challenges/{challenge}").text
    assert "ICASO: R. Adjudicator" in page and "ICASO letter 17" in page


def test_the_moderator_who_made_the_judgment_may_not_key_in_the_finding(pages):
    challenge = with_adjudicator(pages, judge=MODERATOR)
    pages.sign_in("moderator")
    before = event_count(pages)
    data = {"outcome": "not upheld", "recommendation": "Fair", "adjudicator_name": "ICASO",
            "evidence": "Letter"}  # fmt: skip
    response = pages.post(f"/challenges/{challenge}/adjudicator", data, "confirm")
    assert response.status_code == 403 and "judgment they made" in response.text
    assert event_count(pages) == before


def test_the_internal_review_is_refused_to_the_moderator_of_the_formal_review(pages, monkeypatch):
    era = DEFAULT_POLICY.challenge_eras[0]  # formal review, internal review, adjudicator
    monkeypatch.setattr(pages.ledger, "policy", replace(DEFAULT_POLICY, challenge_eras=(era,)))
    challenge = escalated(pages, lodged(pages), decider=MODERATOR)
    pages.sign_in("moderator")
    before = event_count(pages)
    data = {"outcome": "not upheld", "reasons": "Sound"}
    response = pages.post(f"/challenges/{challenge}/decide", data, "confirm")
    assert response.status_code == 403 and "formal review" in response.text
    assert event_count(pages) == before
    pages.sign_in("second_moderator")
    assert pages.post(f"/challenges/{challenge}/decide", data, "confirm").status_code == 302
