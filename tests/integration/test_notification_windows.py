"""The council and the lead inspectorate told, the day after, that a challenge window closed
with no challenge lodged: once, and never if a challenge was lodged or the report published."""

from __future__ import annotations

from datetime import date, timedelta

from tests.integration.conftest import BASE, notify_once
from tests.scenarios import (
    BARKING,
    MODERATOR,
    RI,
    challengeable_report,
    ilacs_2018,
    officer,
    register_councils,
    run_to_final_report,
)

TOLD = ("olu@barking.example", "bola@barking.example", "ian@ofsted.example", "mo@ofsted.example")
NOT_TOLD = ("ben@barnet.example", "cai@cqc.example")


def closed(inbox, address: str) -> list[str]:
    return [s for s in inbox.subjects(address) if "challenge window closed" in s]


def test_the_day_after_an_unchallenged_window_the_council_and_inspectorate_are_told_once(
    ledger, clock, notifier, inbox
):
    register_councils(ledger)
    inspection = challengeable_report(ledger, clock)  # 2023 on: two working days
    ends = ledger.inspection(officer(BARKING), inspection).challenge_window_ends
    clock.advance_to(ends)
    notify_once(notifier, ledger)
    assert all(closed(inbox, a) == [] for a in TOLD)  # not on the last day to challenge

    clock.advance_to(ends + timedelta(days=1))
    notify_once(notifier, ledger)
    again = notify_once(notifier, ledger)

    subject = f"Barking and Dagenham: challenge window closed {ends.day} {ends:%B %Y}, "
    for address in TOLD:  # the officers, the lead inspector and the moderators (who publish)
        assert closed(inbox, address) == [subject + "no challenge lodged"]
    for address in NOT_TOLD:
        assert inbox.to(address) == []
    body = next(m for m in inbox.to(TOLD[0]) if "closed" in m["Subject"]).get_content()
    assert f"lodged by the end of {ends.day} {ends:%B %Y}" in body
    assert "will now go on to publication" in body
    assert f"{BASE}/inspections/{inspection}" in body
    assert again.written == 0 and again.delivered.sent == []


def test_no_window_closed_message_when_a_challenge_was_lodged_in_time(
    ledger, clock, notifier, inbox
):
    register_councils(ledger)
    inspection = challengeable_report(ledger, clock)
    notify_once(notifier, ledger)  # the closed message is already written, due later
    ledger.lodge_challenge(officer(BARKING), inspection, "report", "", "Misread", [])
    ends = ledger.inspection(officer(BARKING), inspection).challenge_window_ends
    clock.advance_to(ends + timedelta(days=3))

    notify_once(notifier, ledger)

    assert all(closed(inbox, a) == [] for a in TOLD)
    assert [s for s in inbox.subjects(TOLD[2]) if "challenged the report" in s]


def test_no_window_closed_message_for_a_report_published_before_its_window_closed(
    ledger, clock, notifier, inbox
):
    register_councils(ledger)
    starts = date(2022, 6, 13)  # before 2023: ten working days, publication not withheld
    inspection = run_to_final_report(ledger, clock, BARKING, starts, ilacs_2018(RI, RI, RI, RI))
    ends = ledger.inspection(officer(BARKING), inspection).challenge_window_ends
    ledger.publish(MODERATOR, inspection)
    clock.advance_to(ends + timedelta(days=1))

    notify_once(notifier, ledger)

    assert all(closed(inbox, a) == [] for a in TOLD)
    assert [s for s in inbox.subjects(TOLD[0]) if "report published" in s]
