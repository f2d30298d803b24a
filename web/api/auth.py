"""Who is calling: a bearer token per user and organisation; session cookies are never read."""

from __future__ import annotations

from flask import current_app, g, request

from adapters.tokens import TokenStore
from domain.actors import Actor
from web.api.problems import ApiProblem

CHALLENGE = 'Bearer realm="inspection-ledger"'


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
