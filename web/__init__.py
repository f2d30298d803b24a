"""The Flask application factory."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from flask import Flask

from adapters.config import load_door_limits
from adapters.persistence import DEFAULT_DATABASE_PATH, database_url


def _secret_key() -> str:
    """Return a key kept in instance/, made on first use (set LEDGER_SECRET_KEY in production)."""
    path = Path(DEFAULT_DATABASE_PATH).parent / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text(secrets.token_hex(32))
    return path.read_text().strip()


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create the web application on the configured database.

    Configuration comes from the environment (DATABASE_URL, and LEDGER_* variables such as
    LEDGER_SECRET_KEY) and then `test_config`; a test may pass TODAY, a callable giving the date.
    """
    app = Flask(__name__)
    limits = load_door_limits()
    app.config.from_mapping(
        DATABASE_URL=database_url(),
        TODAY=None,
        MAX_CONTENT_LENGTH=limits.max_request_bytes,
        IDEMPOTENCY_TTL=limits.idempotency_ttl,
    )
    app.config.from_prefixed_env("LEDGER")
    if test_config:
        app.config.update(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key()

    from web.bootstrap import build_identity, build_services

    services = build_services(app.config["DATABASE_URL"], app.config["TODAY"])
    app.extensions["ledger_services"] = services
    app.extensions["ledger"] = services.ledger
    app.extensions["identity"] = build_identity(app.config["DATABASE_URL"])

    from web.ops import init_ops
    from web.pages import init_pages

    init_ops(app)

    init_pages(app)

    from web.api import init_api

    init_api(app)  # last: it exempts the API from CSRF protection, if the pages set it up
    return app
