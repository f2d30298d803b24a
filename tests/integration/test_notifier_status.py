"""What an operator sees of the notifier: its position and lag, a halt, and its outbox by state
(queued, due, retrying, sent, failed, withheld) in `ledger projections status`, `/readyz` and
`/metrics`, on every backend."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from adapters.account_admin import AccountAdmin
from adapters.sessions import SessionStore
from domain.inspection import Inspection
from projections.notifier_status import notifier_status
from tests.integration.conftest import notify_once
from tests.integration.test_halts import FAULT, cannot_apply
from tests.scenarios import (
    BARKING,
    BARNET,
    INSPECTOR,
    challengeable_report,
    officer,
    publish_after_window,
    register_councils,
)
from tests.web.conftest import make_app
from web.cli import main


def status(url: str, *args: str) -> str:
    result = CliRunner().invoke(main, ["projections", "status", *args], env={"DATABASE_URL": url})
    assert result.exit_code == 0, result.output
    return result.output


def notifier_row(url: str) -> dict:
    rows = {r["name"]: r for r in json.loads(status(url, "--json"))}
    return rows["notifier"]


@pytest.fixture
def told(ledger, clock, notifier, inbox, identity, database_url, now):
    """A report published after its window, told with one officer's address erased (failed),
    the other's `published` turned off (withheld), and the moderator's mailbox refusing
    (retrying); the action plan's reminders wait for later (queued)."""
    sessions = SessionStore(database_url, now)
    AccountAdmin(ledger, identity, sessions, common=set()).choose_emails(
        officer(BARKING), ["published"]
    )
    sessions.engine.dispose()
    identity.erase_email("bola.barking")
    inbox.refuse.add("mo@ofsted.example")
    register_councils(ledger)
    inspection = challengeable_report(ledger, clock)
    publish_after_window(ledger, clock, inspection)
    notify_once(notifier, ledger)
    return inspection


def test_no_notifier_status_where_no_notifier_ran(database_url, ledger):
    register_councils(ledger)

    assert "notifier" not in status(database_url)
    assert "notifier" not in {r["name"] for r in json.loads(status(database_url, "--json"))}


def test_the_outbox_by_state_and_the_notifier_at_the_head(
    ledger, told, notifier, database_url, now
):
    head = ledger.recorder.max_notification_id()

    found = notifier_status(notifier.engine, head, now())

    assert found is not None and (found.reading.position, found.lag, found.halt) == (head, 0, None)
    o = found.outbox
    assert (o.failed, o.withheld, o.retrying, o.due) == (5, 1, 2, 0)  # mo: two, not yet due
    assert o.sent == 4 + 2  # olu: notice, draft, final, closed; ian: comments complete, closed
    assert o.queued == 2 + 2 + 3  # mo's two; the plan's reminder (officers) and missed (and mo)
    now.move(minutes=1)
    later = notifier_status(notifier.engine, head, now())
    assert later is not None and later.outbox.due == 2 and later.outbox.oldest_due is not None
    row = notifier_row(database_url)
    assert (row["position"], row["lag"]) == (head, 0)
    assert {k: row["outbox"][k] for k in ("sent", "failed", "withheld")} == {
        "sent": 6,
        "failed": 5,
        "withheld": 1,
    }


def test_status_shows_the_notifier_behind_and_halted(
    ledger, clock, told, notifier, database_url, monkeypatch
):
    ledger.schedule_inspection(INSPECTOR, BARNET, "standard", clock.day.replace(year=2027))
    behind = notifier_row(database_url)
    assert behind["lag"] == 1 and behind["head"] == behind["position"] + 1
    assert "lag 1" in next(line for line in status(database_url).splitlines() if "notifier" in line)

    cannot_apply(monkeypatch, notifier.projection, Inspection.Scheduled)
    notify_once(notifier, ledger)

    text = status(database_url)
    lines = text[text.index("notifier") :].splitlines()
    assert "lag 1" in lines[0] and lines[1].startswith("  outbox: ")
    assert "5 failed, 1 withheld" in lines[1]
    assert (
        lines[2] == f"  HALTED at event {behind['head']} (domain.inspection:Inspection.Scheduled)"
    )
    assert lines[3].endswith(f"RuntimeError: {FAULT}")
    assert notifier_row(database_url)["halted"]["notification_id"] == behind["head"]


def test_readyz_and_metrics_show_the_notifier_without_turning_traffic_away(
    told, database_url, clock
):
    app = make_app(database_url, clock)
    try:
        client = app.test_client()
        ready = client.get("/readyz")
        metrics = client.get("/metrics").text
    finally:
        app.extensions["ledger_services"].close()
        app.extensions["identity"].close()

    assert ready.status_code == 200 and ready.json["status"] == "ready"  # mail is not traffic
    shown = ready.json["notifier"]
    assert (shown["lag"], shown["halted"]) == (0, None)
    assert shown["outbox"] is None  # not counted for readiness: /metrics counts it
    assert 'ledger_notifier_outbox{state="failed"} 5.0' in metrics
    assert 'ledger_notifier_outbox{state="withheld"} 1.0' in metrics
    assert "ledger_notifier_lag_events 0.0" in metrics
    assert "ledger_notifier_halted 0.0" in metrics
    # counted at the real time, after the plan's reminder expired: mo's two and plan_missed's 3
    assert 'ledger_notifier_outbox{state="queued"} 5.0' in metrics
