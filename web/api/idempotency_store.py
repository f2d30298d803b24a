"""Claimed Idempotency-Keys and what a replay of each needs, kept for a limited time.

A key is claimed per account by inserting a row (its primary key refuses a second claim),
with the digest of the request and a correlation id made here: the events the request
records carry it, so a retry after a crash can ask the hash chain whether they were
recorded. No client header takes part.

What is kept of the answer is bounded: its status, Content-Type, ETag and Location, and the
body only up to REPLAY_BODY_LIMIT bytes; a replay of a larger answer gets a short body
pointing at the Location. A key expires `ttl` after its claim (by the application's clock);
expired keys are deleted by the writes that follow, and a key used again after it expired
is a new request.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

from flask import Response
from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Engine,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    bindparam,
    delete,
    inspect,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from adapters.persistence import release_engine, shared_engine, single_statements
from web.api.problems import ApiProblem

KEPT_HEADERS = ("Content-Type", "ETag", "Location")
REPLAY_BODY_LIMIT = 64 * 1024
DEFAULT_TTL = timedelta(hours=24)
PURGE_EVERY_SECONDS = 60.0
metadata = MetaData()
keys = Table(
    "api_idempotency_keys",
    metadata,
    Column("owner", String(150), primary_key=True),
    Column("key", String(200), primary_key=True),
    Column("request_hash", String(64), nullable=False),
    Column("correlation", String(64), nullable=False, default=lambda: f"idem-{uuid4().hex}"),
    Column("status", Integer, nullable=True),  # NULL while the first request runs
    Column("body", Text, nullable=True),  # NULL too when the answer was over the limit
    Column("headers", JSON, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),  # the claim, for its lease
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Index("api_idempotency_keys_expiry", "expires_at"),
)
TOO_LARGE = (
    '{"status": "replayed", "detail": "The first response with this Idempotency-Key was too '
    'large to keep; read the record at its Location. Nothing has been written again."}'
)


@dataclass(frozen=True)
class StoredResponse:
    status: int
    body: str
    headers: dict[str, str]


@dataclass(frozen=True)
class Claim:
    """A key this request now holds: run the command under `correlation`.

    `taken_over` says an earlier request claimed it and stopped without an answer: it may
    have recorded its events first."""

    correlation: str
    taken_over: bool = False


def moved_clock(today: Callable[[], date]) -> Callable[[], datetime]:
    """Return the time now, moved by as many days as the application's date is set apart."""
    return lambda: datetime.now(UTC) + (today() - date.today())


def _matching(owner: str, key: str):  # type: ignore[no-untyped-def]
    return (keys.c.owner == owner) & (keys.c.key == key)


# The statements of every write, built once (a statement built per request costs more CPU
# than its round trip): each binds the owner and key as `o` and `k`.
CLAIM = keys.insert()
COMPLETE = (
    update(keys)
    .where((keys.c.owner == bindparam("o")) & (keys.c.key == bindparam("k")))
    .values(
        status=bindparam("kept_status", type_=Integer),
        body=bindparam("kept_body", type_=Text),
        headers=bindparam("kept_headers", type_=JSON),
    )
)


def _create(engine: Engine) -> None:
    """Create the table; one from before correlations and expiry is replaced (keys only)."""
    found = inspect(engine)
    if found.has_table(keys.name):
        columns = {c["name"] for c in found.get_columns(keys.name)}
        if not {"correlation", "expires_at"} <= columns:
            keys.drop(engine)
    metadata.create_all(engine)


