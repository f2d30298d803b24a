"""Ending an inspection early: what can be withdrawn, and which challenges close with it."""

from __future__ import annotations

from datetime import date

import pytest

from domain import inspection as states
from domain.actors import Actor
from domain.challenge import NOT_UPHELD, UPHELD, Challenge
from domain.errors import LifecycleError, NoReportToWithdraw, PermissionDenied
from domain.policy import DEFAULT_POLICY
from tests.unit import builders as build
from tests.unit.builders import INSPECTOR, MODERATOR, OFFICER, cases, inspection_at, new_events

ON = date(2030, 1, 7)
OTHER_MODERATOR = Actor("may.moderator", "moderator", "OFSTED")  # made none of the judgments

# fmt: off
WITHDRAWALS = cases(
    ("a scheduled inspection has no report to withdraw", states.SCHEDULED, None, NoReportToWithdraw),
    ("nor one on site", states.ON_SITE, None, NoReportToWithdraw),
    ("nor one with judgments made", states.JUDGMENTS_MADE, None, NoReportToWithdraw),
    ("nor one with only a draft", states.DRAFT_ISSUED, None, NoReportToWithdraw),
    ("a final report can be withdrawn", states.FINAL_ISSUED, None, None),
    ("a published one only by an upheld challenge", states.PUBLISHED, None, LifecycleError),
    ("which may withdraw it", states.PUBLISHED, "c1", None),
)
# fmt: on


@pytest.mark.parametrize(("stage", "challenge_id", "refusal"), WITHDRAWALS)
def test_only_an_inspection_with_a_report_can_be_withdrawn(stage, challenge_id, refusal):
    inspection = inspection_at(stage)
    if refusal is None:
        inspection.withdraw(MODERATOR, "Evidence lost", ON, challenge_id)
        assert inspection.status == states.WITHDRAWN
    else:
        with pytest.raises(refusal):
            inspection.withdraw(MODERATOR, "Evidence lost", ON, challenge_id)
        assert new_events(inspection) == [] and inspection.status == stage


def lodged(starts_on: date = build.STARTS_2025):
    inspection = inspection_at(states.FINAL_ISSUED, starts_on)
    challenge = Challenge.lodge(
        OFFICER, inspection, "report", "", "Misread", [], inspection.final_report_on, DEFAULT_POLICY
    )
    inspection.open_challenge(OFFICER, str(challenge.id))
    inspection.collect_events()
    return inspection, challenge


@pytest.mark.parametrize("end", ["cancel", "withdraw"])
def test_ending_an_inspection_notes_its_open_challenges_resolved_first(end):
    inspection, challenge = lodged()
    getattr(inspection, end)(MODERATOR, "Flood", ON)
    assert inspection.open_challenges == []
    assert new_events(inspection)[0] == "ChallengeResolved"


def decided(outcome: str, starts_on: date) -> Challenge:
    inspection, challenge = lodged(starts_on)
    challenge.decide(OTHER_MODERATOR, inspection, outcome, "Done", [], ON)
    return challenge


# fmt: off
OPEN = cases(
    ("a challenge under review is open", lambda: lodged()[1], True),
    ("so is one not upheld that may go further", lambda: decided(NOT_UPHELD, build.STARTS_2025), True),
    ("but not one upheld", lambda: decided(UPHELD, build.STARTS_2025), False),
)
# fmt: on


@pytest.mark.parametrize(("make", "is_open"), OPEN)
def test_which_challenges_are_still_open(make, is_open):
    assert make().is_open is is_open


def test_a_closed_challenge_records_who_closed_it_when_and_why():
    inspection, challenge = lodged(build.STARTS_2022)
    challenge.collect_events()
    challenge.close(MODERATOR, inspection, "The inspection was cancelled", ON)
    [event] = challenge.collect_events()
    assert type(event).__name__ == "Closed" and challenge.status == "closed"
    assert challenge.steps[-1] == {
        "step": "closed",
        "stage": "formal_review",
        "by": MODERATOR.user,
        "on": ON,
        "reasons": "The inspection was cancelled",
    }
    with pytest.raises(LifecycleError, match="already closed"):
        challenge.close(MODERATOR, inspection, "Again", ON)


def test_only_the_lead_moderator_closes_a_challenge():
    inspection, challenge = lodged()
    with pytest.raises(PermissionDenied):
        challenge.close(INSPECTOR, inspection, "No", ON)
