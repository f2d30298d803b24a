"""What every endpoint shares: services, documented reads and writes, ETag'd answers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http import HTTPStatus
from typing import Any

from flask import current_app, request
from flask_smorest import Blueprint
from marshmallow import Schema
from sqlalchemy.engine import Connection
from werkzeug.exceptions import default_exceptions

from adapters.persistence import single_statements
from domain.errors import LedgerError
from domain.services import Ledger
from web.api.auth import authenticate
from web.api.idempotency import HEADER, idempotent
from web.api.preconditions import etag
from web.api.problems import ApiProblem, from_api_problem, from_http_exception, from_ledger_error
from web.bootstrap import Services

PREFIX = "/api/v1"
READ_ERRORS = (401, 403, 404)
THROTTLED = 429  # every route counts unknown or revoked tokens per address (web/throttling.py)
WRITE_ERRORS = (400, 401, 403, 404, 409, 412, 413, 422, 428, 429)
ETAG_HEADER = {
    "description": "The record's version; send it back as If-Match to change the record",
    "schema": {"type": "string"},
}
LOCATION_HEADER = {"description": "Where the record is", "schema": {"type": "string"}}
IF_MATCH = {
    "in": "header",
    "name": "If-Match",
    "required": True,
    "description": "The ETag of the record as you last read it (`*`: whatever it is now)",
    "schema": {"type": "string"},
}
IDEMPOTENCY_KEY = {
    "in": "header",
    "name": HEADER,
    "required": True,
    "description": "A key unique to this change: a retry with the same key and body "
    "returns the first response and writes nothing",
    "schema": {"type": "string", "minLength": 1, "maxLength": 200},
}
Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def blueprint(name: str, description: str, public: tuple[str, ...] = ()) -> Blueprint:
    """Return an API blueprint whose every view needs a valid token, but the `public` ones
    (their view functions' names), which anyone may call."""
    bp = Blueprint(name, __name__, url_prefix=PREFIX, description=description)
    public_endpoints = {f"{name}.{view}" for view in public}

    @bp.before_request
    def authenticated() -> None:
        if request.endpoint not in public_endpoints:
            authenticate()

    bp.register_error_handler(LedgerError, from_ledger_error)
    bp.register_error_handler(ApiProblem, from_api_problem)
    for code in default_exceptions:
        bp.register_error_handler(code, from_http_exception)
    return bp


def services() -> Services:
    found: Services = current_app.extensions["ledger_services"]
    return found


def ledger() -> Ledger:
    return services().ledger


@contextmanager
def read_models() -> Iterator[Connection]:
    """Open a connection on the read models."""
    with single_statements(services().read_models.engine) as conn:
        yield conn


def _errors(bp: Blueprint, statuses: tuple[int, ...]) -> list[Decorator]:
    return [bp.alt_response(s, response=HTTPStatus(s).name) for s in statuses]


def _apply(view: Callable[..., Any], decorators: list[Decorator]) -> Callable[..., Any]:
    for decorate in reversed(decorators):
        view = decorate(view)
    return view


def reads(
    bp: Blueprint,
    schema: type[Schema],
    query: type[Schema] | None = None,
    versioned: bool = False,
    errors: tuple[int, ...] = READ_ERRORS,
) -> Decorator:
    """Document and wire a GET: query arguments, response schema, errors."""
    headers = {"ETag": ETAG_HEADER} if versioned else None
    decorators = _errors(bp, (*errors, THROTTLED, *((400, 422) if query else ())))
    if query:
        decorators.append(bp.arguments(query, location="query", as_kwargs=False))
    decorators.append(bp.response(200, schema, headers=headers))
    return lambda view: _apply(view, decorators)


def writes(
    bp: Blueprint,
    schema: type[Schema],
    body: type[Schema] | None = None,
    status: int = 200,
    if_match: bool = True,
) -> Decorator:
    """Document and wire a POST: headers, body, response with ETag, every error it can give."""
    headers = {"ETag": ETAG_HEADER, "Location": LOCATION_HEADER}
    decorators: list[Decorator] = [idempotent, *_errors(bp, WRITE_ERRORS)]
    decorators.append(bp.doc(parameters=[IDEMPOTENCY_KEY, *([IF_MATCH] if if_match else [])]))
    if body:
        decorators.append(bp.arguments(body))
    decorators.append(bp.response(status, schema, headers=headers))
    return lambda view: _apply(view, decorators)


def answer(
    body: dict[str, Any], version: int, status: int = 200, location: str | None = None
) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Return a representation with its ETag (and Location, for something new)."""
    headers = {"ETag": etag(version)}
    if location:
        headers["Location"] = PREFIX + location
    return body, status, headers
