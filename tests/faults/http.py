"""A gunicorn server for fault tests, and an HTTP client that retries like an agency's system."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks import serving


@dataclass
class Answer:
    status: int
    body: str


def _request(
    url: str, method: str = "GET", body: Any = None, headers: dict[str, str] | None = None
) -> Answer:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        url,
        data=data,
        method=method,
        headers={"Content-Type": "application/json", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return Answer(response.status, response.read().decode())
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.read().decode())
    except (OSError, urllib.error.URLError):
        return Answer(0, "connection failed")


def post_until_done(url: str, body: dict[str, Any], token: str, key: str, tries: int = 200) -> int:
    """POST with one Idempotency-Key, retrying lost connections, 5xx and conflicts; return the status."""
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": key, "If-Match": "*"}
    for _ in range(tries):
        answer = _request(url, "POST", body, headers)
        if answer.status in (200, 201):
            return answer.status
        if answer.status not in (0, 409, 500, 502, 503):
            raise AssertionError(f"{answer.status}: {answer.body}")
        time.sleep(0.1)
    raise AssertionError(f"gave up on {key}")


class Server(serving.Server):
    """`ledger serve --workers N` on a free port, catching read models up in-process."""

    def __init__(self, url: str, folder: Path, workers: int) -> None:
        env = {
            "LEDGER_INLINE_PROJECTIONS": "1",
            "LEDGER_LOG_FORMAT": "text",
            "LEDGER_IDEMPOTENCY_LEASE_SECONDS": "3",
        }
        super().__init__(url, folder, workers, env)

    def get(self, path: str) -> Answer:
        return _request(self.base + path)

    def post(self, path: str, body: dict[str, Any], token: str, key: str, if_match: str) -> Answer:
        return _request(
            self.base + path,
            "POST",
            body,
            {"Authorization": f"Bearer {token}", "Idempotency-Key": key, "If-Match": if_match},
        )
