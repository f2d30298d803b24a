"""Every API failure as RFC 9457 problem details; domain refusals mapped to statuses here only."""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

from flask import Response, current_app, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from domain import errors

PROBLEM = "application/problem+json"
PROBLEM_TYPES = "https://inspection-ledger.invalid/problems/"

# The most specific class wins: StaleVersion before ConflictingChange, and so on.
STATUS_OF: tuple[tuple[type[errors.LedgerError], int], ...] = (
    (errors.NotFound, 404),
    (errors.PermissionDenied, 403),
    (errors.StaleVersion, 412),
    (errors.InvalidInput, 422),
    (errors.FrameworkRuleBroken, 422),
    (errors.NoticeTooShort, 422),
    (errors.NoReportToWithdraw, 422),
    (errors.LifecycleError, 409),
    (errors.DeadlinePassed, 409),
    (errors.PublicationWithheld, 409),
    (errors.ConflictingChange, 409),
)


class ApiProblem(Exception):
    """A refusal made by the web layer itself (authentication, preconditions, idempotency)."""

    def __init__(
        self,
        status: int,
        rule: str,
        detail: str,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.status, self.rule, self.detail, self.headers = status, rule, detail, headers or {}
        self.extra = extra


def problem(
    status: int,
    detail: str,
    rule: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response:
    """Return a problem+json response."""
    body: dict[str, Any] = {
        "type": PROBLEM_TYPES + (rule or HTTPStatus(status).phrase.lower().replace(" ", "-")),
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": request.path,
    }
    if rule:
        body["rule"] = rule
    body.update(extra)
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM)
    response.headers.update(headers or {})
    return response


def status_for(error: errors.LedgerError) -> int:
    """Return the HTTP status that answers a domain refusal."""
    return next((status for kind, status in STATUS_OF if isinstance(error, kind)), 409)


def from_ledger_error(error: errors.LedgerError) -> Response:
    """Answer a domain refusal; the rule it broke (and the field, where it concerns one) is
    named in the body."""
    extra = {"errors": [{"field": error.field, "message": error.message}]} if error.field else {}
    return problem(status_for(error), error.message, error.rule, **extra)


def from_api_problem(error: ApiProblem) -> Response:
    return problem(error.status, error.detail, error.rule, error.headers, **error.extra)


def from_http_exception(error: HTTPException) -> Response:
    """Answer Flask's and webargs' errors (404, 405, bad JSON, invalid fields) as problems."""
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    headers = dict(data.get("headers") or {})
    extra: dict[str, Any] = {}
    if isinstance(error, MethodNotAllowed):
        headers["Allow"] = ", ".join(sorted(error.valid_methods or []))
    messages = data.get("messages")
    if messages:
        extra["errors"] = field_errors(messages)
    detail = (
        "The request body is not valid JSON"
        if status == 400 and messages and "query" not in messages
        else "Some fields are missing or invalid"
        if messages
        else error.description or HTTPStatus(status).phrase
    )
    if status == 413:
        detail = f"The request is larger than {too_large_limit():,} bytes"
    rule = {400: "malformed-request", 413: "request-too-large", 422: "invalid-input"}.get(status)
    return problem(status, detail, rule, headers, **extra)


def too_large_limit() -> int:
    """Return how many bytes a request may have (MAX_CONTENT_LENGTH)."""
    return int(current_app.config.get("MAX_CONTENT_LENGTH") or 0)


def field_errors(messages: dict[str, Any]) -> list[dict[str, str]]:
    """Flatten webargs' nested messages into [{"field": "a.b", "message": ...}]."""
    found: list[dict[str, str]] = []

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), inner)
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            found.extend({"field": prefix, "message": m} for m in value)
        else:
            found.append({"field": prefix, "message": str(value)})

    for location, fields in messages.items():
        walk("" if location == "json" else location, fields)
    return found
