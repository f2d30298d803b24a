"""Notifications, exactly once, through a real SMTP server, on every backend."""

from __future__ import annotations

from datetime import date, timedelta

from adapters import outbox
from tests.integration.conftest import BASE, notify_once, notify_once_killed_after_handing_over
from tests.scenarios import (
    ADMIN,
    BARKING,
    BARNET,
    challengeable_report,
    ilacs_2018,
    officer,
    publish_after_window,
    register_councils,
)

OFFICERS = ("olu@barking.example", "bola@barking.example")
STAFF = ("ian@ofsted.example", "mo@ofsted.example")


def test_council_officers_hear_of_the_draft_the_final_report_and_publication(
    ledger, clock, notifier, inbox
):
    register_councils(ledger)
    inspection = challengeable_report(ledger, clock)
    publish_after_window(ledger, clock, inspection)
    found = ledger.inspection(officer(BARKING), inspection)

    notify_once(notifier, ledger)

    for address in OFFICERS:
        subjects = inbox.subjects(address)
        assert subjects == [
            "Barking and Dagenham: inspection starting 12 January 2026",
            f"Barking and Dagenham: draft report to check by {_day(found.comments_due)}",
            "Barking and Dagenham: final report issued, challenge by "
            f"{_day(found.challenge_window_ends)}",
            "Barking and Dagenham: challenge window closed "
            f"{_day(found.challenge_window_ends)}, no challenge lodged",
            f"Barking and Dagenham: report published {_day(found.published_on)}",
        ]
    draft = inbox.to(OFFICERS[0])[1].get_content()
    assert f"by the end of {_day(found.comments_due)}" in draft
    assert "the standard inspection of Barking and Dagenham starting 12 January 2026" in draft
    assert f"{BASE}/inspections/{inspection}" in draft
    for address in ("ben@barnet.example", "cai@cqc.example"):
        assert inbox.to(address) == []
    for address in STAFF:  # the inspectorate hears that the comments are complete, and
        assert inbox.subjects(address) == [  # that the window closed (it may now publish)
            "Barking and Dagenham: factual accuracy comments complete",
            subjects[3],
        ]


def test_the_inspectorates_staff_hear_of_a_challenge_and_the_council_of_its_decision(
    ledger, clock, notifier, inbox, moderator
):
    register_councils(ledger)
    inspection = challengeable_report(ledger, clock)
    notify_once(notifier, ledger)
    inbox.received.clear()
    challenge = ledger.lodge_challenge(
        officer(BARKING), inspection, "report", "", "The evidence was misread", []
    )

    notify_once(notifier, ledger)

    for address in STAFF:
        (message,) = inbox.to(address)
        assert message["Subject"].startswith("Barking and Dagenham challenged the report")
        assert f"{BASE}/challenges/{challenge}" in message.get_content()
    assert inbox.to("cai@cqc.example") == [] and inbox.to(OFFICERS[0]) == []

    ledger.decide_challenge(moderator, challenge, "not upheld", "The evidence was read", [])
    notify_once(notifier, ledger)
    for address in OFFICERS:
        assert inbox.subjects(address) == [
            "Barking and Dagenham: your challenge was decided (not upheld)"
        ]


def test_a_second_run_sends_nothing_new(ledger, clock, notifier, inbox):
    register_councils(ledger)
    challengeable_report(ledger, clock)
    first = notify_once(notifier, ledger)
    sent = len(inbox.received)

    again = notify_once(notifier, ledger)

    assert (
        sent == len(first.delivered.sent) == 8
    )  # notice, draft, final to two officers; comments complete to two staff
    assert (again.written, again.delivered.sent, len(inbox.received)) == (0, [], sent)


