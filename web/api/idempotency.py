"""Safe retries: a POST with an Idempotency-Key already seen returns the first response.

The key is claimed by inserting a row (its primary key refuses a second claim) before the
command runs, in our own engine and outside any ledger transaction; the response is stored
after it. A concurrent duplicate waits for the stored response; a failed command releases
the key, since a refusal wrote nothing and may be retried.
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
from sqlalchemy.exc import IntegrityError

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

    def __init__(self, url: str, wait_seconds: float = 10.0) -> None:
        self.engine = create_engine(url)
        self.wait_seconds = wait_seconds
        metadata.create_all(self.engine)

    def claim(self, owner: str, key: str, digest: str) -> StoredResponse | None:
        """Claim the key (None), or return the response a first identical request gave."""
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
        if stored is not None:
            replay = Response(stored.body, status=stored.status, headers=stored.headers)
            replay.headers["Idempotent-Replayed"] = "true"
            return replay
        try:
            response = make_response(view(*args, **kwargs))
        except BaseException:
            store.release(owner, key)
            raise
        if response.status_code < 300:
            store.complete(owner, key, response)
        else:
            store.release(owner, key)
        return response

    return run
