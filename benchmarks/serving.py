"""The production shape on this machine: `ledger serve --workers N`, a follower, an API token.

Used by the API benchmark and by the fault tests.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from adapters.identity import IdentityStore
from adapters.tokens import TokenStore


def free_port() -> int:
    """Return a TCP port of this machine that nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(condition: Callable[[], bool], seconds: float = 60.0) -> None:
    """Poll the condition until it holds; give up after `seconds`."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"still waiting after {seconds:.0f} s")
        time.sleep(0.05)


def status_of(url: str) -> int:
    """GET the URL and return its status (0 if nothing answered)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def peak_mb_of(pid: int) -> float:
    """Return a running process's peak resident memory (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def api_token(url: str, username: str, role: str, organisation: str) -> str:
    """Make an account and return a new API token for it."""
    identity = IdentityStore(url)
    identity.add(username, username, role, organisation, secrets.token_urlsafe(16))
    tokens = TokenStore(url, identity)
    _, token = tokens.create(username, "benchmark or test")
    tokens.close()
    identity.close()
    return token


def _ledger_cli(arguments: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "web.cli", *arguments],
        env=os.environ | env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # a Ctrl-C reaches us, and we stop it cleanly
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()  # SIGTERM: gunicorn and the follower both stop cleanly
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class Server:
    """`ledger serve --workers N` on a free port of this machine."""

    def __init__(
        self, url: str, folder: Path, workers: int, env: dict[str, str] | None = None
    ) -> None:
        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        settings = {
            "DATABASE_URL": url,
            "PROMETHEUS_MULTIPROC_DIR": str(folder),
            "LEDGER_SECRET_KEY": secrets.token_hex(16),
            **(env or {}),
        }
        arguments = ["serve", "--workers", str(workers), "--port", str(port)]
        self.process = _ledger_cli(arguments, settings)
        try:
            self.wait_for("/healthz")
        except BaseException:
            self.stop()
            raise

    def wait_for(self, path: str, seconds: float = 60.0) -> None:
        """Wait until the path answers 200; refuse a server that has stopped."""
        wait_until(
            lambda: status_of(self.base + path) == 200 or self.process.poll() is not None, seconds
        )
        if self.process.poll() is not None:
            raise RuntimeError(f"the server stopped with status {self.process.returncode}")

    def worker_pids(self) -> list[int]:
        """Return the process ids of gunicorn's workers."""
        found = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True
        )
        return [int(p) for p in found.stdout.split()]

    def stop(self) -> None:
        """Stop gunicorn and its workers."""
        _stop(self.process)


@contextmanager
def follower(url: str) -> Iterator[subprocess.Popen[bytes]]:
    """Run `ledger projections follow` on the database until the block ends."""
    process = _ledger_cli(["projections", "follow"], {"DATABASE_URL": url})
    try:
        yield process
    finally:
        _stop(process)
