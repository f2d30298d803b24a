"""Safe retries: a POST with an Idempotency-Key already seen returns the first response.

The key is claimed (web/api/idempotency_store.py) before the command runs, in our own engine
and outside any ledger transaction; the answer is kept after it. A concurrent duplicate waits
for the kept answer; a failed command releases the key, since a refusal wrote nothing and may
be retried.

A worker can die between claiming a key and keeping its answer. Its claim then lapses after
a lease; the next retry takes it over and asks the hash chain whether the first attempt's
events were recorded: the command runs under the correlation id its claim was given, and the
chain stores it in the same transaction as the events. If they were, the retry is answered
"already applied" (200) and nothing is written again; if not, the command runs now.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from eventsourcing.persistence import PersistenceError
from flask import Response, current_app, g, make_response, request
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from web.api.auth import actor
from web.api.idempotency_store import Claim, IdempotencyStore, StoredResponse
from web.api.problems import ApiProblem
from web.api.request_body import request_digest

HEADER = "Idempotency-Key"


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


def _without_secrets(response: Response) -> Response:
    """Return the response to keep for replays: any secret the view named is left out."""
    secret = g.pop("idempotency_secret_fields", ())
    if not secret:
        return response
    body = {k: v for k, v in json.loads(response.get_data()).items() if k not in secret}
    kept = Response(json.dumps(body), response.status_code, dict(response.headers))
    kept.headers["Content-Length"] = str(len(kept.get_data()))
    return kept


def idempotent(view: Callable[..., Any]) -> Callable[..., Any]:
    """Run a write (POST, PUT) once per Idempotency-Key; replay its stored response to a retry."""

    @wraps(view)
    def run(*args: Any, **kwargs: Any) -> Response:
        key = request.headers.get(HEADER, "").strip()
        if not key or len(key) > 200:
            raise ApiProblem(
                400,
                "idempotency-key-required",
                f"Every write (POST, PUT) needs an {HEADER} header (1 to 200 characters)",
            )
        store: IdempotencyStore = current_app.extensions["api_idempotency"]
        who = actor()
        owner = f"{who.organisation}/{who.user}"
        claim = store.claim(owner, key, request_digest())
        if isinstance(claim, Claim) and claim.taken_over and _applied(claim.correlation):
            store.complete(owner, key, Response(json.dumps(APPLIED), 200, APPLIED_HEADERS))
            claim = StoredResponse(200, json.dumps(APPLIED), APPLIED_HEADERS)
        if isinstance(claim, StoredResponse):
            replay = Response(claim.body, status=claim.status, headers=claim.headers)
            replay.headers["Idempotent-Replayed"] = "true"
            return replay
        correlation = g.correlation_id = claim.correlation  # what the request log names
        try:
            with current_app.extensions["ledger"].correlated(correlation):
                response = make_response(view(*args, **kwargs))
        except BaseException:
            _after_failure(store, owner, key, correlation)
            raise
        if response.status_code < 300:
            store.complete(owner, key, _without_secrets(response))
        else:
            store.release(owner, key)
        return response

    return run
