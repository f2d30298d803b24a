"""Delivery by GOV.UK Notify, through a real HTTP server that checks the client's JWT."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from adapters import outbox
from adapters.mail import NotifySettings, load_notify_settings
from projections.messages import WORDINGS
from projections.notifying import Notifier
from tests.integration.conftest import BASE, notify_once, notify_once_killed_after_handing_over
from tests.integration.fake_notify import API_KEY, FakeNotify, notify_server
from tests.scenarios import challengeable_report, register_councils

GENERIC = "0d2c9b57-16d7-4f44-9f3a-3c64d5bb0a11"
DRAFT = "8a3f2c10-6b7e-4d1a-9e2f-7c5b4a3d2e1f"
OFFICERS = ("olu@barking.example", "bola@barking.example")


@pytest.fixture
def notify() -> Iterator[FakeNotify]:
    with notify_server() as fake:
        yield fake


@pytest.fixture
def notify_notifier(database_url, identity, notify, now) -> Iterator[Notifier]:
    settings = load_notify_settings(
        {
            "LEDGER_NOTIFY_API_KEY": API_KEY,
            "LEDGER_NOTIFY_BASE_URL": notify.url,
            "LEDGER_NOTIFY_TEMPLATES": f"draft_issued={DRAFT},*={GENERIC}",
            "LEDGER_NOTIFY_MAX_ATTEMPTS": "3",
            "LEDGER_BASE_URL": BASE,
        },
        kinds=WORDINGS,
    )
    found = Notifier(database_url, identity, settings.mailer(), settings, now)
    yield found
    found.close()


def _sent(notify: FakeNotify, address: str) -> list[dict]:
    return [n for n in notify.sent if n["email_address"] == address]


def test_notify_delivers_each_kind_with_its_template_personalisation_and_reference(
    ledger, clock, notify_notifier, notify
):
    register_councils(ledger)
    inspection = challengeable_report(ledger, clock)

    done = notify_once(notify_notifier, ledger)

    assert len(done.delivered.sent) == 8 and len(notify.sent) == 8
    draft = next(n for n in _sent(notify, OFFICERS[0]) if n["template_id"] == DRAFT)
    fields = draft["personalisation"]
    assert fields["kind"] == "draft_issued"
    assert fields["subject"].startswith("Barking and Dagenham: draft report to check by ")
    assert "factual accuracy" in fields["body"]
    assert fields["link"] == f"{BASE}/inspections/{inspection}"
    others = [n for n in notify.sent if n["template_id"] != DRAFT]
    assert {n["personalisation"]["kind"] for n in others} == {
        "notice",
        "final_issued",
        "comments_complete",
    }
    assert {n["template_id"] for n in others} == {GENERIC}
    with notify_notifier.engine.connect() as conn:
        rows = outbox.every(conn)
    ids = {n.message_id.strip("<>") for n in rows if n.state == "sent"}
    assert {n["reference"] for n in notify.sent} == ids
    assert {n.kind for n in rows if n.state != "sent"} == {"challenge_closed"}  # not yet due
    assert notify_once(notify_notifier, ledger).delivered.sent == []  # nothing twice


def test_a_4xx_is_reported_at_once_and_not_retried(ledger, clock, notify_notifier, notify, now):
    register_councils(ledger)
    challengeable_report(ledger, clock)
    notify.fail_next = [400]

    first = notify_once(notify_notifier, ledger)

    assert len(first.delivered.failed) == 1 and len(first.delivered.sent) == 7
    assert "400" in first.delivered.failed[0][1]
    now.move(hours=1)
    assert notify_once(notify_notifier, ledger).delivered.retrying == []
    assert len(notify.sent) == 7


def test_a_5xx_is_retried_after_the_back_off(ledger, clock, notify_notifier, notify, now):
    register_councils(ledger)
    challengeable_report(ledger, clock)
    notify.fail_next = [500, 503]

    first = notify_once(notify_notifier, ledger)
    assert len(first.delivered.retrying) == 2 and len(first.delivered.sent) == 6
    assert notify_once(notify_notifier, ledger).delivered.sent == []  # not before a minute
    now.move(minutes=1)

    again = notify_once(notify_notifier, ledger)

    assert len(again.delivered.sent) == 2 and again.delivered.failed == []
    assert len(notify.sent) == 8 and len({n["reference"] for n in notify.sent}) == 8


def test_a_notifier_killed_after_handing_over_does_not_send_again(
    ledger, clock, notify_notifier, notify, now, monkeypatch
):
    register_councils(ledger)
    challengeable_report(ledger, clock)

    notify_once_killed_after_handing_over(notify_notifier, ledger, monkeypatch)
    (handed_over,) = notify.sent
    now.move(minutes=1)

    notify_once(notify_notifier, ledger)

    assert handed_over["reference"] in notify.lookups  # asked before sending again
    references = [n["reference"] for n in notify.sent]
    assert references.count(handed_over["reference"]) == 1 and len(references) == 8
    with notify_notifier.engine.connect() as conn:
        states = {(n.kind == "challenge_closed", n.state) for n in outbox.every(conn)}
    assert states == {(False, "sent"), (True, "pending")}  # the window has not closed yet


def test_an_answer_lost_after_notify_kept_the_message_is_not_sent_twice(
    ledger, clock, notify_notifier, notify, now
):
    register_councils(ledger)
    challengeable_report(ledger, clock)
    notify.lose_answer = True

    assert len(notify_once(notify_notifier, ledger).delivered.retrying) == 1
    now.move(minutes=1)
    assert len(notify_once(notify_notifier, ledger).delivered.sent) == 1

    assert len(notify.sent) == 8 and len({n["reference"] for n in notify.sent}) == 8


def test_a_wrong_secret_is_refused_by_notify(ledger, clock, database_url, identity, notify, now):
    wrong = API_KEY[:-36] + "00000000-0000-4000-8000-000000000000"
    settings = NotifySettings(
        notify_api_key=wrong, notify_url=notify.url, notify_templates=(("*", GENERIC),)
    )
    found = Notifier(database_url, identity, settings.mailer(), settings, now)
    try:
        register_councils(ledger)
        challengeable_report(ledger, clock)
        done = notify_once(found, ledger)
    finally:
        found.close()
    assert len(done.delivered.failed) == 8 and notify.sent == []
    assert all("403" in reason for _, reason in done.delivered.failed)


@pytest.mark.parametrize(
    ("environ", "says"),
    [
        ({"LEDGER_NOTIFY_API_KEY": "nonsense"}, "LEDGER_NOTIFY_API_KEY must be"),
        ({"LEDGER_NOTIFY_API_KEY": API_KEY}, "missing: "),
        (
            {"LEDGER_NOTIFY_API_KEY": API_KEY, "LEDGER_NOTIFY_TEMPLATES": "notice=12"},
            "'notice=12' is not kind=<template id>",
        ),
        (
            {"LEDGER_NOTIFY_API_KEY": API_KEY, "LEDGER_NOTIFY_TEMPLATES": f"nope={GENERIC}"},
            "no message is of kind 'nope'",
        ),
        (
            {"LEDGER_NOTIFY_API_KEY": API_KEY, "LEDGER_NOTIFY_TEMPLATES": f"notice={GENERIC}"},
            "missing: action_missed",
        ),
        (
            {"LEDGER_NOTIFY_API_KEY": API_KEY, "LEDGER_SMTP_URL": "smtp://127.0.0.1:25"},
            "not both",
        ),
    ],
)
def test_notify_settings_are_checked_at_start(environ, says):
    with pytest.raises(ValueError) as refused:
        load_notify_settings(environ, kinds=WORDINGS)
    assert says in str(refused.value) and "\n" not in str(refused.value)


def test_a_generic_template_alone_is_enough():
    settings = load_notify_settings(
        {"LEDGER_NOTIFY_API_KEY": API_KEY, "LEDGER_NOTIFY_TEMPLATES": f"*={GENERIC}"},
        kinds=WORDINGS,
    )
    assert settings.notify_templates == (("*", GENERIC),)
    assert settings.backoff(2) == timedelta(minutes=2)
