"""Idempotency-Keys belong to an account, keep a bounded answer and expire; no header forges one."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from flask import Response
from sqlalchemy import create_engine, func, select, text

from tests.api.conftest import Api, make_api, schedule_body
from tests.scenarios import BARKING
from web.api.idempotency_store import REPLAY_BODY_LIMIT, Claim, IdempotencyStore, keys

BODY = {"kind": "improvement_adviser_appointed", "on": "2026-01-05", "details": "Adviser named"}
PATH = f"/councils/{BARKING}/interventions"


def interventions(api: Api) -> list[str]:
    return [i["details"] for i in api.ledger.council(BARKING).interventions]


def stored_keys(api: Api) -> list[str]:
    with api.app.extensions["api_idempotency"].engine.connect() as conn:
        return sorted(conn.execute(select(keys.c.key)).scalars())


def last_correlation(api: Api) -> str:
    chain = api.ledger.recorder.chain
    with api.ledger.recorder.datastore.engine.connect() as conn:
        return conn.execute(select(chain.c.correlation_id).order_by(chain.c.seq.desc())).first()[0]


def forge_on_a_page(api: Api, request_id: str) -> None:
    """A moderator records an intervention through the pages, naming the request themselves."""
    api.app.config["WTF_CSRF_ENABLED"] = False
    pages = api.app.test_client()
    pages.post("/sign-in", data={"username": "mo.moderator", "password": "password"})
    answers = {"kind": "improvement_notice_issued", "on": ["2", "3", "2026"], "details": "Forged"}
    url = f"/councils/{BARKING}/interventions/new"
    done = pages.post(url, data=answers | {"step": "confirm"}, headers={"X-Request-ID": request_id})
    assert done.status_code == 302


def test_a_spoofed_request_id_cannot_mark_another_accounts_key_as_applied(
    api_on_every_backend: Api,
) -> None:
    api = api_on_every_backend  # review finding C7, with the correlation the key used to give
    forged = "idem-" + hashlib.sha256(b"LEDGER/ada.admin\nsome-key").hexdigest()[:40]
    forge_on_a_page(api, forged)
    assert last_correlation(api) != forged

    refused = api.post(PATH, BODY, role="admin", if_match='"99"', key="some-key")
    retry = api.post(PATH, BODY, role="admin", if_match="*", key="some-key")

    assert refused.status_code == 412
    assert retry.status_code == 201 and "Idempotent-Replayed" not in retry.headers
    assert interventions(api) == ["Forged", "Adviser named"]


def test_each_claim_records_its_events_under_a_correlation_of_its_own(api: Api) -> None:
    api.post(PATH, BODY, role="admin", if_match="*", key="one")
    first = last_correlation(api)
    api.post(PATH, BODY | {"details": "Another"}, role="admin", if_match="*", key="one-more")
    assert first.startswith("idem-") and last_correlation(api) not in (first, "one-more")


def test_the_same_key_of_two_accounts_is_two_requests(api: Api) -> None:
    first = api.post("/inspections", schedule_body(), role="inspector", key="shared")
    other = api.post(PATH, BODY, role="admin", if_match="*", key="shared")
    assert (first.status_code, other.status_code) == (201, 201)
    assert "Idempotent-Replayed" not in other.headers


def test_a_key_replays_for_a_day_then_expires_and_is_new(api: Api, clock) -> None:
    first = api.post(PATH, BODY, role="admin", if_match="*", key="daily")
    replay = api.post(PATH, BODY, role="admin", if_match="*", key="daily")
    assert first.status_code == 201 and replay.headers["Idempotent-Replayed"] == "true"

    clock.advance_to(clock.day + timedelta(days=2))
    other = BODY | {"details": "Second adviser"}
    reused = api.post(PATH, other, role="admin", if_match="*", key="daily")
    assert reused.status_code == 201 and "Idempotent-Replayed" not in reused.headers
    assert interventions(api) == ["Adviser named", "Second adviser"]


def test_expired_keys_of_every_account_are_deleted_by_a_later_write(api: Api, clock) -> None:
    api.post("/inspections", schedule_body(), role="inspector", key="old-1")
    api.post(PATH, BODY, role="admin", if_match="*", key="old-2")
    assert stored_keys(api) == ["old-1", "old-2"]
    clock.advance_to(clock.day + timedelta(days=2))
    api.app.extensions["api_idempotency"].purge_every = 0
    api.post(PATH, BODY | {"details": "Later"}, role="admin", if_match="*", key="new")
    assert stored_keys(api) == ["new"]


def test_the_retention_is_configurable(tmp_path, clock, monkeypatch) -> None:
    monkeypatch.setenv("LEDGER_IDEMPOTENCY_TTL_HOURS", "1.5")
    for api in make_api(f"sqlite:///{tmp_path / 'ttl.sqlite'}", clock, tokens={}):
        assert api.app.extensions["api_idempotency"].ttl == timedelta(hours=1.5)


def test_a_large_answer_is_replayed_as_its_status_headers_and_a_short_body(api: Api) -> None:
    store = api.app.extensions["api_idempotency"]
    claim = store.claim("LEDGER/ada.admin", "big", "0" * 64)
    big = Response("x" * (REPLAY_BODY_LIMIT + 1), 201, {"Location": "/api/v1/x", "ETag": '"3"'})
    store.complete("LEDGER/ada.admin", "big", big)
    replay = store.claim("LEDGER/ada.admin", "big", "0" * 64)
    assert claim.correlation.startswith("idem-")
    assert (replay.status, replay.headers["Location"], replay.headers["ETag"]) == (
        201,
        "/api/v1/x",
        '"3"',
    )
    assert "too large to keep" in replay.body and len(replay.body) < 300
    with store.engine.connect() as conn:
        assert (
            conn.execute(select(func.length(keys.c.body)).where(keys.c.key == "big")).scalar()
            is None
        )


def test_a_keys_table_from_before_expiry_is_replaced_on_opening(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE api_idempotency_keys (owner TEXT, key TEXT, body TEXT)"))
        conn.execute(text("INSERT INTO api_idempotency_keys VALUES ('a/b', 'k', 'x')"))
    engine.dispose()
    store = IdempotencyStore(url)
    claim = store.claim("a/b", "k", "0" * 64)
    store.close()
    assert isinstance(claim, Claim) and not claim.taken_over


def test_an_empty_answer_replays_empty(api: Api) -> None:
    store = api.app.extensions["api_idempotency"]
    store.claim("LEDGER/ada.admin", "empty", "0" * 64)
    store.complete("LEDGER/ada.admin", "empty", Response("", 204))
    replay = store.claim("LEDGER/ada.admin", "empty", "0" * 64)
    assert (replay.status, replay.body) == (204, "")
