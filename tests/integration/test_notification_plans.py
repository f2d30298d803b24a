"""Action plans: a reminder two working days before the plan is due, and a message to the
council and the inspectorate's moderators when it was not submitted by then."""

from __future__ import annotations

from datetime import timedelta

from domain.working_days import add_working_days
from tests.integration.conftest import BASE, notify_once
from tests.scenarios import (
    BARKING,
    challengeable_report,
    officer,
    publish_after_window,
    register_councils,
)

OLU, MO, IAN = "olu@barking.example", "mo@ofsted.example", "ian@ofsted.example"


def published(ledger, clock):
    register_councils(ledger)
    inspection = challengeable_report(ledger, clock)
    publish_after_window(ledger, clock, inspection)
    plan = ledger.action_plan(officer(BARKING), inspection)
    return inspection, plan.due_on


def _day(value) -> str:
    return f"{value.day} {value:%B %Y}"


def test_the_council_is_reminded_on_the_day_and_told_when_the_plan_is_missed(
    ledger, clock, notifier, inbox
):
    inspection, due = published(ledger, clock)
    notify_once(notifier, ledger)
    day = add_working_days(due, -2)
    clock.advance_to(day - timedelta(days=1))
    before = len(inbox.to(OLU))
    notify_once(notifier, ledger)
    assert len(inbox.to(OLU)) == before  # never before the day

    clock.advance_to(day)
    notify_once(notifier, ledger)
    assert inbox.subjects(OLU)[-1] == f"Barking and Dagenham: action plan due by {_day(due)}"
    assert f"{BASE}/inspections/{inspection}/action-plan" in inbox.to(OLU)[-1].get_content()

    clock.advance_to(due)
    notify_once(notifier, ledger)
    assert "not submitted" not in inbox.subjects(OLU)[-1]
    clock.advance_to(due + timedelta(days=1))
    notify_once(notifier, ledger)
    missed = f"Barking and Dagenham: action plan not submitted by {_day(due)}"
    assert inbox.subjects(OLU)[-1] == missed and inbox.subjects(MO)[-1] == missed
    assert missed not in inbox.subjects(IAN)


def test_a_submitted_plan_is_neither_reminded_nor_missed(ledger, clock, notifier, inbox):
    inspection, due = published(ledger, clock)
    ledger.submit_action_plan(officer(BARKING), inspection, "What we will do")
    clock.advance_to(due + timedelta(days=1))

    notify_once(notifier, ledger)

    assert not [s for s in inbox.subjects(OLU) if "action plan" in s]
    assert inbox.subjects(MO)[-1] == "Barking and Dagenham submitted its action plan"


def test_an_action_is_reminded_and_missed_unless_it_is_complete(ledger, clock, notifier, inbox):
    inspection, _ = published(ledger, clock)
    due = add_working_days(clock.day, 10)
    add = (officer(BARKING), inspection, "help_and_protection", "", "Audit cases", "Jo")
    first = ledger.add_action(*add, due)
    second = ledger.add_action(*add, due)
    ledger.complete_action(officer(BARKING), inspection, second, [])
    notify_once(notifier, ledger)
    clock.advance_to(add_working_days(due, -2) - timedelta(days=1))
    notify_once(notifier, ledger)
    assert not [s for s in inbox.subjects(OLU) if "action A" in s]

    clock.advance_to(add_working_days(due, -2))
    notify_once(notifier, ledger)
    reminder = f"Barking and Dagenham: action {first} due by {_day(due)}"
    assert [s for s in inbox.subjects(OLU) if "action A" in s] == [reminder]
    clock.advance_to(due + timedelta(days=1))
    notify_once(notifier, ledger)
    missed = f"Barking and Dagenham: action {first} not complete by {_day(due)}"
    assert [s for s in inbox.subjects(OLU) if "action A" in s] == [reminder, missed]
    assert [s for s in inbox.subjects(MO) if "action A" in s] == [missed]
