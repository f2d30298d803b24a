"""A fake GOV.UK Notify for tests: a real HTTP server (werkzeug, in a thread, on 127.0.0.1)
answering POST /v2/notifications/email and GET /v2/notifications?reference=, and refusing any
request whose JWT was not signed with the API key's secret and issued by its service."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import jwt
from flask import Flask, jsonify, request
from werkzeug.serving import make_server

SERVICE_ID = "6f2e63e9-3b59-4a71-a1a5-1b3c2f7b9d10"
SECRET = "2b7d0e5c-9a1f-4f3e-8c6d-5e4f3a2b1c0d"
API_KEY = f"ledger_test-{SERVICE_ID}-{SECRET}"


@dataclass
class FakeNotify:
    """What the fake accepted, and the HTTP statuses it will answer the next sends with."""

    url: str = ""
    sent: list[dict[str, Any]] = field(default_factory=list)
    fail_next: list[int] = field(default_factory=list)
    lookups: list[str] = field(default_factory=list)
    lose_answer: bool = False  # keep the next send, but answer 500 (as a crash after it would)


def _authorised() -> bool:
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return False
    try:
        claims = jwt.decode(header[7:], SECRET, algorithms=["HS256"])
    except jwt.PyJWTError:
        return False
    return bool(claims.get("iss") == SERVICE_ID and "iat" in claims)


def _app(fake: FakeNotify) -> Flask:
    app = Flask("fake_notify")

    @app.before_request
    def check_token() -> Any:
        if not _authorised():
            errors = [{"error": "AuthError", "message": "Invalid token"}]
            return jsonify(status_code=403, errors=errors), 403
        return None

    @app.post("/v2/notifications/email")
    def send() -> Any:
        if fake.fail_next:
            status = fake.fail_next.pop(0)
            errors = [{"error": "BadRequestError", "message": f"refused with {status}"}]
            return jsonify(status_code=status, errors=errors), status
        body = request.get_json()
        notification = {"id": str(uuid.uuid4()), "status": "created", **body}
        fake.sent.append(notification)
        if fake.lose_answer:
            fake.lose_answer = False
            return jsonify(status_code=500, errors=[{"error": "Exception"}]), 500
        return jsonify(id=notification["id"], reference=body.get("reference")), 201

    @app.get("/v2/notifications")
    def notifications() -> Any:
        reference = request.args.get("reference", "")
        fake.lookups.append(reference)
        found = [n for n in fake.sent if n.get("reference") == reference]
        return jsonify(notifications=found, links={"current": request.url})

    return app


@contextmanager
def notify_server() -> Iterator[FakeNotify]:
    """Run the fake until the block ends; yield it, its base URL in `url`."""
    fake = FakeNotify()
    server = make_server("127.0.0.1", 0, _app(fake), threaded=True)
    fake.url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        thread.join()
