"""A graded inspection's whole life, stored and reloaded, on every backend."""

from __future__ import annotations

from datetime import date

import pytest

from domain.events import JudgmentInput, Narrative
from domain.inspection import PUBLISHED
from domain.rules import OVERALL

GOOD, RI, INADEQUATE = "Good", "Requires improvement to be good", "Inadequate"


@pytest.fixture
def council(ledger, admin):
    ledger.register_council(admin, "E09000002", "Barking and Dagenham", {"region": "London"})
    return "E09000002"


def ilacs_2026_judgments(grade=GOOD):
    areas = ("leaders", "help_and_protection", "children_in_care", "care_leavers")
    return [JudgmentInput(a, grade, Narrative(recommendations=[f"Improve {a}"])) for a in areas]


def test_a_standard_inspection_runs_from_schedule_to_publication_and_challenge(
    ledger, clock, council, inspector, moderator, officer
):
    clock.advance_to(date(2026, 11, 2))
    inspection_id = ledger.schedule_inspection(inspector, council, "standard", date(2026, 11, 16))
    clock.advance_to(date(2026, 11, 16))
    ledger.start_on_site(inspector, inspection_id)
    ledger.record_finding(
        inspector,
        inspection_id,
        "OFSTED",
        "Thresholds are applied well",
        Narrative(strengths=["Front door"]),
    )
    ledger.record_judgments(inspector, inspection_id, ilacs_2026_judgments())
    ledger.complete_judgments(inspector, inspection_id)
    clock.advance_to(date(2026, 12, 14))
    ledger.issue_draft(inspector, inspection_id)
    ledger.comment_on_draft(officer, inspection_id, "Paragraph 4 names the wrong service")
    clock.advance_to(date(2026, 12, 22))
    ledger.issue_final_report(moderator, inspection_id)
    clock.advance_to(date(2027, 1, 6))
    plan_id = ledger.publish(moderator, inspection_id)

    inspection = ledger.inspection(officer, inspection_id)
    assert inspection.status == PUBLISHED
    assert inspection.published_on == date(2027, 1, 6)
    assert inspection.framework_key == "ilacs_2026"
    assert OVERALL not in inspection.judgments
    plan = ledger.action_plan(officer, inspection_id)
    assert plan.id == plan_id
    assert plan.recommendations == [
        f"Improve {a}"
        for a in ("leaders", "help_and_protection", "children_in_care", "care_leavers")
    ]
    names = [type(e).__name__ for e in ledger.events_of(inspection_id)]
    assert names == [
        "Scheduled",
        "OnSiteStarted",
        "FindingRecorded",
        "JudgmentRecorded",
        "JudgmentRecorded",
        "JudgmentRecorded",
        "JudgmentRecorded",
        "JudgmentsMade",
        "DraftIssued",
        "FactualAccuracyCommented",
        "FinalReportIssued",
        "Published",
    ]
