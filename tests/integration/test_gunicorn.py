"""Production serving: gunicorn with several workers answers health, readiness and metrics."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from adapters.persistence import ledger_env
from domain.services import Ledger
from tests.scenarios import register_councils

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_gunicorn_workers_serve_health_readiness_and_shared_metrics(database_url, tmp_path):
    Ledger(env=ledger_env(database_url)).close()
    ledger = Ledger(env=ledger_env(database_url))
    register_councils(ledger)
    ledger.close()
    port = free_port()
    env = os.environ | {
        "DATABASE_URL": database_url,
        "LEDGER_INLINE_PROJECTIONS": "1",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path),
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "web.cli", "serve", "--workers", "2", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if fetch(f"{base}/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail("gunicorn did not start:\n" + server.stdout.read().decode()[-3000:])
            time.sleep(0.3)
        for _ in range(20):
            status, body = fetch(f"{base}/healthz")
            assert (status, json.loads(body)) == (200, {"status": "ok"})
        status, body = fetch(f"{base}/readyz")
        assert status == 200 and json.loads(body)["status"] == "ready"
        status, metrics = fetch(f"{base}/metrics")
        assert status == 200
        counted = [
            line
            for line in metrics.splitlines()
            if line.startswith('ledger_http_requests_total{endpoint="/healthz"')
        ]
        assert counted and float(counted[0].rsplit(" ", 1)[1]) >= 20  # summed over both workers
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
