"""Throttling with Flask-Limiter: failed sign-ins (passwords, and two-factor codes) and wrong
current passwords when changing one, per account and per client address.

Counters live where every gunicorn worker sees them: Redis when LEDGER_RATE_LIMIT_STORAGE
names it, else the ledger's own database (adapters/rate_limits.py). Only failures are counted,
but once a limit is spent every attempt is refused until its window ends, right or wrong.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from datetime import datetime

from flask import Flask, Response, current_app, render_template, request, session
from flask.typing import ResponseReturnValue
from flask_limiter import Limiter, RateLimitExceeded
from limits import parse

from adapters.config import SecuritySettings
from adapters.rate_limits import SCHEME
from web.api.problems import problem

FAILED = {400, 401}  # a wrong password (the form's 400), or an unknown or revoked API token


def _client() -> str:
    return "address:" + (request.remote_addr or "unknown")


def _account() -> str:
    return "account:" + (request.form.get("username") or "").strip().lower()[:100]


def _pending_account() -> str:
    """The account part-way through signing in (its code is being asked for)."""
    pending = session.get("pending") or {}
    return "code:" + str(pending.get("user", "")).lower()[:100]


def _signed_in_account() -> str:
    """The signed-in account whose current password is being checked."""
    from flask_login import current_user

    account = getattr(current_user, "account", None)
    return "password-change:" + (account.username if account else "")


THROTTLED = {
    "auth.sign_in": _account,
    "sign_in_steps.code": _pending_account,
    "own_account.change_password": _signed_in_account,
}


PUBLIC_WRITES = ("concerns.raise_concern", "concern_pages.raise_concern")  # no sign-in at all


def _failed(response: Response) -> bool:
    return response.status_code in FAILED


def _storage(app: Flask, settings: SecuritySettings, now: Callable[[], datetime]) -> Limiter:
    if settings.rate_limit_storage:
        return Limiter(
            _client, app=app, storage_uri=settings.rate_limit_storage, strategy="fixed-window"
        )
    options = {"url": app.config["DATABASE_URL"], "now": lambda: now().timestamp()}
    return Limiter(
        _client,
        app=app,
        storage_uri=f"{SCHEME}://",
        storage_options=options,
        strategy="fixed-window",  # type: ignore[arg-type]
    )


def init_throttling(app: Flask, settings: SecuritySettings, now: Callable[[], datetime]) -> None:
    """Limit sign-in (per account and per address); answer 429 with Retry-After."""
    limiter = _storage(app, settings, now)
    app.extensions["ledger_limiter"] = limiter
    app.extensions["ledger_limiter_now"] = (
        time.time if settings.rate_limit_storage else lambda: now().timestamp()
    )
    for endpoint, account in THROTTLED.items():
        view = app.view_functions[endpoint]
        for limit, key in (
            (settings.sign_in_limit_per_account, account),
            (settings.sign_in_limit_per_address, _client),
        ):
            view = limiter.limit(limit, key_func=key, methods=["POST"], deduct_when=_failed)(view)
        app.view_functions[endpoint] = view
    app.register_error_handler(429, too_many)


def throttle_public_writes(app: Flask, settings: SecuritySettings) -> None:
    """Limit what anyone may send without signing in (raising concerns), per address: every
    attempt counts, accepted or not. Called once the API's views are registered."""
    limiter: Limiter = app.extensions["ledger_limiter"]
    for endpoint in PUBLIC_WRITES:
        if endpoint in app.view_functions:
            limit = limiter.limit(
                settings.concern_limit_per_address, key_func=_client, methods=["POST"]
            )
            app.view_functions[endpoint] = limit(app.view_functions[endpoint])


def retry_after(reset_at: float) -> int:
    """Return whole seconds until a window ends, on the same clock as the counters."""
    return max(1, math.ceil(reset_at - current_app.extensions["ledger_limiter_now"]()))


def too_many(error: RateLimitExceeded) -> ResponseReturnValue:
    """Answer a spent limit: a problem on the API, a GOV.UK page elsewhere."""
    limiter: Limiter = current_app.extensions["ledger_limiter"]
    spent = limiter.current_limit
    seconds = retry_after(spent.window[0]) if spent else 60
    headers = {"Retry-After": str(seconds)}
    if request.path.startswith("/api/"):
        detail = f"Too many failed attempts: try again in {seconds} seconds"
        return problem(429, detail, "too-many-attempts", headers)
    return render_template("errors/429.html", minutes=math.ceil(seconds / 60)), 429, headers


def note_failed_token() -> int | None:
    """Count a failed API authentication from this address; return seconds to wait if spent."""
    limiter: Limiter = current_app.extensions["ledger_limiter"]
    if not limiter.enabled:
        return None
    settings: SecuritySettings = current_app.config["SECURITY"]
    item = parse(settings.sign_in_limit_per_address)
    if limiter.limiter.hit(item, "api-token", _client()):
        return None
    reset_at, _ = limiter.limiter.get_window_stats(item, "api-token", _client())
    return retry_after(reset_at)
