"""The Flask application factory."""

from __future__ import annotations

from typing import Any

from flask import Flask

from adapters.persistence import database_url


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create the web application on the configured database."""
    app = Flask(__name__)
    app.config.from_mapping(DATABASE_URL=database_url())
    app.config.from_prefixed_env("LEDGER")
    if test_config:
        app.config.update(test_config)

    from web.bootstrap import build_ledger

    app.extensions["ledger"] = build_ledger(app.config["DATABASE_URL"])

    from web.pages import public

    app.register_blueprint(public.bp)
    return app
