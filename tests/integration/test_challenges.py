"""Challenges across the Inspection and Challenge aggregates, stored, on every backend."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.actors import Actor
from domain.challenge import NOT_UPHELD, PARTIALLY_UPHELD, UPHELD
from domain.errors import LifecycleError, NotFound, PermissionDenied, PublicationWithheld
from domain.events import JudgmentInput
from domain.inspection import PUBLISHED, WITHDRAWN, Inspection
from domain.working_days import add_working_days

COUNCIL = "E09000002"
GOOD, RI = "Good", "Requires improvement to be good"
OTHER_OFFICER = Actor("oti.officer", "council_officer", "E08000025")
OTHER_MODERATOR = Actor("may.moderator", "moderator", "OFSTED")
ADJUDICATOR = Actor("ida.adjudicator", "adjudicator", "ICASO")
STARTS_2022, STARTS_2025 = date(2022, 3, 7), date(2025, 3, 3)


@pytest.fixture
def council(ledger, admin):
    ledger.register_council(admin, COUNCIL, "Barking and Dagenham", {"region": "London"})
    ledger.register_council(admin, "E08000025", "Birmingham", {"region": "West Midlands"})
    return COUNCIL


def grades(framework_key: str, leaders: str = RI) -> list[JudgmentInput]:
    areas = ["help_and_protection", "children_in_care", "overall"]
    if framework_key == "ilacs_2023":
        areas.append("care_leavers")
    return [JudgmentInput("leaders", leaders), *(JudgmentInput(a, GOOD) for a in areas)]


def final_report(ledger, clock, starts_on, judge, moderator) -> Inspection:
    """Take a standard inspection to its final report; the judgments are `judge`'s."""
    clock.advance_to(starts_on - timedelta(days=14))
    inspection_id = ledger.schedule_inspection(judge, COUNCIL, "standard", starts_on)
    clock.advance_to(starts_on)
    ledger.start_on_site(judge, inspection_id)
    framework_key = ledger.inspection(judge, inspection_id).framework_key
    ledger.record_judgments(judge, inspection_id, grades(framework_key))
    ledger.complete_judgments(judge, inspection_id)
    clock.advance_to(starts_on + timedelta(days=35))
    ledger.issue_draft(judge, inspection_id)
    clock.advance_to(add_working_days(ledger.inspection(judge, inspection_id).comments_due, 1))
    ledger.issue_final_report(moderator, inspection_id)
    return ledger.inspection(moderator, inspection_id)


def lodge(ledger, officer, inspection, reference="leaders", subject="judgment"):
    return ledger.lodge_challenge(
        officer,
        inspection.id,
        subject,
        reference,
        "The grade ignores the audit",
        ["Audit of 40 cases"],
    )


def event_names(ledger, aggregate_id) -> list[str]:
    return [type(e).__name__ for e in ledger.events_of(aggregate_id)]


def test_an_upheld_challenge_revises_a_judgment_and_the_log_keeps_the_original(
    ledger, clock, council, inspector, moderator, officer
):
    inspection = final_report(ledger, clock, STARTS_2025, inspector, moderator)
    challenge_id = lodge(ledger, officer, inspection)
    ledger.decide_challenge(
        moderator,
        challenge_id,
        UPHELD,
        "Audit shows better practice",
        ["Audit of 40 cases"],
        revisions={"leaders": GOOD},
    )

    events = ledger.events_of(inspection.id)
    [original] = [
        e for e in events if type(e).__name__ == "JudgmentRecorded" and e.area == "leaders"
    ]
    [revised] = [e for e in events if type(e).__name__ == "JudgmentRevised"]
    assert (original.grade, original.actor) == (RI, inspector)
    assert (revised.area, revised.previous_grade, revised.grade) == ("leaders", RI, GOOD)
    assert (revised.challenge_id, revised.actor) == (str(challenge_id), moderator)
    assert events.index(original) < events.index(revised)
    assert event_names(ledger, inspection.id)[-3:] == [
        "ChallengeOpened",
        "ChallengeResolved",
        "JudgmentRevised",
    ]
    assert ledger.inspection(officer, inspection.id).grades()["leaders"] == GOOD
    challenge = ledger.challenge(officer, challenge_id)
    assert [s["step"] for s in challenge.steps] == ["lodged", "decided"]
    assert (challenge.outcome, challenge.revisions) == (UPHELD, {"leaders": GOOD})
    assert challenge.steps[-1]["evidence"] == ["Audit of 40 cases"]


def test_an_upheld_challenge_may_withdraw_a_published_report(
    ledger, clock, council, inspector, moderator, officer
):
    inspection = final_report(ledger, clock, STARTS_2022, inspector, moderator)
    ledger.publish(moderator, inspection.id)
    challenge_id = lodge(ledger, officer, inspection, subject="report", reference="")
    ledger.decide_challenge(
        moderator, challenge_id, UPHELD, "Evidence base unsound", [], withdraw_report=True
    )
    withdrawn = ledger.inspection(officer, inspection.id)
    assert (withdrawn.status, withdrawn.ended_reason) == (WITHDRAWN, "Evidence base unsound")
    assert ledger.events_of(inspection.id)[-1].challenge_id == str(challenge_id)


def test_from_2023_a_formal_challenge_withholds_publication_until_it_is_decided(
    ledger, clock, council, inspector, moderator, officer
):
    inspection = final_report(ledger, clock, STARTS_2025, inspector, moderator)
    challenge_id = lodge(ledger, officer, inspection)
    clock.advance_to(date(2025, 5, 6))
    with pytest.raises(PublicationWithheld, match="open challenge"):
        ledger.publish(moderator, inspection.id)
    ledger.decide_challenge(moderator, challenge_id, NOT_UPHELD, "Grade stands", [])
    assert ledger.publish(moderator, inspection.id) is not None
    assert ledger.inspection(officer, inspection.id).status == PUBLISHED


