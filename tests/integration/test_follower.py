"""The PostgreSQL follower: killed mid-run it resumes; running, it keeps the read models current."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from adapters.importers import import_csv
from adapters.persistence import ledger_env
from adapters.reference_data import data_dir, load_reference_data
from domain.services import Ledger
from projections.runner import ReadModels
from tests.integration.test_projections import snapshot
from tests.scenarios import ADMIN, BARKING

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def start_follower(url: str, batch: int) -> subprocess.Popen[bytes]:
    env = os.environ | {"DATABASE_URL": url, "LEDGER_PROJECTION_BATCH": str(batch)}
    command = [sys.executable, "-m", "web.cli", "projections", "follow"]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def wait_until(condition, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


@pytest.fixture
def loaded(fresh_postgres_database):
    url = fresh_postgres_database(f"follow{time.monotonic_ns()}")
    ledger = Ledger(env=ledger_env(url))
    load_reference_data(ledger, directory=data_dir())
    assert import_csv(ledger, data_dir() / "ofsted_ilacs_inspections_2018_2025.csv").ok
    models = ReadModels(url)
    yield url, ledger, models
    models.close()
    ledger.close()


def test_a_follower_killed_mid_run_resumes_where_it_stopped(loaded):
    url, ledger, models = loaded
    head = ledger.recorder.max_notification_id()
    follower = start_follower(url, batch=5)
    try:
        wait_until(lambda: 0 < min(s.position for s in models.status(ledger)) < head)
    finally:
        follower.send_signal(signal.SIGKILL)
        follower.wait()
    stopped = [s.position for s in models.status(ledger)]
    assert min(stopped) < head, "the follower finished before it could be killed"

    follower = start_follower(url, batch=20)
    try:
        wait_until(lambda: all(s.lag == 0 for s in models.status(ledger)))
        resumed = snapshot(models)
        ledger.record_intervention(
            ADMIN, BARKING, "improvement_notice_issued", date(2025, 1, 6), ""
        )
        wait_until(lambda: all(s.lag == 0 for s in models.status(ledger)), seconds=20)
        with models.engine.connect() as conn:
            from sqlalchemy import select

            from projections.councils import councils

            notices = conn.execute(
                select(councils.c.interventions).where(councils.c.code == BARKING)
            ).scalar_one()
        assert [n["kind"] for n in notices] == ["improvement_notice_issued"]
    finally:
        follower.send_signal(signal.SIGTERM)
        follower.wait(timeout=30)
    models.rebuild(ledger)
    rebuilt = snapshot(models)
    assert {k: v for k, v in rebuilt.items() if k != "rm_councils"} == {
        k: v for k, v in resumed.items() if k != "rm_councils"
    }


def test_a_follower_cut_off_from_postgresql_reconnects_and_carries_on(loaded):
    url, ledger, models = loaded
    follower = start_follower(url, batch=1000)
    try:
        wait_until(lambda: all(s.lag == 0 for s in models.status(ledger)))
        with models.engine.connect() as conn:  # what a restart does to every session
            cut = conn.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    " WHERE datname = :db AND pid <> pg_backend_pid()"
                ),
                {"db": make_url(url).database},
            ).scalar_one()
        assert cut >= 2  # the follower's LISTEN session and its read-model session at least
        ledger.recorder.datastore.engine.dispose()  # this test's own sessions were cut too
        models.close()  # (its engines stay usable, with new connections)
        ledger.record_intervention(
            ADMIN, BARKING, "improvement_notice_issued", date(2025, 1, 6), ""
        )
        wait_until(
            lambda: all(s.lag == 0 for s in models.status(ledger)) or follower.poll() is not None,
            seconds=30,
        )
        assert follower.poll() is None, "the follower stopped instead of reconnecting"
    finally:
        follower.send_signal(signal.SIGTERM)
        output, _ = follower.communicate(timeout=30)
        print(output.decode())


def test_a_rebuild_leaves_the_planner_statistics_of_its_tables(loaded):
    url, ledger, models = loaded
    models.rebuild(ledger, ["ratings"])
    with models.engine.connect() as conn:
        analysed = dict(
            conn.execute(
                text(
                    "SELECT relname, last_analyze FROM pg_stat_user_tables WHERE relname LIKE 'rm_%'"
                )
            ).all()
        )
    ratings_tables = {
        "rm_publications",
        "rm_grade_changes",
        "rm_published_grades",
        "rm_current_ratings",
        "rm_grade_intervals",
    }
    assert all(analysed[name] is not None for name in ratings_tables)
    assert analysed["rm_councils"] is None  # not rebuilt, left to autovacuum
