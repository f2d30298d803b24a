"""The scheduling page offers the concerns kept as intelligence on the council, to record
the one that brings a visit forward."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from domain.actors import Actor
from domain.commands.concerns import RaisedConcern
from domain.concern import Concern, reference_of
from domain.inspection import Inspection
from tests.scenarios import BARNET, CAMDEN
from tests.web.conftest import event_count
from tests.web.test_inspectorate_pages import _date

INSPECTOR = Actor("ian.inspector", "inspector", "OFSTED")


def intelligence(pages, council: str = CAMDEN, link: bool = True) -> str:
    """A parent's concern about the council, kept as intelligence on its record; its id."""
    ledger = pages.ledger
    raised = RaisedConcern(council, "", "parent_or_carer", "", "", "No reply for months")
    concern = ledger.raise_concern(raised)
    ledger.acknowledge_concern(INSPECTOR, concern)
    if link:
        ledger.link_concern(INSPECTOR, concern, "")
    return str(concern)


def answers(pages, concern: str) -> dict[str, str]:
    starts = pages.clock.day + timedelta(days=28 - pages.clock.day.weekday())
    return {"type": "focused_visit", **_date("starts_on", starts), "reason_concern": concern}


def test_the_form_offers_the_councils_intelligence_and_records_the_visit_it_brings_forward(pages):
    concern = intelligence(pages)
    elsewhere = intelligence(pages, BARNET)
    not_kept = intelligence(pages, link=False)
    pages.sign_in("inspector")
    form = pages.get(f"/inspections/new/{CAMDEN}").text
    assert f'value="{concern}"' in form and reference_of(UUID(concern)) in form
    assert elsewhere not in form and not_kept not in form
    check = pages.post(f"/inspections/new/{CAMDEN}", answers(pages, concern))
    assert check.status_code == 200 and "Brought forward by" in check.text
    before = event_count(pages)
    done = pages.post(f"/inspections/new/{CAMDEN}", answers(pages, concern), step="confirm")
    assert (
        done.status_code == 302 and event_count(pages) == before + 2
    )  # Scheduled, and on the concern
    (forward,) = pages.ledger.events_of_type(Concern.BroughtForward)
    scheduled = list(pages.ledger.events_of_type(Inspection.Scheduled))[-1]
    assert str(forward.originator_id) == concern and forward.inspection_id == str(
        scheduled.originator_id
    )


def test_a_concern_not_offered_is_refused_with_an_error_summary_and_nothing_stored(pages):
    not_kept = intelligence(pages, link=False)
    pages.sign_in("inspector")
    before = event_count(pages)
    for value in (not_kept, "not-a-concern", "x" * 5000):
        response = pages.post(f"/inspections/new/{CAMDEN}", answers(pages, value), step="confirm")
        assert response.status_code == 400 and "govuk-error-summary" in response.text
        assert 'href="#reason_concern"' in response.text
        assert "Choose a concern from the list" in response.text
    assert event_count(pages) == before


def test_a_partner_inspectorate_is_offered_no_concern(pages):
    concern = intelligence(pages)
    pages.sign_in("cqc_inspector")
    form = pages.get(f"/inspections/new/{CAMDEN}")
    assert concern not in form.text and 'name="reason_concern"' not in form.text
