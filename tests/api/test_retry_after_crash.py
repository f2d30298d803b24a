"""A worker that dies mid-request leaves a claimed key: after its lease a retry is safe."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import update
from sqlalchemy.exc import OperationalError

from tests.scenarios import BARKING
from web.api.idempotency_store import keys

BODY = {"kind": "improvement_adviser_appointed", "on": "2026-01-05", "details": "Adviser named"}
PATH = f"/councils/{BARKING}/interventions"


def interventions(api) -> list[str]:
    return [i["details"] for i in api.ledger.council(BARKING).interventions]


def as_if_the_worker_died_before_answering(api, key: str) -> None:
    """Forget the stored answer and age the claim past its lease, as a killed worker leaves it."""
    store = api.app.extensions["api_idempotency"]
    with store.engine.begin() as conn:
        conn.execute(
            update(keys)
            .where(keys.c.key == key)
            .values(
                status=None,
                body=None,
                headers=None,
                created_at=datetime.now(UTC) - timedelta(hours=1),
            )
        )


def test_a_retry_after_a_crash_that_had_recorded_the_event_writes_nothing_again(api):
    first = api.post(PATH, BODY, role="admin", if_match="*", key="crash-1")
    assert first.status_code == 201
    as_if_the_worker_died_before_answering(api, "crash-1")
    retry = api.post(PATH, BODY, role="admin", if_match="*", key="crash-1")
    assert (retry.status_code, retry.json["status"]) == (200, "applied")
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert interventions(api) == ["Adviser named"]
    again = api.post(PATH, BODY, role="admin", if_match="*", key="crash-1")
    assert again.status_code == 200 and interventions(api) == ["Adviser named"]


def test_a_retry_after_a_crash_before_anything_was_recorded_runs_the_command(api):
    store = api.app.extensions["api_idempotency"]
    body = json.dumps(BODY, sort_keys=True, separators=(",", ":")).encode()
    digest = hashlib.sha256(f"POST /api/v1{PATH}?\n".encode() + body).hexdigest()
    with store.engine.begin() as conn:  # the claim a worker left when it died before saving
        conn.execute(
            keys.insert().values(
                owner="LEDGER/ada.admin",
                key="crash-2",
                request_hash=digest,
                created_at=datetime.now(UTC) - timedelta(hours=1),
                expires_at=datetime.now(UTC) + timedelta(hours=1),
            )
        )
    retry = api.post(PATH, BODY, role="admin", if_match="*", key="crash-2")
    assert retry.status_code == 201 and "Idempotent-Replayed" not in retry.headers
    assert interventions(api) == ["Adviser named"]


def test_a_live_claim_is_not_taken_over_before_its_lease_lapses(api):
    store = api.app.extensions["api_idempotency"]
    store.wait_seconds = 0.2
    owner = "LEDGER/ada.admin"
    first = api.post(PATH, BODY, role="admin", if_match="*", key="crash-3")
    with store.engine.begin() as conn:
        conn.execute(
            update(keys)
            .where((keys.c.owner == owner) & (keys.c.key == "crash-3"))
            .values(status=None, body=None, headers=None, created_at=datetime.now(UTC))
        )
    retry = api.post(PATH, BODY, role="admin", if_match="*", key="crash-3")
    assert first.status_code == 201 and retry.status_code == 409
    assert retry.json["type"].endswith("idempotency-key-in-progress")
    assert interventions(api) == ["Adviser named"]


def test_a_failure_after_the_event_was_recorded_keeps_the_key_so_a_retry_writes_nothing(api):
    def read_models_unreachable() -> None:  # the inline catch-up, after the save, fails
        raise OperationalError("SELECT 1", {}, Exception("server closed the connection"))

    api.ledger.after_save.append(read_models_unreachable)
    try:
        failed = api.post(PATH, BODY, role="admin", if_match="*", key="late-1")
    finally:
        api.ledger.after_save.remove(read_models_unreachable)
    assert failed.status_code == 503
    assert interventions(api) == ["Adviser named"]  # recorded before the failure
    retry = api.post(PATH, BODY, role="admin", if_match="*", key="late-1")
    assert (retry.status_code, retry.json["status"]) == (200, "applied")
    assert interventions(api) == ["Adviser named"]


def test_a_failure_before_anything_was_recorded_frees_the_key_for_a_retry(api):
    def unreachable(*_, **__):
        raise OperationalError("LOCK TABLE", {}, Exception("server closed the connection"))

    api.ledger.recorder.insert_events, original = unreachable, api.ledger.recorder.insert_events
    try:
        failed = api.post(PATH, BODY, role="admin", if_match="*", key="early-1")
    finally:
        api.ledger.recorder.insert_events = original
    assert failed.status_code == 503 and interventions(api) == []
    retry = api.post(PATH, BODY, role="admin", if_match="*", key="early-1")
    assert retry.status_code == 201 and interventions(api) == ["Adviser named"]