class IdempotencyStore:
    """Claimed keys and the answers they gave, in the ledger's database."""

    def __init__(
        self,
        url: str,
        wait_seconds: float = 10.0,
        lease_seconds: float = 30.0,
        ttl: timedelta = DEFAULT_TTL,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.engine = shared_engine(url)
        self.wait_seconds, self.lease_seconds = wait_seconds, lease_seconds
        self.ttl, self.now = ttl, now
        self.purge_every, self._purged_at = PURGE_EVERY_SECONDS, float("-inf")
        _create(self.engine)

    def purge(self) -> int:
        """Delete every expired key; return how many."""
        with single_statements(self.engine) as conn:
            return conn.execute(delete(keys).where(keys.c.expires_at <= self.now())).rowcount

    def _purge_now_and_then(self) -> None:
        """Delete the expired keys of every account, once in a while."""
        if time.monotonic() - self._purged_at >= self.purge_every:
            self._purged_at = time.monotonic()
            self.purge()

    def _forget_if_expired(self, owner: str, key: str) -> bool:
        """Delete this key if it expired, so that its new use is a new request."""
        with single_statements(self.engine) as conn:
            expired = _matching(owner, key) & (keys.c.expires_at <= self.now())
            return conn.execute(delete(keys).where(expired)).rowcount == 1

    def _take_over_lapsed(self, owner: str, key: str) -> bool:
        """Take over a claim whose first request stopped without an answer (its lease lapsed)."""
        wall = datetime.now(UTC)
        with single_statements(self.engine) as conn:
            taken = conn.execute(
                update(keys)
                .where(_matching(owner, key), keys.c.status.is_(None))
                .where(keys.c.created_at < wall - timedelta(seconds=self.lease_seconds))
                .values(created_at=wall)
            )
        return taken.rowcount == 1

    def _insert(self, owner: str, key: str, digest: str) -> Claim | None:
        correlation = f"idem-{uuid4().hex}"
        values = {"owner": owner, "key": key, "request_hash": digest, "correlation": correlation}
        times = {"created_at": datetime.now(UTC), "expires_at": self.now() + self.ttl}
        try:
            with single_statements(self.engine) as conn:
                conn.execute(CLAIM, values | times)
        except IntegrityError:
            return None
        return Claim(correlation)

    def claim(self, owner: str, key: str, digest: str) -> Claim | StoredResponse:
        """Claim the key, or return the answer the first identical request gave."""
        self._purge_now_and_then()
        deadline = time.monotonic() + self.wait_seconds
        while True:
            claimed = self._insert(owner, key, digest)
            if claimed is not None:
                return claimed
            if self._forget_if_expired(owner, key):
                continue
            with single_statements(self.engine) as conn:
                row = conn.execute(select(keys).where(_matching(owner, key))).first()
            if row is None:  # the first request failed and released the key: claim it again
                continue
            if row.request_hash != digest:
                raise ApiProblem(
                    422,
                    "idempotency-key-reused",
                    f"The Idempotency-Key {key!r} was used for a different request",
                )
            if row.status is not None:
                body = TOO_LARGE if row.body is None else row.body
                return StoredResponse(row.status, body, dict(row.headers or {}))
            if self._take_over_lapsed(owner, key):
                return Claim(row.correlation, taken_over=True)
            if time.monotonic() > deadline:
                raise ApiProblem(
                    409,
                    "idempotency-key-in-progress",
                    "A request with this Idempotency-Key is still being processed; retry later",
                )
            time.sleep(0.05)

    def complete(self, owner: str, key: str, response: Response) -> None:
        """Keep what a replay of the claimed key's answer needs."""
        headers = {h: response.headers[h] for h in KEPT_HEADERS if h in response.headers}
        body = response.get_data()
        if len(body) > REPLAY_BODY_LIMIT:
            headers["Content-Type"] = "application/json"
        kept = body.decode() if len(body) <= REPLAY_BODY_LIMIT else None
        kept_values = {"kept_status": response.status_code, "kept_body": kept}
        with single_statements(self.engine) as conn:
            conn.execute(COMPLETE, {"o": owner, "k": key, "kept_headers": headers} | kept_values)

    def release(self, owner: str, key: str) -> None:
        """Forget a claim whose request wrote nothing."""
        with single_statements(self.engine) as conn:
            conn.execute(delete(keys).where(_matching(owner, key)))

    def close(self) -> None:
        release_engine(self.engine)
