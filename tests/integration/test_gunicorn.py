"""Production serving: gunicorn with several workers answers health, readiness and metrics."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

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


@contextmanager
def serving(database_url: str, metrics_dir, workers: int = 2) -> Iterator[str]:
    """Run `ledger serve --workers N` on a free port until the block ends; yield its base URL."""
    Ledger(env=ledger_env(database_url)).close()
    ledger = Ledger(env=ledger_env(database_url))
    register_councils(ledger)
    ledger.close()
    port = free_port()
    env = os.environ | {
        "DATABASE_URL": database_url,
        "LEDGER_INLINE_PROJECTIONS": "1",
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "web.cli", "serve", "--workers", str(workers), "--port", str(port)],
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
        yield base
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def test_gunicorn_workers_serve_health_readiness_and_shared_metrics(database_url, tmp_path):
    with serving(database_url, tmp_path) as base:
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


def slow_client(port: int, started: threading.Event, stop: threading.Event) -> None:
    """Send a request's header lines one every second, never finishing, until told to stop."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        started.set()
        while not stop.wait(1.0):
            sock.sendall(b"X-Slow: still-typing\r\n")


def test_two_slow_clients_do_not_stop_a_third_request_from_being_answered(tmp_path):
    url = f"sqlite:///{tmp_path / 'ledger.sqlite'}"
    with serving(url, tmp_path / "metrics", workers=2) as base:
        port = int(base.rsplit(":", 1)[1])
        stop = threading.Event()
        clients = []
        for _ in range(2):
            started = threading.Event()
            thread = threading.Thread(target=slow_client, args=(port, started, stop))
            thread.start()
            clients.append(thread)
            assert started.wait(10)
        try:
            stop.wait(2.5)  # the slow clients have each sent a few header lines by now
            began = time.monotonic()
            status, _ = fetch(f"{base}/healthz")
            assert status == 200 and time.monotonic() - began < 2
        finally:
            stop.set()
            for thread in clients:
                thread.join(timeout=10)
