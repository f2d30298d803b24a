"""Independent challenges through /api/v1 (DOMAIN.md §5): each refusal names its rule, and a
missing field is named in the problem's `errors`; nothing is stored."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from domain import limits
from domain.policy import DEFAULT_POLICY
from tests.api.conftest import Api
from tests.scenarios import BARKING, MODERATOR, RI, challengeable_report, ilacs_2023
from tests.scenarios import run_to_final_report as final_report_of

BEFORE_2023 = DEFAULT_POLICY.challenge_eras[0]  # formal, then internal review, then ICASO


def lodge(api: Api, inspection: str) -> str:
    response = api.change(
        f"/inspections/{inspection}/challenges",
        f"/inspections/{inspection}",
        {"subject": "judgment", "reference": "leaders", "grounds": "Misread", "evidence": []},
        role="officer",
    )
    assert response.status_code == 201, response.json
    return response.json["id"]


def decide(api: Api, challenge: str, role: str, outcome: str = "not upheld"):
    path = f"/challenges/{challenge}"
    return api.change(path + "/decision", path, {"outcome": outcome, "reasons": "Sound"}, role)


def escalate(api: Api, challenge: str) -> None:
    path = f"/challenges/{challenge}"
    assert api.change(path + "/escalation", path, {"grounds": "No"}, "officer").status_code == 200


def recommend(api: Api, challenge: str, role: str, **fields):
    path = f"/challenges/{challenge}"
    body = {"outcome": "not upheld", "recommendation": "None"} | fields
    return api.change(path + "/adjudicator-recommendation", path, body, role)


@pytest.fixture
def with_adjudicator(api: Api, clock) -> str:
    challenge = lodge(api, str(challengeable_report(api.ledger, clock)))
    assert decide(api, challenge, "second_moderator").status_code == 200
    escalate(api, challenge)
    return challenge


def test_the_internal_review_by_the_moderator_of_the_formal_review_is_refused_403(
    api: Api, clock, monkeypatch
) -> None:
    monkeypatch.setattr(
        api.ledger, "policy", replace(DEFAULT_POLICY, challenge_eras=(BEFORE_2023,))
    )
    challenge = lodge(api, str(challengeable_report(api.ledger, clock)))
    decide(api, challenge, "moderator", "partially upheld")
    escalate(api, challenge)
    version = api.get(f"/challenges/{challenge}").headers["ETag"]

    refused = decide(api, challenge, "moderator")

    assert refused.status_code == 403 and refused.json["rule"] == "review-not-independent"
    assert "formal review" in refused.json["detail"]
    assert api.get(f"/challenges/{challenge}").headers["ETag"] == version
    assert decide(api, challenge, "second_moderator").status_code == 200


def test_an_adjudicator_account_records_its_finding(api: Api, with_adjudicator: str) -> None:
    recorded = recommend(api, with_adjudicator, "adjudicator")

    assert recorded.status_code == 200 and recorded.json["status"] == "closed"
    assert recorded.json["steps"][-1]["adjudicator"] == "ida.adjudicator"


# fmt: off
KEYED_IN = [
    pytest.param({"evidence": ["ICASO letter 17"]}, "adjudicator_name",
                 "adjudicator-name-required", id="without the adjudicator's name"),
    pytest.param({"adjudicator_name": "ICASO"}, "evidence", "adjudicator-evidence-required",
                 id="without the evidence"),
]
# fmt: on


@pytest.mark.parametrize(("fields", "missing", "rule"), KEYED_IN)
def test_a_finding_keyed_in_by_a_moderator_without_name_or_evidence_is_refused_422(
    api: Api, with_adjudicator: str, fields: dict, missing: str, rule: str
) -> None:
    version = api.get(f"/challenges/{with_adjudicator}").headers["ETag"]

    refused = recommend(api, with_adjudicator, "third_moderator", **fields)

    assert refused.status_code == 422 and refused.json["rule"] == rule
    assert [e["field"] for e in refused.json["errors"]] == [missing]
    assert api.get(f"/challenges/{with_adjudicator}").headers["ETag"] == version


def test_a_finding_keyed_in_with_name_and_evidence_is_recorded(
    api: Api, with_adjudicator: str
) -> None:
    recorded = recommend(
        api, with_adjudicator, "third_moderator", adjudicator_name="ICASO", evidence=["Letter 17"]
    )

    assert recorded.status_code == 200
    step = recorded.json["steps"][-1]
    assert (step["adjudicator"], step["evidence"], step["by"]) == (
        "ICASO",
        ["Letter 17"],
        "mo.third",
    )


def test_an_adjudicator_name_beyond_its_limit_is_refused_422_naming_the_field(
    api: Api, with_adjudicator: str
) -> None:
    too_long = "x" * (limits.ADJUDICATOR_NAME.max_length + 1)

    refused = recommend(api, with_adjudicator, "adjudicator", adjudicator_name=too_long)

    assert refused.status_code == 422
    assert {e["field"] for e in refused.json["errors"]} == {"adjudicator_name"}


def test_the_moderator_who_made_the_judgment_may_not_key_in_the_finding_403(
    api: Api, clock
) -> None:
    judgments = ilacs_2023(RI, RI, RI, RI, RI)
    inspection = final_report_of(
        api.ledger, clock, BARKING, date(2026, 1, 12), judgments, MODERATOR
    )
    challenge = lodge(api, str(inspection))
    decide(api, challenge, "second_moderator")
    escalate(api, challenge)

    refused = recommend(
        api, challenge, "moderator", adjudicator_name="ICASO", evidence=["Letter 17"]
    )

    assert refused.status_code == 403 and refused.json["rule"] == "review-not-independent"
    assert "judgment they made" in refused.json["detail"]
