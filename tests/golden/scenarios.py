"""The golden story: every kind of event the domain records, told through the real commands.

To cover a new event class, add a step here (or a new function in STORIES) and run
`python -m tests.golden.generate` to write the next version's files.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from domain.actors import Actor
from domain.services import Ledger
from tests.scenarios import (
    ADMIN,
    AGENCY,
    BARKING,
    BARNET,
    GOOD,
    INSPECTOR,
    RI,
    Story,
    ilacs_2023,
    officer,
    run_to_final_report,
    tell_story,
)

SECOND_MODERATOR = Actor("mo.second", "moderator", "OFSTED")
NORTHAMPTONSHIRE = "E10000021"


def abolish_a_council(ledger: Ledger, clock, story: Story) -> None:
    """A county registered and abolished by reorganisation (Council.Abolished)."""
    details = {"region_name": "East Midlands", "council_type": "County Council"}
    ledger.register_council(ADMIN, NORTHAMPTONSHIRE, "Northamptonshire", details)
    ledger.abolish_council(ADMIN, NORTHAMPTONSHIRE, date(2021, 4, 1), ["E06000061", "E06000062"])


def cancel_an_inspection(ledger: Ledger, clock, story: Story) -> None:
    """An inspection scheduled, then cancelled before fieldwork (Inspection.Cancelled)."""
    starts_on = clock.day + timedelta(days=28)
    inspection = ledger.schedule_inspection(INSPECTOR, BARNET, "standard", starts_on)
    ledger.cancel_inspection(
        SECOND_MODERATOR, inspection, "Council asked to defer for a cyber incident"
    )


def take_a_challenge_to_the_adjudicator(ledger: Ledger, clock, story: Story) -> None:
    """A challenge not upheld, escalated and closed by the adjudicator (Challenge.Escalated,
    Challenge.AdjudicatorRecommended)."""
    starts_on = clock.day + timedelta(days=35)
    inspection = run_to_final_report(
        ledger, clock, BARNET, starts_on, ilacs_2023(GOOD, GOOD, RI, GOOD, GOOD)
    )
    challenge = ledger.lodge_challenge(
        officer(BARNET), inspection, "judgment", "children_in_care", "Care plans were missed", []
    )
    clock.advance_to(clock.day + timedelta(days=3))
    ledger.decide_challenge(
        SECOND_MODERATOR, challenge, "not upheld", "The sample was representative", []
    )
    ledger.escalate_challenge(officer(BARNET), challenge, "The sample left out care plans")
    clock.advance_to(clock.day + timedelta(days=20))
    ledger.record_adjudicator_recommendation(
        SECOND_MODERATOR, challenge, "partially upheld", "Explain the sampling in the report"
    )


def cancel_an_inspection_with_an_open_challenge(ledger: Ledger, clock, story: Story) -> None:
    """A challenged final report cancelled: its challenge closes with it (Challenge.Closed)."""
    starts_on = clock.day + timedelta(days=35)
    inspection = run_to_final_report(
        ledger, clock, BARKING, starts_on, ilacs_2023(RI, RI, RI, RI, RI)
    )
    ledger.lodge_challenge(officer(BARKING), inspection, "report", "", "The team left early", [])
    ledger.cancel_inspection(SECOND_MODERATOR, inspection, "Fieldwork to be repeated")


def complete_an_action_plan(ledger: Ledger, clock, story: Story) -> None:
    """Barking's plan: its action completed, then the plan (ActionPlan.ActionCompleted,
    ActionPlan.Completed)."""
    ledger.complete_action(officer(BARKING), story.revised, "A1", ["Placement review report"])
    ledger.complete_action_plan(officer(BARKING), story.revised)


def close_a_setting(ledger: Ledger, clock, story: Story) -> None:
    """The private fostering agency of the shared story (Setting.Registered, DetailsChanged)
    deregistered (Setting.Closed)."""
    ledger.close_setting(ADMIN, AGENCY, clock.day, "Deregistered at the provider's request")


STORIES: tuple[Callable[[Ledger, object, Story], None], ...] = (
    abolish_a_council,
    cancel_an_inspection,
    take_a_challenge_to_the_adjudicator,
    cancel_an_inspection_with_an_open_challenge,
    complete_an_action_plan,
    close_a_setting,
)


def tell_golden_story(ledger: Ledger, clock) -> None:
    """The shared story, then each golden addition in order."""
    story = tell_story(ledger, clock)
    for step in STORIES:
        step(ledger, clock, story)
