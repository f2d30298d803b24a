"""Safe retries: a POST with an Idempotency-Key already seen returns the first response.

The key is claimed by inserting a row (its primary key refuses a second claim) before the
command runs, in our own engine and outside any ledger transaction; the response is stored
after it. A concurrent duplicate waits for the stored response; a failed command releases
the key, since a refusal wrote nothing and may be retried.

A worker can die between claiming a key and storing its response. Its claim then lapses after
a lease; the next retry takes it over and asks the hash chain whether the first attempt's
events were recorded: the command runs with a correlation id derived from the key, and the
chain stores it in the same transaction as the events. If they were, the retry is answered
"already applied" (200) and nothing is written again; if not, the command runs now.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import wraps
from typing import Any

from eventsourcing.persistence import PersistenceError
from flask import Response, current_app, make_response, request
from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from web.api.auth import actor
from web.api.problems import ApiProblem

HEADER = "Idempotency-Key"
KEPT_HEADERS = ("Content-Type", "ETag", "Location")
metadata = MetaData()
keys = Table(
    "api_idempotency_keys",
    metadata,
    Column("owner", String(150), primary_key=True),
    Column("key", String(200), primary_key=True),
    Column("request_hash", String(64), nullable=False),
    Column("status", Integer, nullable=True),  # NULL while the first request runs
    Column("body", Text, nullable=True),
    Column("headers", JSON, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)


@dataclass(frozen=True)
class StoredResponse:
    status: int
    body: str
    headers: dict[str, str]


class IdempotencyStore:
    """Claimed keys and the responses they gave, in the ledger's database."""

    def __init__(self, url: str, wait_seconds: float = 10.0, lease_seconds: float = 30.0) -> None:
        self.engine = create_engine(url)
        self.wait_seconds, self.lease_seconds = wait_seconds, lease_seconds
        metadata.create_all(self.engine)

    def _take_over_lapsed(self, owner: str, key: str) -> bool:
        """Take over a claim whose first request stopped without an answer (its lease lapsed)."""
        now = datetime.now(UTC)
        lapsed = datetime.fromtimestamp(now.timestamp() - self.lease_seconds, UTC)
        with self.engine.begin() as conn:
            taken = conn.execute(
                update(keys)
                .where((keys.c.owner == owner) & (keys.c.key == key) & keys.c.status.is_(None))
                .where(keys.c.created_at < lapsed)
                .values(created_at=now)
            )
        return taken.rowcount == 1

    def claim(self, owner: str, key: str, digest: str) -> StoredResponse | bool | None:
        """Claim the key (None), or return the first identical request's response.

        True means a lapsed claim was taken over: the caller checks whether it was applied.
        """
        deadline = time.monotonic() + self.wait_seconds
        while True:
            try:
                with self.engine.begin() as conn:
                    conn.execute(
                        keys.insert().values(
                            owner=owner, key=key, request_hash=digest, created_at=datetime.now(UTC)
                        )
                    )
                return None
            except IntegrityError:
                pass
            with self.engine.connect() as conn:
                row = conn.execute(
                    select(keys).where((keys.c.owner == owner) & (keys.c.key == key))
                ).first()
            if row is None:  # the first request failed and released the key: claim it again
                continue
            if row.request_hash != digest:
                raise ApiProblem(
                    422,
                    "idempotency-key-reused",
                    f"The Idempotency-Key {key!r} was used for a different request",
                )
            if row.status is not None:
                return StoredResponse(row.status, row.body, dict(row.headers or {}))
            if self._take_over_lapsed(owner, key):
                return True
            if time.monotonic() > deadline:
                raise ApiProblem(
                    409,
                    "idempotency-key-in-progress",
                    "A request with this Idempotency-Key is still being processed; retry later",
                )
            time.sleep(0.05)

    def complete(self, owner: str, key: str, response: Response) -> None:
        """Store the response the claimed key gave."""
        headers = {h: response.headers[h] for h in KEPT_HEADERS if h in response.headers}
        with self.engine.begin() as conn:
            conn.execute(
                update(keys)
                .where((keys.c.owner == owner) & (keys.c.key == key))
                .values(
                    status=response.status_code,
                    body=response.get_data(as_text=True),
                    headers=headers,
                )
            )

    def release(self, owner: str, key: str) -> None:
        """Forget a claim whose request wrote nothing."""
        with self.engine.begin() as conn:
            conn.execute(delete(keys).where((keys.c.owner == owner) & (keys.c.key == key)))

    def close(self) -> None:
        self.engine.dispose()


APPLIED = {
    "status": "applied",
    "detail": "The first request with this Idempotency-Key was recorded, but the server could "
    "not answer it; nothing has been written again.",
}
APPLIED_HEADERS = {"Content-Type": "application/json"}


def _applied(correlation: str) -> bool:
    """Say whether any event was recorded under this correlation id."""
    recorder = current_app.extensions["ledger"].recorder
    with recorder.datastore.engine.connect() as conn:
        found = conn.execute(
            select(recorder.chain.c.seq)
            .where(recorder.chain.c.correlation_id == correlation)
            .limit(1)
        ).first()
    return found is not None


def _after_failure(store: IdempotencyStore, owner: str, key: str, correlation: str) -> None:
    """Release the key of a request that failed, unless its change was recorded first (the
    failure came later, catching read models up or building the answer): then its retries
    are told it was applied. If the database cannot say, the claim stays until its lease
    lapses, and the retry that takes it over asks the chain."""
    try:
        if _applied(correlation):
            store.complete(owner, key, Response(json.dumps(APPLIED), 200, APPLIED_HEADERS))
        else:
            store.release(owner, key)
    except (PersistenceError, SQLAlchemyError):
        pass


def request_digest() -> str:
    """Return a hash of what the request asks for: method, path, query and (canonical) body."""
    raw = request.get_data(cache=True)
    try:
        body = json.dumps(json.loads(raw), sort_keys=True, separators=(",", ":")).encode()
    except ValueError:
        body = raw
    head = f"{request.method} {request.path}?{request.query_string.decode()}\n".encode()
    return hashlib.sha256(head + body).hexdigest()


def idempotent(view: Callable[..., Any]) -> Callable[..., Any]:
    """Run a POST once per Idempotency-Key; replay its stored response to a retry."""

    @wraps(view)
    def run(*args: Any, **kwargs: Any) -> Response:
        key = request.headers.get(HEADER, "").strip()
        if not key or len(key) > 200:
            raise ApiProblem(
                400,
                "idempotency-key-required",
                f"Every POST needs an {HEADER} header (1 to 200 characters)",
            )
        store: IdempotencyStore = current_app.extensions["api_idempotency"]
        who = actor()
        owner = f"{who.organisation}/{who.user}"
        stored = store.claim(owner, key, request_digest())
        correlation = "idem-" + hashlib.sha256(f"{owner}\n{key}".encode()).hexdigest()[:40]
        if stored is True and _applied(correlation):
            stored = StoredResponse(200, json.dumps(APPLIED), APPLIED_HEADERS)
            store.complete(owner, key, Response(stored.body, 200, stored.headers))
        if isinstance(stored, StoredResponse):
            replay = Response(stored.body, status=stored.status, headers=stored.headers)
            replay.headers["Idempotent-Replayed"] = "true"
            return replay
        try:
            with current_app.extensions["ledger"].correlated(correlation):
                response = make_response(view(*args, **kwargs))
        except BaseException:
            _after_failure(store, owner, key, correlation)
            raise
        if response.status_code < 300:
            store.complete(owner, key, response)
        else:
            store.release(owner, key)
        return response

    return run
