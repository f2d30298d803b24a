"""A PostgreSQL cluster of the fault tests' own, for the faults that restart the server."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.faults.cluster import Cluster, ClusterUnavailable


@pytest.fixture
def own_cluster() -> Iterator[Cluster]:
    """Start a throw-away cluster; stop and delete it after the test."""
    try:
        cluster = Cluster()
    except ClusterUnavailable as reason:
        if os.environ.get("LEDGER_REQUIRE_POSTGRES"):
            pytest.fail(f"PostgreSQL is required (LEDGER_REQUIRE_POSTGRES) but {reason}")
        pytest.skip(f"cannot run a PostgreSQL cluster of our own: {reason}")
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()
