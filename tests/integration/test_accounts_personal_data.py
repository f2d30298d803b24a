"""Accounts' names and emails on both backends: sealed in the log, the users table and the
outbox; an account forgotten by destroying its key, the log still verifying."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime
from uuid import uuid4

import pytest
from click.testing import CliRunner
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic
from sqlalchemy import insert, select

from adapters.audit_export import export
from adapters.config import load_security
from adapters.identity import users
from adapters.mail import NotifySettings
from adapters.outbox import outbox
from adapters.personal_data import KeyVault, master_key
from domain.account import FORGOTTEN, Account
from domain.errors import LifecycleError
from domain.personal_data import ERASED
from projections.notifying import Notifier
from tests.integration.smtp import smtp_server
from tests.integration.test_concerns_personal_data import database_bytes, leaked
from tests.scenarios import (
    ADMIN,
    BARKING,
    BARNET,
    GOOD,
    INSPECTOR,
    MODERATOR,
    RI,
    ilacs_2018,
    ilacs_2023,
    run_to_final_report,
)
from web.bootstrap import (
    build_account_admin,
    build_identity,
    build_sessions,
    build_two_factor,
)
from web.cli import main

OFFICER = "olu.officer"


@pytest.fixture
def admin(services, database_url):
    now = lambda: datetime.now(UTC)  # noqa: E731
    identity = build_identity(database_url)
    sessions = build_sessions(database_url, now, load_security())
    made = build_account_admin(
        services.ledger, identity, sessions, build_two_factor(database_url, "k" * 32, now)
    )
    yield made
    sessions.close()
    identity.close()


@pytest.fixture
def people(admin):
    """A council officer and an inspector whose names and emails no other test writes."""
    tag = uuid4().hex[:12]
    found = {
        OFFICER: (f"Octavia Quillfeather {tag}", f"octavia.{tag}@barking.example.org"),
        INSPECTOR.user: (f"Ignatius Ravensworth {tag}", f"ignatius.{tag}@ofsted.example.org"),
    }
    for (username, (name, email)), (role, organisation) in zip(
        found.items(), (("council_officer", BARKING), ("inspector", "OFSTED")), strict=True
    ):
        admin.create(ADMIN, username, name, role, organisation, email, "Joined")
    return found


def plain(people) -> dict[str, str]:
    return {f"{u} {i}": v for u, pair in people.items() for i, v in enumerate(pair)}


def notifier_on(database_url, admin, url) -> Notifier:
    settings = NotifySettings(smtp_url=url, base_url="https://ledger.example")
    return Notifier(
        database_url, admin.identity, settings.mailer(), settings, lambda: datetime(2030, 1, 1)
    )


def test_names_and_emails_are_sealed_yet_sign_in_and_mail_reach_the_person(
    services, admin, people, database_url, clock
):
    run_to_final_report(services.ledger, clock, BARKING, date(2025, 3, 17), ilacs_2023(*[RI] * 5))
    with smtp_server() as (inbox, url):
        told = notifier_on(database_url, admin, url)
        told.catch_up(services.ledger)
        told.engine.dispose()
    officer_email = people[OFFICER][1]
    assert any(officer_email in m["To"] for m in inbox.received)  # opened to be sent
    account = admin.identity.get(OFFICER)
    assert (account.display_name, account.email) == people[OFFICER]
    assert admin.row(ADMIN, OFFICER).as_dict()["email"] == officer_email
    opened = services.ledger.account(OFFICER)
    assert opened.display_name.startswith("enc:v1:") and opened.email.startswith("enc:v1:")
    assert services.ledger.account_name(OFFICER) == people[OFFICER][0]
    found = database_bytes(database_url)
    assert b"enc:v1:" in found
    assert leaked(found, plain(people)) == []  # the log, the users table, the outbox's "sent to"


def test_forgetting_erases_everywhere_withholds_unsent_mail_and_the_log_verifies(
    services, admin, people, database_url, clock
):
    sealed = services.ledger.account(OFFICER).display_name
    run_to_final_report(services.ledger, clock, BARKING, date(2025, 3, 17), ilacs_2023(*[RI] * 5))
    with smtp_server() as (inbox, url):
        told = notifier_on(database_url, admin, url)
        assert told.write(services.ledger) > 0  # written for the officer, not yet sent
        result = CliRunner().invoke(
            main,
            ["accounts", "forget", OFFICER, "--reason", "Left; asked to be forgotten"],
            env={"DATABASE_URL": database_url},
        )
        assert result.exit_code == 0, result.output
        delivered = told.delivery.deliver_due()
        told.engine.dispose()
    officer_email = people[OFFICER][1]
    assert not any(officer_email in m["To"] for m in inbox.received)
    assert delivered.withheld and all(n.recipient == OFFICER for n in delivered.withheld)
    with admin.identity.engine.connect() as conn:
        rows = conn.execute(select(outbox).where(outbox.c.recipient == OFFICER)).all()
    assert rows and all(r.withheld_at is not None and r.sent_at is None for r in rows)

    account = admin.identity.get(OFFICER)
    assert (account.display_name, account.email, account.forgotten, account.disabled) == (
        FORGOTTEN,
        None,
        True,
        True,
    )
    assert admin.identity.authenticate(OFFICER, "anything at all") is None
    shown = admin.row(ADMIN, OFFICER).as_dict()
    assert (shown["display_name"], shown["email"], shown["forgotten"]) == ("Erased",) * 2 + (True,)
    other = KeyVault(database_url, master_key())  # the log's own ciphertext no longer opens
    assert other.open(sealed) == ERASED
    other.close()
    forgotten = services.ledger.events_of(services.ledger.account(OFFICER).id)[-1]
    assert type(forgotten).__name__ == "Forgotten"
    assert (forgotten.reason, forgotten.actor.role) == (
        "Left; asked to be forgotten",
        "administrator",
    )
    assert services.ledger.account_name(OFFICER) is None
    with pytest.raises(LifecycleError):
        admin.enable(ADMIN, OFFICER, "Back")
    listed = CliRunner().invoke(
        main, ["accounts", "list", "--json"], env={"DATABASE_URL": database_url}
    )
    assert leaked(listed.output.encode(), plain({OFFICER: people[OFFICER]})) == []
    verified = CliRunner().invoke(main, ["audit", "verify"], env={"DATABASE_URL": database_url})
    assert verified.exit_code == 0, verified.output
    assert leaked(database_bytes(database_url), plain(people)) == []


def test_forgetting_again_destroys_the_key_again_and_records_nothing_more(services, admin, people):
    admin.forget(ADMIN, OFFICER, "Asked")
    events = len(services.ledger.events_of(services.ledger.account(OFFICER).id))
    admin.forget(ADMIN, OFFICER, "Asked again")
    assert len(services.ledger.events_of(services.ledger.account(OFFICER).id)) == events


def test_the_audit_export_carries_ciphertext_only(services, admin, people):
    out = io.StringIO()
    export(services.ledger.recorder, out)
    assert "Opened" in out.getvalue()
    assert leaked(out.getvalue().encode(), plain(people)) == []
    assert leaked(json.dumps(out.getvalue()).encode(), plain(people)) == []


def test_an_inspector_named_in_a_published_report_stays_named_once_forgotten(
    services, admin, people, clock
):
    ledger = services.ledger
    inspection = run_to_final_report(
        ledger, clock, BARNET, date(2022, 6, 13), ilacs_2018(GOOD, GOOD, RI, GOOD)
    )
    ledger.publish(MODERATOR, inspection)
    admin.forget(ADMIN, INSPECTOR.user, "Retired; asked to be forgotten")
    published = ledger.inspection(INSPECTOR, inspection)
    assert published.published_names == {INSPECTOR.user: people[INSPECTOR.user][0]}
    assert admin.identity.get(INSPECTOR.user).display_name == FORGOTTEN  # everywhere else


def test_an_account_opened_before_names_were_sealed_still_loads_and_can_be_forgotten(
    services, admin, database_url
):
    ledger = services.ledger
    sealer = ledger._sealer("")  # a v2 event, rewritten as a v1 event stored it: plain name
    (event,) = Account.open(
        ADMIN, "old.hand", "Olive Oldhand", "inspector", "OFSTED", "Joined", True, sealer
    ).collect_events()
    state = dict(vars(event))
    for field in ("originator_id", "originator_version", "key_id", "email"):
        state.pop(field)
    state["display_name"] = "Olive Oldhand"
    ledger.recorder.insert_events(
        [
            StoredEvent(
                event.originator_id,
                1,
                get_topic(type(event)),
                ledger.mapper.transcoder.encode(state),
            )
        ]
    )
    admin.identity.add("old.hand", "Olive Oldhand", "inspector", "OFSTED", "a long password")
    old = ledger.account("old.hand")
    assert (old.display_name, old.key_id, old.email) == ("Olive Oldhand", "", "")
    assert ledger.account_name("old.hand") == "Olive Oldhand"
    admin.forget(ADMIN, "old.hand", "Asked")
    assert ledger.account("old.hand").forgotten
    assert admin.identity.get("old.hand").display_name == FORGOTTEN


def test_accounts_kept_in_plain_text_by_an_earlier_version_are_sealed_on_start(database_url):
    made = build_identity(database_url)
    with made.engine.begin() as conn:
        conn.execute(
            insert(users).values(
                username="plain.jane",
                display_name="Jane Plainview",
                role="inspector",
                organisation="OFSTED",
                password_hash="x",
                created_at=datetime.now(UTC),
                email="jane@plain.example",
            )
        )
    made.close()
    again = build_identity(database_url)
    with again.engine.connect() as conn:
        row = conn.execute(select(users).where(users.c.username == "plain.jane")).one()
    assert row.display_name.startswith("enc:v1:") and row.email.startswith("enc:v1:")
    assert row.key_id
    account = again.get("plain.jane")
    assert (account.display_name, account.email) == ("Jane Plainview", "jane@plain.example")
    again.close()
