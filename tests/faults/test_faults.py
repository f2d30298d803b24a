"""Faults: a web worker killed mid-write, a rebuild killed, two writers racing, PostgreSQL restarted.

Nothing half-written, nothing lost, nothing applied twice; clear 503s, then recovery alone.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from adapters.audit import verify
from adapters.importers import import_csv
from adapters.persistence import ledger_env
from adapters.reference_data import data_dir, load_reference_data, read_councils
from benchmarks.serving import api_token, wait_until
from domain.services import Ledger
from projections.runner import ReadModels
from tests.conftest import _server_url
from tests.faults.cluster import Cluster, started_at
from tests.faults.http import Server, post_until_done
from tests.integration.test_projections import snapshot

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
CODES = [c.code for c in read_councils()]


@contextmanager
def deployed(url: str, folder: Path) -> Iterator[tuple[str, Ledger, Server, str]]:
    """A PostgreSQL ledger with councils, an administrator's API token and gunicorn serving it."""
    ledger = Ledger(env=ledger_env(url))
    load_reference_data(ledger, directory=data_dir())
    token = api_token(url, "ada.admin", "administrator", "LEDGER")
    server = Server(url, folder, workers=2)
    try:
        yield url, ledger, server, token
    finally:
        server.stop()
        ledger.close()


@pytest.fixture
def deployment(fresh_postgres_database, tmp_path: Path):
    """A deployment on a fresh database of the test server (whose server is never restarted)."""
    with deployed(fresh_postgres_database(f"fault{time.monotonic_ns()}"), tmp_path) as parts:
        yield parts


@pytest.fixture
def deployment_on_own_cluster(own_cluster: Cluster, tmp_path: Path):
    """A deployment on a throw-away cluster of this test's own, free to be restarted."""
    with deployed(own_cluster.url, tmp_path) as parts:
        yield own_cluster, parts


def interventions(ledger: Ledger) -> list[str]:
    return [i["details"] for c in ledger.councils() for i in c.interventions]


def test_a_worker_killed_during_writes_loses_nothing_and_repeats_nothing(deployment):
    url, ledger, server, token = deployment
    writes = [(CODES[n % len(CODES)], f"fault-{n}") for n in range(60)]

    def one(item: tuple[str, str]) -> int:
        code, details = item
        body = {"kind": "improvement_adviser_appointed", "on": "2026-01-05", "details": details}
        return post_until_done(
            server.base + f"/api/v1/councils/{code}/interventions", body, token, key=details
        )

    with ThreadPoolExecutor(4) as pool:
        futures = [pool.submit(one, w) for w in writes]
        wait_until(lambda: sum(f.done() for f in futures) >= 10)
        victim = server.worker_pids()[0]
        os.kill(victim, signal.SIGKILL)
        statuses = [f.result() for f in futures]
    assert set(statuses) <= {201, 200}
    assert victim not in server.worker_pids()  # gunicorn replaced it
    assert sorted(interventions(ledger)) == sorted(d for _, d in writes)  # each exactly once
    result = verify(ledger.recorder)
    assert result.ok, result.problem and result.problem.describe()


def shadow_position(models: ReadModels) -> int:
    """How far a rebuild has built its shadow tables (0 before it has begun)."""
    try:
        with models.engine.connect() as conn:
            found = conn.execute(text("SELECT notification_id FROM rm_rebuild.ratings_tracking"))
            return int(found.scalar() or 0)
    except Exception:  # the shadow is not made yet
        return 0


def test_a_rebuild_killed_mid_run_leaves_the_live_read_models_as_they_were(deployment):
    url, ledger, _, _ = deployment
    assert import_csv(ledger, data_dir() / "ofsted_ilacs_inspections_2018_2025.csv").ok
    env = os.environ | {"DATABASE_URL": url, "LEDGER_REBUILD_BATCH": "5"}
    models = ReadModels(url)
    models.catch_up(ledger)
    live = snapshot(models)
    rebuild = subprocess.Popen(
        [sys.executable, "-m", "web.cli", "projections", "rebuild"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    head = ledger.recorder.max_notification_id()
    try:
        wait_until(lambda: 0 < shadow_position(models) < head, seconds=60)
    finally:
        rebuild.send_signal(signal.SIGKILL)
        rebuild.wait()
    assert snapshot(models) == live  # built beside them: the live tables were never touched
    assert all(s.lag == 0 for s in models.status(ledger))
    models.rebuild(ledger)  # the next rebuild starts its shadow afresh
    assert snapshot(models) == live
    models.close()


def test_two_writers_racing_on_one_record_one_wins_and_the_log_holds_only_the_winner(deployment):
    url, ledger, server, token = deployment
    council = ledger.council(CODES[0])
    body = {"kind": "improvement_notice_issued", "on": "2026-02-02"}

    def race(n: int) -> int:
        return server.post(
            f"/api/v1/councils/{council.code}/interventions",
            body | {"details": f"racer {n}"},
            token,
            key=f"race-{n}",
            if_match=f'"{council.version}"',
        ).status

    with ThreadPoolExecutor(2) as pool:
        statuses = sorted(pool.map(race, range(2)))
    assert statuses[0] in (200, 201) and statuses[1] in (409, 412)
    [winner] = [i["details"] for i in ledger.council(CODES[0]).interventions]
    assert winner in {"racer 0", "racer 1"}


def test_postgres_restarted_under_load_gives_503s_then_recovers_without_help(
    deployment_on_own_cluster,
):
    cluster, (url, ledger, server, token) = deployment_on_own_cluster
    machines = _server_url()
    machine_started = machines and started_at(machines)
    seen: list[int] = []
    body = {"kind": "improvement_adviser_appointed", "on": "2026-03-02"}

    def keep_reading(until: float) -> None:
        while time.monotonic() < until:
            seen.append(server.get("/readyz").status)
            time.sleep(0.05)

    with ThreadPoolExecutor(1) as pool:
        reader = pool.submit(keep_reading, time.monotonic() + 25)
        time.sleep(1)
        cluster.restart()
        reader.result()
    assert 503 in seen, "the outage was not reported as 503"
    assert not machines or started_at(machines) == machine_started, "the machine's server restarted"
    assert seen[-1] == 200, "readiness did not recover by itself"
    wait_until(lambda: server.get("/readyz").status == 200, seconds=30)
    status = post_until_done(
        server.base + f"/api/v1/councils/{CODES[1]}/interventions",
        body | {"details": "after restart"},
        token,
        key="after-restart",
    )
    assert status in (200, 201)  # 200: an attempt answered 503 had recorded it, "applied"
    ledger.recorder.datastore.engine.dispose()  # this test's own pooled sessions died with it
    assert interventions(ledger) == ["after restart"]
    engine = create_engine(url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT 1")).scalar() == 1
    engine.dispose()
