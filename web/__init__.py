"""The Flask application factory."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import Flask

from adapters.config import load_door_limits, load_security
from adapters.persistence import DEFAULT_DATABASE_PATH, database_url, kept_secret


def _secret_key() -> str:
    """Return a key kept in instance/, made on first use (set LEDGER_SECRET_KEY in production)."""
    path = Path(DEFAULT_DATABASE_PATH).parent / "secret_key"
    secret = kept_secret(path, lambda: secrets.token_hex(32))
    path.chmod(0o600)  # one made world-readable by an earlier version
    return secret


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create the web application on the configured database.

    Configuration comes from the environment (DATABASE_URL, and LEDGER_* variables such as
    LEDGER_SECRET_KEY) and then `test_config`; a test may pass TODAY, a callable giving the date,
    NOW, one giving the time (sessions, throttling, two-factor codes), SECURITY
    (`load_security(...)`), REQUIRE_2FA_ROLES (else SECURITY's `require_two_factor`) and
    LOG_IDENTITY (a LogIdentity; else LEDGER_LOG_ORIGIN and LEDGER_LOG_KEY, or a key made once in
    instance/). LEDGER_WITNESS_KEYS lists the witnesses whose cosignatures the log takes.
    """
    app = Flask(__name__)
    limits = load_door_limits()
    app.config.from_mapping(
        DATABASE_URL=database_url(),
        TODAY=None,
        MAX_CONTENT_LENGTH=limits.max_request_bytes,
        IDEMPOTENCY_TTL=limits.idempotency_ttl,
        NOW=None,
        SECURITY=load_security(),
        SESSION_COOKIE_SAMESITE="Lax",
    )
    app.config.from_prefixed_env("LEDGER")
    if test_config:
        app.config.update(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key()

    from web.bootstrap import (
        build_account_admin,
        build_checkpoints,
        build_identity,
        build_services,
        build_sessions,
        build_two_factor,
        witness_keys,
    )

    services = build_services(app.config["DATABASE_URL"], app.config["TODAY"])
    app.extensions["ledger_services"] = services
    app.extensions["ledger"] = services.ledger
    app.extensions["identity"] = build_identity(app.config["DATABASE_URL"])
    # Sessions and throttling run on the time of day: a test moving TODAY by weeks of an
    # inspection's calendar is not signed out; one testing expiry sets NOW and moves it.
    now = app.config["NOW"] or (lambda: datetime.now(UTC))
    app.extensions["ledger_now"] = now
    security = app.config["SECURITY"]
    app.extensions["ledger_sessions"] = build_sessions(app.config["DATABASE_URL"], now, security)
    # from_prefixed_env read LEDGER_REQUIRE_2FA_ROLES as a bare string: the settings' tuple wins
    given = (test_config or {}).get("REQUIRE_2FA_ROLES", security.require_two_factor)
    app.config["REQUIRE_2FA_ROLES"] = tuple(given)
    app.extensions["two_factor"] = build_two_factor(
        app.config["DATABASE_URL"], app.config["SECRET_KEY"], now, app.extensions["identity"]
    )
    app.extensions["account_admin"] = build_account_admin(
        services.ledger,
        app.extensions["identity"],
        app.extensions["ledger_sessions"],
        app.extensions["two_factor"],
    )

    checkpoints = build_checkpoints(services.ledger, now, app.config.get("LOG_IDENTITY"))
    app.extensions["log_checkpoints"] = checkpoints
    app.extensions["log_identity"] = checkpoints.identity
    app.extensions["log_witnesses"] = witness_keys(str(app.config.get("WITNESS_KEYS") or ""))

    from web.ops import init_ops
    from web.pages import init_pages
    from web.security import init_security
    from web.throttling import init_throttling

    init_security(app, security)
    init_ops(app)

    init_pages(app)
    init_throttling(app, security, now)

    from web.api import init_api

    init_api(app)  # last: it exempts the API from CSRF protection, if the pages set it up
    from web.throttling import throttle_public_writes

    throttle_public_writes(app, security)
    return app
