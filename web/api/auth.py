"""Who is calling: a bearer token per user and organisation; session cookies are never read."""

from __future__ import annotations

from flask import current_app, g, request
from sqlalchemy import null, select, union_all

from adapters.identity import Account
from adapters.persistence import single_statements
from adapters.tokens import ACCOUNT, TokenStore, token_hash
from domain.actors import Actor
from projections.changes import changes
from web.api.problems import ApiProblem

CHALLENGE = 'Bearer realm="inspection-ledger"'
ACCOUNT_AND_STAMPS = union_all(  # rows: the account's (stamp NULL), then one per stamp
    ACCOUNT.add_columns(null().label("stamp")),
    select(changes.c.name, null(), null(), changes.c.stamp),
)


def authenticate() -> None:
    """Find the actor behind the request's bearer token, or refuse with 401."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiProblem(
            401,
            "unauthenticated",
            "Send an API token: Authorization: Bearer <token>",
            {"WWW-Authenticate": CHALLENGE},
        )
    store: TokenStore = current_app.extensions["api_tokens"]
    if request.method in ("GET", "HEAD"):
        account = _account_and_stamps(store, token.strip())
    else:
        account = store.account_for(token.strip())
    if account is None:
        _refuse_if_throttled()
        raise ApiProblem(
            401,
            "invalid-token",
            "The API token is unknown or revoked",
            {"WWW-Authenticate": CHALLENGE + ', error="invalid_token"'},
        )
    g.api_actor = account.actor


def _account_and_stamps(store: TokenStore, token: str) -> Account | None:
    """Return the token's account, and keep every read-model table's change stamp in `g` for
    `cached` (web/api/cache.py): both in one query, so a cached read costs one round trip to
    the database. The stamps are read before the answer is computed, as `cached` needs."""
    with single_statements(store.engine) as conn:
        rows = conn.execute(ACCOUNT_AND_STAMPS, {"digest": token_hash(token)}).tuples().all()
    g.api_stamps = {row[0]: row[3] for row in rows if row[3] is not None}
    found = [row for row in rows if row[3] is None]
    if not found:
        return None
    username, role, organisation = found[0][:3]
    return Account(username, "", role, organisation)  # its actor: no name needed


def _refuse_if_throttled() -> None:
    """Count a wrong token from this address; refuse with 429 once too many were wrong."""
    from web.throttling import note_failed_token

    wait = note_failed_token()
    if wait is not None:
        detail = f"Too many unknown or revoked tokens: try again in {wait} seconds"
        raise ApiProblem(429, "too-many-attempts", detail, {"Retry-After": str(wait)})


def actor() -> Actor:
    """Return the authenticated actor of this request."""
    found: Actor = g.api_actor
    return found
