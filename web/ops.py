"""Running in production: health, readiness, Prometheus metrics, JSON request logs, request ids."""

from __future__ import annotations

import logging
import os
import sys
from contextlib import suppress
from datetime import UTC, datetime
from time import perf_counter
from typing import Any
from uuid import uuid4

from eventsourcing.persistence import PersistenceError
from flask import Blueprint, Flask, Response, abort, current_app, g, render_template, request
from flask.typing import ResponseReturnValue
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from pythonjsonlogger.json import JsonFormatter
from sqlalchemy.exc import SQLAlchemyError

from domain.services import CORRELATION
from projections.halts import Halt
from projections.notifier_status import NotifierStatus, counts, notifier_status
from projections.runner import ProjectionStatus
from web.bootstrap import Services

bp = Blueprint("ops", __name__)
log = logging.getLogger("ledger.requests")
REQUESTS = Counter(
    "ledger_http_requests_total", "HTTP requests answered", ["method", "endpoint", "status"]
)
LATENCY = Histogram(
    "ledger_http_request_seconds", "Time to answer an HTTP request", ["method", "endpoint"]
)
LAG = Gauge(
    "ledger_projection_lag_events",
    "Events recorded but not yet in a read model",
    ["projection"],
    multiprocess_mode="max",
)
HEAD = Gauge("ledger_log_head", "Notification id of the newest event", multiprocess_mode="max")
HALTED = Gauge(
    "ledger_projection_halted",
    "1 while a read model is halted at the event its labels name (0 once resumed)",
    ["projection", "notification_id", "topic", "error"],
    multiprocess_mode="max",
)
NOTIFIER_LAG = Gauge(
    "ledger_notifier_lag_events",
    "Events recorded but not yet read by the notifier",
    multiprocess_mode="max",
)
OUTBOX = Gauge(
    "ledger_notifier_outbox",
    "Notifications in the outbox by state (queued, due, retrying, sent, failed, withheld)",
    ["state"],
    multiprocess_mode="max",
)
NOTIFIER_HALTED = Gauge(
    "ledger_notifier_halted", "1 while the notifier is halted at an event", multiprocess_mode="max"
)
UNAVAILABLE = (PersistenceError, SQLAlchemyError)
KNOWN_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
_halts_shown: set[tuple[str, str, str, str]] = set()  # the labels of halts this process showed


def services() -> Services:
    found: Services = current_app.extensions["ledger_services"]
    return found


@bp.get("/healthz")
def healthz() -> dict[str, str]:
    """Say the process is up (liveness)."""
    return {"status": "ok"}


@bp.get("/readyz")
def readyz() -> ResponseReturnValue:
    """Say whether to send traffic here: the database answers and read models are close enough."""
    limit = int(current_app.config.get("READY_MAX_LAG", 1000))
    try:
        statuses = services().read_models.status(services().ledger)
    except UNAVAILABLE:
        return {"status": "unavailable", "database": "unreachable"}, 503
    lags = {s.name: s.lag for s in statuses}
    _record(statuses)
    notifier = _notifier(statuses, count_outbox=False)  # shown, never a reason to turn away
    body = {"status": "ready", "database": "ok", "projection_lag": lags, "max_lag": limit}
    body["notifier"] = notifier.as_json() if notifier else None
    halted = [_halt(s.halt) for s in statuses if s.halt is not None]
    if halted:
        return body | {"status": "halted", "halted": halted}, 503
    if max(lags.values(), default=0) > limit:
        return body | {"status": "lagging"}, 503
    return body


def _halt(halt: Halt) -> dict[str, Any]:
    return {"projection": halt.name, **halt.details()}


def _notifier(statuses: list[ProjectionStatus], count_outbox: bool) -> NotifierStatus | None:
    """Return the notifier's status (None if none ever ran here), and record its metrics;
    the outbox is counted only if asked (it reads the whole outbox: /metrics, not /readyz,
    which load balancers ask every few seconds)."""
    head = statuses[0].head if statuses else services().ledger.recorder.max_notification_id()
    now = datetime.now(UTC).replace(tzinfo=None)
    found = notifier_status(services().read_models.engine, head or 0, now, count_outbox)
    if found is not None:
        NOTIFIER_LAG.set(found.lag)
        NOTIFIER_HALTED.set(1 if found.halt else 0)
        for state, count in counts(found.outbox).items() if found.outbox else ():
            if state != "oldest_due":
                OUTBOX.labels(state).set(count)
    return found


