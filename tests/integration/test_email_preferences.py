"""Optional emails a person turned off are not sent (and are shown as not sent); statutory
ones always are; through a real SMTP server, on every backend."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import inspect, text, update

from adapters import outbox
from adapters.account_admin import AccountAdmin
from adapters.identity import IdentityStore, users
from adapters.mail import NotifySettings
from adapters.sessions import SessionStore
from domain.account import Account, account_id
from projections.messages import EmailChoiceRefused
from projections.notifying import Notifier
from tests.integration.conftest import notify_once
from tests.integration.test_notification_reminders import draft_issued, reminder_day
from tests.scenarios import (
    BARKING,
    challengeable_report,
    officer,
    publish_after_window,
    register_councils,
)
from web.cli import main

OLU, BOLA = "olu@barking.example", "bola@barking.example"


@pytest.fixture
def admin(ledger, identity, database_url, now):
    sessions = SessionStore(database_url, now)
    yield AccountAdmin(ledger, identity, sessions, common=set())
    sessions.engine.dispose()


def test_a_turned_off_email_is_not_sent_and_a_statutory_one_always_is(
    ledger, clock, notifier, inbox, admin
):
    admin.choose_emails(officer(BARKING), ["published"])
    register_councils(ledger)
    inspection = challengeable_report(ledger, clock)
    publish_after_window(ledger, clock, inspection)

    done = notify_once(notifier, ledger).delivered

    olu, bola = inbox.subjects(OLU), inbox.subjects(BOLA)
    assert [s for s in bola if "report published" in s] and len(olu) == len(bola) - 1
    assert not [s for s in olu if "report published" in s]
    assert [s for s in olu if "inspection starting" in s]  # the notice: statutory
    assert [s for s in olu if "final report issued" in s]
    (withheld,) = done.withheld
    assert withheld.kind == "published" and withheld.recipient == officer(BARKING).user
    with notifier.engine.connect() as conn:
        shown = outbox.sent_to(conn, officer(BARKING).user)
        (row,) = [n for n in outbox.every(conn) if n.state == "withheld"]
    assert shown[0].state == "withheld" and row.sent_at is None and row.email is None

    assert notify_once(notifier, ledger).delivered.withheld == []  # not tried again


def test_a_turned_off_reminder_is_not_sent_but_the_draft_is(ledger, clock, notifier, inbox, admin):
    admin.choose_emails(officer(BARKING), ["draft_reminder"])
    inspection = draft_issued(ledger, clock)
    notify_once(notifier, ledger)
    clock.advance_to(reminder_day(ledger, inspection, "comments_due"))

    notify_once(notifier, ledger)

    assert [s for s in inbox.subjects(BOLA) if "comments due" in s]
    assert not [s for s in inbox.subjects(OLU) if "comments due" in s]
    assert [s for s in inbox.subjects(OLU) if "draft report to check" in s]


def test_a_statutory_email_is_sent_even_if_the_store_says_it_is_off(
    ledger, clock, notifier, inbox, identity
):
    with identity.engine.begin() as conn:  # as if written by hand: delivery still sends it
        conn.execute(
            update(users)
            .where(users.c.username == officer(BARKING).user)
            .values(emails_off="notice draft_issued final_issued")
        )
    register_councils(ledger)
    challengeable_report(ledger, clock)

    done = notify_once(notifier, ledger).delivered

    assert done.withheld == [] and len(inbox.subjects(OLU)) == len(inbox.subjects(BOLA)) >= 3


def test_each_choice_is_an_event_and_bad_ones_are_refused(ledger, identity, admin):
    who = officer(BARKING)
    admin.choose_emails(who, ["challenge_reminder", "published"])
    admin.choose_emails(who, ["challenge_reminder", "published"])  # the same: nothing new
    admin.choose_emails(who, [])
    for bad in (["notice"], ["published", "whatever"]):
        with pytest.raises(EmailChoiceRefused) as refused:
            admin.choose_emails(who, bad)
        assert refused.value.field == "emails_off"

    events = [
        e for e in ledger.events_of(account_id(who.user)) if isinstance(e, Account.EmailsChosen)
    ]
    assert [e.off for e in events] == [["challenge_reminder", "published"], []]
    assert identity.get(who.user).emails_off == frozenset()


def test_notify_once_says_how_many_were_turned_off(database_url, ledger, clock, smtp, admin):
    inbox, smtp_url = smtp
    admin.choose_emails(officer(BARKING), ["published"])
    register_councils(ledger)
    publish_after_window(ledger, clock, challengeable_report(ledger, clock))

    result = CliRunner().invoke(
        main, ["notify", "--once"], env={"DATABASE_URL": database_url, "LEDGER_SMTP_URL": smtp_url}
    )

    assert result.exit_code == 0, result.output
    assert "failed, 1 turned off by their recipient" in result.stdout
    assert not [s for s in inbox.subjects(OLU) if "report published" in s]


def test_an_outbox_and_an_account_table_made_before_the_choice_gain_their_columns(
    database_url, notifier, identity, smtp, now
):
    with notifier.engine.begin() as conn:
        conn.execute(text("ALTER TABLE notification_outbox DROP COLUMN withheld_at"))
    with identity.engine.begin() as conn:
        conn.execute(text("ALTER TABLE ledger_users DROP COLUMN emails_off"))

    settings = NotifySettings(smtp_url=smtp[1], base_url="https://ledger.example")
    again = Notifier(database_url, IdentityStore(database_url), settings.mailer(), settings, now)

    found = inspect(again.engine)
    assert "withheld_at" in {c["name"] for c in found.get_columns("notification_outbox")}
    assert "emails_off" in {c["name"] for c in found.get_columns("ledger_users")}
    again.close()
