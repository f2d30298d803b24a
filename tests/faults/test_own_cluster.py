"""The fault tests restart a cluster of their own, never the machine's PostgreSQL server."""

from __future__ import annotations

import os
import pwd
import shutil
from pathlib import Path

import pytest

from tests.faults.cluster import Cluster, started_at

TESTS = Path(__file__).resolve().parents[1]
SHARED_SERVER_TOOL = "pg_ctl" + "cluster"  # spelt in two so this file does not name it


def test_no_test_drives_the_machines_postgresql_cluster():
    naming = [
        str(path.relative_to(TESTS))
        for path in TESTS.rglob("*")
        if path.is_file()
        and path.suffix in {".py", ".sh", ".cfg", ".toml", ".ini", ""}
        and SHARED_SERVER_TOOL in path.read_text(errors="replace")
    ]
    assert naming == [], f"{naming} call {SHARED_SERVER_TOOL}: restart an own_cluster instead"


@pytest.mark.postgres
def test_an_own_cluster_restarts_on_its_own_port_and_leaves_nothing_behind(own_cluster: Cluster):
    assert own_cluster.port != 5432
    assert own_cluster.data.stat().st_uid == own_cluster.folder.stat().st_uid
    assert os.geteuid() != 0 or own_cluster.data.stat().st_uid != 0  # never run as root
    before = started_at(own_cluster.url)
    own_cluster.restart()
    assert started_at(own_cluster.url) > before
    own_cluster.stop()
    assert not own_cluster.folder.exists()


@pytest.mark.postgres
@pytest.mark.skipif(os.geteuid() != 0, reason="only root needs su or runuser to become postgres")
def test_an_own_cluster_runs_as_postgres_through_su_where_runuser_is_missing(monkeypatch):
    which = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name: None if name == "runuser" else which(name))
    cluster = Cluster()
    try:
        assert cluster.prefix[0] == "su"
        cluster.start()
        assert cluster.data.stat().st_uid == pwd.getpwnam("postgres").pw_uid
        assert started_at(cluster.url) is not None
    finally:
        cluster.stop()