def _record(statuses: list[ProjectionStatus]) -> None:
    for status in statuses:
        LAG.labels(status.name).set(status.lag)
    HEAD.set(statuses[0].head if statuses else 0)
    now = {
        (h.name, str(h.notification_id), h.topic, (h.error.splitlines() or [""])[0][:200])
        for h in (s.halt for s in statuses)
        if h is not None
    }
    for labels in _halts_shown - now:  # set to 0, not removed: gunicorn workers share files
        HALTED.labels(*labels).set(0)
    for labels in now:
        HALTED.labels(*labels).set(1)
    _halts_shown.clear()
    _halts_shown.update(now)


@bp.get("/metrics")
def metrics() -> Response:
    """Expose Prometheus metrics (gathered across gunicorn workers when multiprocess)."""
    from web.security import metrics_allowed

    if not metrics_allowed():  # LEDGER_METRICS_ALLOW, or LEDGER_METRICS_TOKEN as a bearer token
        abort(403)
    with suppress(*UNAVAILABLE):
        statuses = services().read_models.status(services().ledger)
        _record(statuses)
        _notifier(statuses, count_outbox=True)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)
    return Response(generate_latest(), mimetype=CONTENT_TYPE_LATEST)


def _start() -> None:
    g.started = perf_counter()
    g.request_id = (request.headers.get("X-Request-ID") or uuid4().hex)[:64]  # a label only
    g.correlation_id = uuid4().hex  # made here, never the client's: the chain records it
    g.correlation = CORRELATION.set(g.correlation_id)


def _finish(response: Response) -> Response:
    elapsed = perf_counter() - g.get("started", perf_counter())
    endpoint = request.url_rule.rule if request.url_rule else "unrouted"
    method = request.method if request.method in KNOWN_METHODS else "other"  # bounded labels
    REQUESTS.labels(method, endpoint, str(response.status_code)).inc()
    LATENCY.labels(method, endpoint).observe(elapsed)
    response.headers["X-Request-ID"] = g.get("request_id", "")
    log.info(
        "request",
        extra={
            "method": request.method,
            "path": request.path,
            "endpoint": endpoint,
            "status": response.status_code,
            "duration_ms": round(elapsed * 1000, 2),
            "request_id": g.get("request_id", ""),
            "correlation_id": g.get("correlation_id", ""),
            "remote_addr": request.remote_addr,
        },
    )
    return response


def _teardown(_: BaseException | None) -> None:
    token = g.pop("correlation", None)
    if token is not None:
        CORRELATION.reset(token)


def unavailable(error: Exception) -> ResponseReturnValue:
    """Answer 503 while the database cannot be reached."""
    logging.getLogger("ledger.errors").warning("database unavailable", extra={"error": str(error)})
    headers = {"Retry-After": "5"}
    if request.path.startswith("/api/"):
        body = {
            "type": "https://inspection-ledger.example/problems/unavailable",
            "title": "Service Unavailable",
            "status": 503,
            "detail": "The database cannot be reached. Try again shortly: a retry with the same "
            "Idempotency-Key is never applied twice.",
        }
        return Response(_json(body), 503, headers, mimetype="application/problem+json")
    return render_template("errors/503.html"), 503, headers


def _json(body: dict[str, Any]) -> str:
    import json

    return json.dumps(body)


def configure_logging(app: Flask) -> None:
    """Write request logs as one JSON object a line (LEDGER_LOG_FORMAT=text for plain lines)."""
    handler = logging.StreamHandler(sys.stderr)
    if app.config.get("LOG_FORMAT", "json") == "json":
        handler.setFormatter(
            JsonFormatter(
                "%(asctime)s %(levelname)s %(name)s %(message)s",
                rename_fields={"asctime": "time", "levelname": "level"},
            )
        )
    for name in ("ledger.requests", "ledger.errors"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(logging.INFO)
        logger.propagate = False


def init_ops(app: Flask) -> None:
    """Add health, readiness and metrics, request ids, JSON logs and 503 on database outages."""
    app.register_blueprint(bp)
    app.before_request(_start)
    app.after_request(_finish)
    app.teardown_request(_teardown)
    for error in UNAVAILABLE:
        app.register_error_handler(error, unavailable)
    configure_logging(app)
