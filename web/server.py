"""Serve the app with gunicorn: several worker processes, each with its own connections."""

from __future__ import annotations

import gc
import os
import tempfile
from typing import Any

from gunicorn.app.base import BaseApplication

THREADS = 8  # per worker: how many requests, slow ones included, a worker serves at once


class LedgerServer(BaseApplication):  # type: ignore[misc]
    """gunicorn running `web.create_app()` in each worker (no preloading: no shared sockets)."""

    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from web import create_app

        return create_app()


def prepare_database() -> None:
    """Create every table once, before the workers start, so they do not race to create them."""
    from web import create_app

    app = create_app()
    stores = ("ledger_services", "identity", "api_tokens", "api_idempotency", "ledger_sessions")
    for name in (*stores, "two_factor"):
        app.extensions[name].close()  # no connection may be shared with the forked workers
    storage = app.extensions["ledger_limiter"].storage
    if hasattr(storage, "close"):
        storage.close()


def serve_with_gunicorn(
    host: str, port: int, workers: int, timeout: int = 30, threads: int = THREADS
) -> None:
    """Run gunicorn; Prometheus metrics are shared between workers through a folder.

    Threaded workers (gthread) wait for a slow client's request in one thread while the
    others answer; `timeout` restarts a worker that stops answering altogether. Each worker
    freezes what it holds once the app is loaded (`gc.freeze`): the cyclic collector's full
    collections walked those 200,000 objects, a pause of 0.15 s for every thread of the worker.
    """
    folder = os.environ.setdefault(
        "PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="ledger-metrics-")
    )
    os.makedirs(folder, exist_ok=True)
    os.environ.setdefault("LEDGER_DB_POOL_SIZE", str(threads))  # one connection per thread

    def post_worker_init(_: Any) -> None:
        gc.freeze()  # the app as loaded: never again walked by the cyclic collector

    def child_exit(_: Any, worker: Any) -> None:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)

    prepare_database()
    LedgerServer(
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "worker_class": "gthread",
            "threads": threads,
            "timeout": timeout,
            "accesslog": None,
            "graceful_timeout": 10,
            "post_worker_init": post_worker_init,
            "child_exit": child_exit,
        }
    ).run()