def test_before_2023_a_challenge_is_reviewed_twice_before_the_adjudicator(
    ledger, clock, council, inspector, moderator, officer
):
    inspection = final_report(ledger, clock, STARTS_2022, inspector, moderator)
    ledger.publish(moderator, inspection.id)  # publication does not wait before 2023
    challenge_id = lodge(ledger, officer, inspection)
    # the internal review goes to a moderator other than the one who decided the formal review
    for outcome, decider in ((NOT_UPHELD, moderator), (PARTIALLY_UPHELD, OTHER_MODERATOR)):
        ledger.decide_challenge(decider, challenge_id, outcome, "Reviewed", [])
        ledger.escalate_challenge(officer, challenge_id, "The review missed our evidence")
    stages = [s["stage"] for s in ledger.challenge(officer, challenge_id).steps]
    assert stages == [
        "formal_review",
        "formal_review",
        "internal_review",
        "internal_review",
        "adjudicator",
    ]
    assert_the_adjudicator_recommends_without_revising(
        ledger, moderator, officer, inspection, challenge_id
    )


def test_from_2023_escalation_goes_straight_to_the_adjudicator(
    ledger, clock, council, inspector, moderator, officer
):
    inspection = final_report(ledger, clock, STARTS_2025, inspector, moderator)
    challenge_id = lodge(ledger, officer, inspection)
    ledger.decide_challenge(moderator, challenge_id, NOT_UPHELD, "Grade stands", [])
    ledger.escalate_challenge(officer, challenge_id, "The review missed our evidence")
    assert ledger.challenge(officer, challenge_id).stage == "adjudicator"
    assert_the_adjudicator_recommends_without_revising(
        ledger, moderator, officer, inspection, challenge_id
    )


def assert_the_adjudicator_recommends_without_revising(
    ledger, moderator, officer, inspection, challenge_id
):
    with pytest.raises(LifecycleError, match="adjudicator stage"):
        ledger.decide_challenge(
            moderator, challenge_id, UPHELD, "ICASO", [], revisions={"leaders": GOOD}
        )
    ledger.record_adjudicator_recommendation(
        ADJUDICATOR, challenge_id, UPHELD, "Apologise for the handling"
    )
    assert event_names(ledger, challenge_id)[-1] == "AdjudicatorRecommended"
    assert "JudgmentRevised" not in event_names(ledger, inspection.id)
    assert ledger.inspection(officer, inspection.id).grades()["leaders"] == RI


def test_a_moderator_who_made_the_judgment_may_not_decide_its_challenge(
    ledger, clock, council, moderator, officer
):
    inspection = final_report(ledger, clock, STARTS_2025, moderator, moderator)
    challenge_id = lodge(ledger, officer, inspection)
    with pytest.raises(PermissionDenied, match="judgment they made"):
        ledger.decide_challenge(
            moderator, challenge_id, UPHELD, "Mine", [], revisions={"leaders": GOOD}
        )
    assert event_names(ledger, challenge_id) == ["Lodged"]
    ledger.decide_challenge(OTHER_MODERATOR, challenge_id, NOT_UPHELD, "Grade stands", [])
    assert ledger.challenge(officer, challenge_id).steps[-1]["by"] == OTHER_MODERATOR.user


def test_a_council_can_neither_see_nor_challenge_another_council_s_inspection(
    ledger, clock, council, inspector, moderator, officer
):
    inspection = final_report(ledger, clock, STARTS_2025, inspector, moderator)
    before = event_names(ledger, inspection.id)
    with pytest.raises(NotFound, match="No inspection is recorded"):
        lodge(ledger, OTHER_OFFICER, inspection)
    assert event_names(ledger, inspection.id) == before
    with pytest.raises(NotFound, match="No inspection is recorded"):
        ledger.inspection(OTHER_OFFICER, inspection.id)
    challenge_id = lodge(ledger, officer, inspection)
    with pytest.raises(NotFound, match="No challenge is recorded"):
        ledger.challenge(OTHER_OFFICER, challenge_id)
    with pytest.raises(NotFound):
        ledger.escalate_challenge(OTHER_OFFICER, challenge_id, "Not ours")


def test_withdrawing_a_report_closes_an_escalated_challenge_and_keeps_a_settled_one(
    ledger, clock, council, inspector, moderator, officer
):
    inspection = final_report(ledger, clock, STARTS_2022, inspector, moderator)
    escalated = lodge(ledger, officer, inspection)
    settled = lodge(ledger, officer, inspection, reference="children_in_care")
    ledger.decide_challenge(OTHER_MODERATOR, escalated, NOT_UPHELD, "Sound", [])
    ledger.escalate_challenge(officer, escalated, "The review ignored the audit")
    ledger.decide_challenge(
        OTHER_MODERATOR, settled, UPHELD, "Agreed", [], {"children_in_care": RI}
    )

    ledger.withdraw_inspection(moderator, inspection.id, "The evidence base was lost")

    assert ledger.inspection(moderator, inspection.id).status == WITHDRAWN
    assert ledger.challenge(moderator, escalated).status == "closed"
    assert ledger.challenge(moderator, escalated).steps[-1]["reasons"] == "The report was withdrawn"
    assert ledger.challenge(moderator, settled).status == "decided"  # upheld: nothing open
    [closing] = [e for e in ledger.events_of(escalated) if type(e).__name__ == "Closed"]
    assert (closing.actor, closing.on) == (moderator, clock.day)
