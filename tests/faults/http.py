"""A gunicorn server for fault tests, and an HTTP client that retries like an agency's system."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass
class Answer:
    status: int
    body: str


def wait_until(condition: Callable[[], bool], seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


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


class Server:
    """`ledger serve --workers N` on a free port of this machine."""

    def __init__(self, url: str, folder: Path, workers: int) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        self.base = f"http://127.0.0.1:{port}"
        env = os.environ | {
            "DATABASE_URL": url,
            "LEDGER_INLINE_PROJECTIONS": "1",
            "PROMETHEUS_MULTIPROC_DIR": str(folder),
            "LEDGER_LOG_FORMAT": "text",
            "LEDGER_IDEMPOTENCY_LEASE_SECONDS": "3",
        }
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "web.cli",
                "serve",
                "--workers",
                str(workers),
                "--port",
                str(port),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_until(lambda: self.get("/healthz").status == 200 or self.process.poll() is not None)
        assert self.process.poll() is None, "the server did not start"

    def get(self, path: str) -> Answer:
        return _request(self.base + path)

    def post(self, path: str, body: dict[str, Any], token: str, key: str, if_match: str) -> Answer:
        return _request(
            self.base + path,
            "POST",
            body,
            {"Authorization": f"Bearer {token}", "Idempotency-Key": key, "If-Match": if_match},
        )

    def worker_pids(self) -> list[int]:
        found = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True
        )
        return [int(p) for p in found.stdout.split()]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