def test_a_notifier_killed_after_handing_over_resends_the_same_message(
    ledger, clock, notifier, inbox, now, monkeypatch
):
    register_councils(ledger)
    challengeable_report(ledger, clock)

    notify_once_killed_after_handing_over(notifier, ledger, monkeypatch)
    (handed_over,) = inbox.received

    assert notify_once(notifier, ledger).delivered.sent != []  # the others, not that one
    assert [m["Message-ID"] for m in inbox.received].count(handed_over["Message-ID"]) == 1
    now.move(minutes=1)
    notify_once(notifier, ledger)

    again = [m for m in inbox.received if m["Message-ID"] == handed_over["Message-ID"]]
    assert len(again) == 2 and again[1]["Subject"] == handed_over["Subject"]
    assert len({m["Message-ID"] for m in inbox.received}) == 8
    now.move(hours=1)
    assert notify_once(notifier, ledger).delivered.sent == []


def test_a_refused_recipient_is_retried_with_backoff_then_reported(
    ledger, clock, notifier, inbox, now
):
    inbox.refuse.add(OFFICERS[1])
    register_councils(ledger)
    challengeable_report(ledger, clock)

    first = notify_once(notifier, ledger)
    assert len(first.delivered.retrying) == 3 and len(inbox.to(OFFICERS[0])) == 3
    assert notify_once(notifier, ledger).delivered.retrying == []  # not before a minute
    now.move(minutes=1)
    assert len(notify_once(notifier, ledger).delivered.retrying) == 3  # then two minutes
    now.move(minutes=1)
    assert notify_once(notifier, ledger).delivered.retrying == []
    now.move(minutes=1)
    last = notify_once(notifier, ledger)

    assert len(inbox.refused) == 9  # three attempts each
    assert {n.recipient for n, _ in last.delivered.failed} == {"bola.barking"}
    assert all("550" in reason for _, reason in last.delivered.failed)
    now.move(days=1)
    assert notify_once(notifier, ledger).delivered.failed == []
    with notifier.engine.connect() as conn:
        rows = outbox.every(conn)
    states = {(n.recipient, n.state) for n in rows if n.kind != "challenge_closed"}
    assert states == {
        (officer(BARKING).user, "sent"),
        ("bola.barking", "failed"),
        ("ian.inspector", "sent"),
        ("mo.moderator", "sent"),
    }
    waiting = {(n.recipient, n.state) for n in rows if n.kind == "challenge_closed"}
    told = (officer(BARKING).user, "bola.barking", "ian.inspector", "mo.moderator")
    assert waiting == {(r, "pending") for r in told}  # the window has not closed yet


def test_an_erased_address_is_reported_and_not_sent_to(ledger, clock, notifier, inbox, identity):
    register_councils(ledger)
    challengeable_report(ledger, clock)
    identity.erase_email("bola.barking")

    done = notify_once(notifier, ledger)

    assert inbox.to(OFFICERS[1]) == [] and len(inbox.to(OFFICERS[0])) == 3
    assert [r for _, r in done.delivered.failed] == ["The account has no email address"] * 3


def test_nothing_is_told_before_the_notice_day(ledger, clock, notifier, inbox, inspector):
    register_councils(ledger)
    clock.advance_to(date(2026, 11, 2))
    ledger.schedule_inspection(inspector, BARNET, "standard", date(2026, 12, 14))
    notice_day = date(2026, 12, 7)  # the Monday of the week before

    notify_once(notifier, ledger)
    clock.advance_to(notice_day - timedelta(days=1))
    notify_once(notifier, ledger)
    assert inbox.received == []
    clock.advance_to(notice_day)
    notify_once(notifier, ledger)

    (message,) = inbox.received
    assert message["To"] == "ben@barnet.example"
    assert message["Subject"] == "Barnet: inspection starting 14 December 2026"


def test_imported_history_tells_nobody(ledger, notifier, inbox):
    register_councils(ledger)
    good = ilacs_2018("Good", "Good", "Good", "Good")
    ledger.import_published(ADMIN, BARKING, "standard", date(2019, 2, 18), date(2019, 4, 1), good)

    assert notify_once(notifier, ledger).written == 0 and inbox.received == []


def _day(value: date | None) -> str:
    assert value is not None
    return f"{value.day} {value:%B %Y}"
