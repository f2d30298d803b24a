"""The inspectorate is told when the council comments, escalates a challenge or submits its
action plan: through a real SMTP server, on every backend."""

from __future__ import annotations

from tests.integration.conftest import BASE, notify_once
from tests.integration.test_notification_reminders import draft_issued
from tests.scenarios import (
    BARKING,
    INSPECTOR,
    challengeable_report,
    officer,
    publish_after_window,
    register_councils,
)

IAN, MO, CAI = "ian@ofsted.example", "mo@ofsted.example", "cai@cqc.example"
OFFICERS = ("olu@barking.example", "bola@barking.example")


def test_the_lead_inspector_hears_of_comments_and_moderators_when_they_are_complete(
    ledger, clock, notifier, inbox
):
    inspection = draft_issued(ledger, clock)  # issued by Ian, the lead inspector
    notify_once(notifier, ledger)
    inbox.received.clear()
    ledger.comment_on_draft(officer(BARKING), inspection, "The date is wrong")

    notify_once(notifier, ledger)

    assert inbox.subjects(IAN) == ["Barking and Dagenham commented on the draft report"]
    assert f"{BASE}/inspections/{inspection}" in inbox.to(IAN)[0].get_content()
    assert inbox.to(MO) == [] and inbox.to(CAI) == [] and inbox.to(OFFICERS[0]) == []

    ledger.comment_on_draft(officer(BARKING), inspection, "", complete=True)
    notify_once(notifier, ledger)
    complete = "Barking and Dagenham: factual accuracy comments complete"
    assert inbox.subjects(IAN)[-1] == complete and inbox.subjects(MO) == [complete]
    assert "the standard inspection of Barking and Dagenham starting 12 January 2026" in (
        inbox.to(MO)[0].get_content()
    )
    assert inbox.to(CAI) == [] and inbox.to(OFFICERS[0]) == []


def test_moderators_hear_of_an_escalation_with_the_response_deadline(
    ledger, clock, notifier, inbox, moderator
):
    register_councils(ledger)
    inspection = challengeable_report(ledger, clock)
    challenge = ledger.lodge_challenge(officer(BARKING), inspection, "report", "", "Misread", [])
    ledger.decide_challenge(moderator, challenge, "not upheld", "The evidence was read", [])
    notify_once(notifier, ledger)
    inbox.received.clear()
    ledger.escalate_challenge(officer(BARKING), challenge, "The review missed the point")

    notify_once(notifier, ledger)

    found = ledger.challenge(moderator, challenge)
    (message,) = inbox.to(MO)
    assert message["Subject"].startswith("Barking and Dagenham escalated its challenge to the ")
    due = found.response_due
    assert f"Respond by the end of {due.day} {due:%B %Y}." in message.get_content()
    assert f"{BASE}/challenges/{challenge}" in message.get_content()
    assert inbox.to(IAN) == [] and inbox.to(OFFICERS[0]) == []


def test_moderators_hear_that_the_action_plan_was_submitted(ledger, clock, notifier, inbox):
    register_councils(ledger)
    inspection = challengeable_report(ledger, clock)
    publish_after_window(ledger, clock, inspection)
    notify_once(notifier, ledger)
    inbox.received.clear()
    ledger.submit_action_plan(officer(BARKING), inspection, "What we will do")

    notify_once(notifier, ledger)

    (message,) = inbox.to(MO)
    assert message["Subject"] == "Barking and Dagenham submitted its action plan"
    assert f"{BASE}/inspections/{inspection}/action-plan" in message.get_content()
    assert f"on {clock.day.day} {clock.day:%B %Y}" in message.get_content()
    assert inbox.to(INSPECTOR.user) == [] and inbox.to(OFFICERS[0]) == []
