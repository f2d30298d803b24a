"""Production shape: health, readiness, metrics, request ids in events, JSON logs, 503s."""

from __future__ import annotations

import json
import logging

import pytest
from eventsourcing.persistence import OperationalError
from sqlalchemy import select

from tests.scenarios import ADMIN, BARKING


def test_health_says_the_process_is_up(pages):
    assert pages.get("/healthz").json == {"status": "ok"}


def test_ready_when_the_database_answers_and_the_read_models_are_current(pages):
    response = pages.get("/readyz")
    assert response.status_code == 200
    assert response.json["status"] == "ready" and set(response.json["projection_lag"]) >= {
        "ratings"
    }


def test_not_ready_when_the_read_models_lag_too_far_behind(pages):
    services = pages.app.extensions["ledger_services"]
    services.ledger.after_save.clear()  # as on PostgreSQL without a follower: not inline
    services.ledger.recorder.within_append.clear()
    pages.app.config["READY_MAX_LAG"] = 0
    services.ledger.record_intervention(ADMIN, BARKING, "intervention_ended", pages.clock.day, "")
    response = pages.get("/readyz")
    assert response.status_code == 503 and response.json["status"] == "lagging"
    assert max(response.json["projection_lag"].values()) == 1


def database_down(monkeypatch, ledger) -> None:
    """Make every read and write of the event store fail as a lost connection does."""

    def down(*_, **__):
        raise OperationalError("server closed the connection unexpectedly")

    for name in ("max_notification_id", "select_events", "insert_events"):
        monkeypatch.setattr(ledger.recorder, name, down)
    ledger.repository.cache.clear()


def test_not_ready_while_the_database_is_unreachable(pages, monkeypatch):
    database_down(monkeypatch, pages.ledger)
    response = pages.get("/readyz")
    assert (response.status_code, response.json["status"]) == (503, "unavailable")


def test_a_page_needing_the_database_answers_503_in_the_service_style(pages, monkeypatch):
    pages.sign_in("auditor")
    database_down(monkeypatch, pages.ledger)
    response = pages.get(f"/audit/inspection/{pages.story.revised}")
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    assert "Sorry, the service is unavailable" in response.text


def test_an_api_write_during_an_outage_answers_503_problem_and_writes_nothing(pages, monkeypatch):
    from adapters.tokens import TokenStore

    store = TokenStore(pages.app.config["DATABASE_URL"], pages.app.extensions["identity"])
    _, token = store.create("ada.admin")
    store.close()
    before = pages.ledger.recorder.max_notification_id()
    database_down(monkeypatch, pages.ledger)
    response = pages.client.post(
        f"/api/v1/councils/{BARKING}/interventions",
        json={"kind": "intervention_ended", "on": "2026-11-02", "details": "Lifted"},
        headers={"Authorization": f"Bearer {token}", "If-Match": "*", "Idempotency-Key": "k-503"},
    )
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json" and response.json["status"] == 503
    monkeypatch.undo()
    assert pages.ledger.recorder.max_notification_id() == before


def test_metrics_count_requests_and_report_projection_lag(pages):
    pages.get("/healthz")
    text = pages.get("/metrics").text
    assert 'ledger_http_requests_total{endpoint="/healthz",method="GET",status="200"}' in text
    assert 'ledger_projection_lag_events{projection="ratings"} 0.0' in text


def test_events_saved_during_a_request_carry_a_correlation_id_the_server_made_and_logged(
    pages, capsys
):
    handler = logging.getLogger("ledger.requests").handlers[0]
    handler.setStream(__import__("sys").stderr)
    pages.sign_in("auditor")
    response = pages.client.get("/audit/", headers={"X-Request-ID": "req-abc"})
    assert response.headers["X-Request-ID"] == "req-abc"
    pages.sign_in("officer")
    plan = f"/inspections/{pages.story.revised}/action-plan/summary"
    pages.client.post(
        plan,
        data={"summary": "Updated plan", "step": "confirm"},
        headers={"X-Request-ID": "req-plan-1"},
    )
    recorder = pages.app.extensions["ledger"].recorder
    with recorder.datastore.engine.connect() as conn:
        last = conn.execute(
            select(recorder.chain.c.correlation_id).order_by(recorder.chain.c.seq.desc()).limit(1)
        ).scalar()
    lines = [
        json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")
    ]
    logged = next(e for e in lines if e.get("request_id") == "req-plan-1")
    assert last != "req-plan-1"  # the client's header is a label, never the chain's id
    assert logged["correlation_id"] == last


def test_each_request_is_logged_as_one_json_object(pages, capsys):
    handler = logging.getLogger("ledger.requests").handlers[0]
    handler.setStream(__import__("sys").stderr)
    pages.client.get("/healthz", headers={"X-Request-ID": "log-1"})
    lines = [
        json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")
    ]
    entry = next(e for e in lines if e.get("request_id") == "log-1")
    assert (entry["method"], entry["path"], entry["status"], entry["level"]) == (
        "GET",
        "/healthz",
        200,
        "INFO",
    )
    assert entry["duration_ms"] >= 0


@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/metrics"])
def test_operations_endpoints_need_no_sign_in(pages, path):
    assert pages.get(path).status_code == 200
