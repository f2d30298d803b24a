"""Reminders two working days before a deadline, withdrawn when the deadline no longer stands."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from domain.working_days import add_working_days
from tests.integration.conftest import notify_once
from tests.scenarios import (
    BARKING,
    BARNET,
    INSPECTOR,
    MODERATOR,
    challengeable_report,
    ilacs_2018,
    ilacs_2023,
    officer,
    register_councils,
    run_to_final_report,
)

OLU = "olu@barking.example"
RI = "Requires improvement to be good"


def draft_issued(ledger, clock) -> UUID:
    """A Barking inspection whose draft report is issued and not yet commented on."""
    register_councils(ledger)
    starts = date(2026, 1, 12)
    clock.advance_to(starts - timedelta(days=21))
    inspection = ledger.schedule_inspection(INSPECTOR, BARKING, "standard", starts)
    clock.advance_to(starts)
    ledger.start_on_site(INSPECTOR, inspection)
    ledger.record_judgments(INSPECTOR, inspection, ilacs_2023(RI, RI, RI, RI, RI))
    ledger.complete_judgments(INSPECTOR, inspection)
    clock.advance_to(starts + timedelta(days=21))
    ledger.issue_draft(INSPECTOR, inspection)
    return inspection


def reminder_day(ledger, inspection: UUID, deadline: str) -> date:
    found = getattr(ledger.inspection(officer(BARKING), inspection), deadline)
    return add_working_days(found, -2)


def test_the_council_is_reminded_two_working_days_before_comments_are_due(
    ledger, clock, notifier, inbox
):
    inspection = draft_issued(ledger, clock)
    day = reminder_day(ledger, inspection, "comments_due")
    notify_once(notifier, ledger)
    clock.advance_to(day - timedelta(days=1))
    notify_once(notifier, ledger)
    assert len(inbox.to(OLU)) == 2  # the notice and the draft
    clock.advance_to(day)

    notify_once(notifier, ledger)

    due = ledger.inspection(officer(BARKING), inspection).comments_due
    assert inbox.subjects(OLU)[2] == (
        f"Barking and Dagenham: factual accuracy comments due by {due.day} {due:%B %Y}"
    )


def test_no_reminder_once_the_council_says_its_comments_are_complete(
    ledger, clock, notifier, inbox
):
    inspection = draft_issued(ledger, clock)
    day = reminder_day(ledger, inspection, "comments_due")
    ledger.comment_on_draft(officer(BARKING), inspection, "No comments", complete=True)
    clock.advance_to(day)

    notify_once(notifier, ledger)

    assert [s.split(": ")[1] for s in inbox.subjects(OLU)] == [
        "inspection starting 12 January 2026",
        inbox.subjects(OLU)[1].split(": ")[1],
    ]
    assert "draft report to check" in inbox.subjects(OLU)[1]


def test_the_council_is_reminded_before_the_challenge_window_ends_unless_it_challenged(
    ledger, clock, notifier, inbox
):
    register_councils(ledger)
    inspection = final_report_of_2022(ledger, clock, date(2022, 6, 13))
    day = reminder_day(ledger, inspection, "challenge_window_ends")
    notify_once(notifier, ledger)
    clock.advance_to(day)
    notify_once(notifier, ledger)
    ends = ledger.inspection(officer(BARKING), inspection).challenge_window_ends
    assert inbox.subjects(OLU)[-1] == (
        f"Barking and Dagenham: challenge window ends {ends.day} {ends:%B %Y}"
    )

    second = final_report_of_2022(ledger, clock, date(2022, 9, 12))
    ledger.lodge_challenge(officer(BARKING), second, "report", "", "Misread", [])
    clock.advance_to(reminder_day(ledger, second, "challenge_window_ends"))
    inbox.received.clear()
    notify_once(notifier, ledger)
    assert len(inbox.to(OLU)) == 4  # notice, draft, final report; the first's window closed
    assert not [s for s in inbox.subjects(OLU) if "challenge window ends" in s]
    assert inbox.subjects(OLU)[0] == (
        f"Barking and Dagenham: challenge window closed {ends.day} {ends:%B %Y}, "
        "no challenge lodged"
    )


def final_report_of_2022(ledger, clock, starts: date) -> UUID:
    """A Barking final report of the era before 2023: ten working days to challenge."""
    judgments = ilacs_2018(RI, RI, RI, RI)
    return run_to_final_report(ledger, clock, BARKING, starts, judgments)


def test_a_reminder_is_not_sent_once_its_deadline_has_passed(ledger, clock, notifier, inbox):
    register_councils(ledger)
    inspection = final_report_of_2022(ledger, clock, date(2022, 6, 13))
    ends = ledger.inspection(officer(BARKING), inspection).challenge_window_ends
    clock.advance_to(ends + timedelta(days=1))

    notify_once(notifier, ledger)

    assert len(inbox.to(OLU)) == 4  # notice, draft, final report, and that the window closed
    assert not [s for s in inbox.subjects(OLU) if "challenge window ends" in s]
    assert "challenge window closed" in inbox.subjects(OLU)[3]


def test_no_reminder_when_the_deadline_is_within_two_working_days(ledger, clock, notifier, inbox):
    register_councils(ledger)
    challengeable_report(ledger, clock)  # 2023 on: two working days to challenge
    clock.advance_to(clock.day + timedelta(days=1))

    notify_once(notifier, ledger)

    assert not [s for s in inbox.subjects(OLU) if "challenge window ends" in s]


def test_a_cancelled_inspection_gives_no_notice(ledger, clock, notifier, inbox):
    register_councils(ledger)
    clock.advance_to(date(2026, 11, 2))
    inspection = ledger.schedule_inspection(INSPECTOR, BARNET, "standard", date(2026, 12, 14))
    notify_once(notifier, ledger)
    ledger.cancel_inspection(MODERATOR, inspection, "Moved to the spring")
    clock.advance_to(date(2026, 12, 7))

    notify_once(notifier, ledger)

    assert inbox.received == []
