"""One engine per process and database: every store of a served app shares one pool."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from uuid import uuid4

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from adapters.persistence import pool_size, release_engine, shared_engine
from benchmarks.load import Client, closed_loop
from benchmarks.serving import Server, api_token
from web import create_app
from web.server import THREADS


def _engines(app) -> set[int]:
    services = app.extensions["ledger_services"]
    stores = ("identity", "api_tokens", "ledger_sessions", "api_idempotency", "two_factor")
    found = [services.ledger.recorder.datastore.engine, services.ledger.personal_data.engine]
    found += [p.view.datastore.engine for p in services.read_models.projections.values()]
    found += [app.extensions[name].engine for name in stores]
    found.append(app.extensions["ledger_limiter"].storage.engine)
    return {id(engine) for engine in found}


def test_every_store_of_an_app_takes_its_connections_from_one_engine(database_url: str):
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "x" * 32})
    try:
        assert _engines(app) == {id(shared_engine(database_url))}
    finally:
        app.extensions["ledger_services"].close()


def test_a_released_engine_is_replaced_and_a_pool_is_sized_to_the_setting(monkeypatch):
    url = "postgresql+psycopg://nobody@127.0.0.1:1/none"  # never connected to
    monkeypatch.setenv("LEDGER_DB_POOL_SIZE", "3")
    engine = shared_engine(url)
    assert shared_engine(url) is engine
    assert (engine.pool.size(), engine.pool._max_overflow) == (3, 3)  # type: ignore[attr-defined]
    release_engine(engine)
    assert shared_engine(url) is not engine
    release_engine(shared_engine(url))
    monkeypatch.delenv("LEDGER_DB_POOL_SIZE")
    assert pool_size() == THREADS  # a worker's threads: one connection each


def _connections(url: str, name: str) -> int:
    engine = create_engine(url, poolclass=NullPool)
    with engine.connect() as conn:
        query = "SELECT count(*) FROM pg_stat_activity WHERE application_name = :name"
        found = int(conn.execute(text(query), {"name": name}).scalar_one())
    engine.dispose()
    return found


@pytest.mark.postgres
def test_a_served_app_under_load_holds_at_most_its_threads_connections_per_worker(
    postgres_url: str, tmp_path: Path
):
    workers, name = 1, f"ledger-test-{uuid4().hex[:12]}"  # libpq names the connections
    token = api_token(postgres_url, "pool.tester", "inspector", "OFSTED")
    server = Server(postgres_url, tmp_path, workers, {"PGAPPNAME": name})
    peak, done = [0], threading.Event()

    def watch() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _connections(postgres_url, name))
            done.wait(0.05)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        client = Client(server.base, token)
        paths = ["/api/v1/ratings", "/api/v1/councils", "/api/v1/inspections", "/healthz"]
        turns = iter(range(10**9))

        def job():
            return "read", client.get(paths[next(turns) % len(paths)])

        # A thread of its own: the browser tests' Playwright keeps an event loop running here.
        with ThreadPoolExecutor(1) as loop_thread:
            load = closed_loop(job, 4 * workers * THREADS, 3.0)  # every thread busy
            run = loop_thread.submit(asyncio.run, load).result()
        held = _connections(postgres_url, name)  # idle now: what the pools keep
    finally:
        done.set()
        watcher.join()
        server.stop()
    assert run.errors() == [] and len(run.outcomes) > 50
    assert 0 < held <= workers * THREADS
    assert peak[0] <= workers * 2 * THREADS
    assert _connections(postgres_url, name) == 0  # the master's set-up left none open


def test_sqlites_temporary_files_are_kept_in_memory(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'ledger.sqlite'}"
    engine = shared_engine(url)
    try:
        with engine.connect() as conn:  # 2: MEMORY (a savepoint's journal spills to a file)
            assert conn.exec_driver_sql("PRAGMA temp_store").scalar() == 2
    finally:
        release_engine(engine)
