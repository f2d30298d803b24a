"""The JSON API (issue 5): /api/v1 over the Ledger's commands and the read models.

flask-smorest builds the OpenAPI 3.1 document from the marshmallow schemas the views use;
its app-wide JSON error handler is replaced so that only /api/ answers with problem details.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from flask import Flask, Response, request
from flask_smorest import Api
from flask_smorest.utils import prepare_response
from werkzeug.exceptions import HTTPException

from adapters.tokens import TokenStore
from web.api import (
    accounts,
    action_plans,
    challenges,
    concerns,
    councils,
    documents,
    email_preferences,
    events,
    inspections,
    log,
    log_checkpoints,
    reports,
    settings,
)
from web.api.cache import DEFAULT_SIZE, ResponseCache
from web.api.idempotency_store import DEFAULT_TTL, IdempotencyStore, moved_clock
from web.api.problems import PROBLEM, from_http_exception
from web.api.spec import ProblemSchema, describe

THROTTLED = (
    "Too many unknown or revoked API tokens from this address "
    "(LEDGER_SIGN_IN_LIMIT_PER_ADDRESS): wait for Retry-After seconds"
)
RETRY_AFTER = {"description": "Seconds until the window ends", "schema": {"type": "integer"}}
BLUEPRINTS = (
    inspections,
    documents,
    challenges,
    action_plans,
    councils,
    settings,
    concerns,
    reports,
    events,
    log,  # with log_checkpoints' routes, added to log's blueprint
    accounts,
    email_preferences,
)
assert log_checkpoints.bp is log.bp


class LedgerApi(Api):
    """flask-smorest's Api, answering errors as problem details and only under /api/."""

    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self) -> None:
        self._app.before_request(_unrouted_api_request)

    def _register_responses(self) -> None:
        for status in HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
            if status == HTTPStatus.TOO_MANY_REQUESTS:
                response["description"] = THROTTLED
                response["headers"] = {"Retry-After": RETRY_AFTER}
            prepare_response(response, self.spec, PROBLEM)
            self.spec.components.response(status.name, response, lazy=True)
        default = {"description": "Default error response", "schema": self.ERROR_SCHEMA}
        prepare_response(default, self.spec, PROBLEM)
        self.spec.components.response("DEFAULT_ERROR", default, lazy=True)


def _unrouted_api_request() -> Response | None:
    """Answer an /api/ request that matched no route (404, 405) before any page handler can."""
    error = request.routing_exception
    if error is not None and request.path.startswith("/api/"):
        assert isinstance(error, HTTPException)
        return from_http_exception(error)
    return None


def init_api(app: Flask) -> None:
    """Serve the API, its OpenAPI document at /api/openapi.json, and the stores it needs."""
    app.config.setdefault("API_TITLE", "Inspection Ledger API")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.1.0")
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api")
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    identity = app.extensions["identity"]
    app.extensions["api_tokens"] = TokenStore(app.config["DATABASE_URL"], identity)
    app.extensions["api_idempotency"] = IdempotencyStore(
        app.config["DATABASE_URL"],
        lease_seconds=float(app.config.get("IDEMPOTENCY_LEASE_SECONDS", 30)),
        ttl=app.config.get("IDEMPOTENCY_TTL", DEFAULT_TTL),
        now=moved_clock(app.extensions["ledger"].today),
    )
    app.extensions["api_cache"] = ResponseCache(int(app.config.get("API_CACHE_SIZE", DEFAULT_SIZE)))
    api = LedgerApi(app)
    for module in BLUEPRINTS:
        api.register_blueprint(module.bp)
    describe(api.spec)
    csrf = app.extensions.get("csrf")
    if csrf is not None:  # Flask-WTF: the API takes tokens, never cookies, so no CSRF token
        for module in BLUEPRINTS:
            csrf.exempt(module.bp)
    app.extensions["ledger_api"] = api
