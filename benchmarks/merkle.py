"""The verifiable log: appends with the Merkle tree against raw appends, and proofs at size."""

from __future__ import annotations

import hashlib
import os
import random
import statistics
import time
from typing import Any
from uuid import uuid4

from eventsourcing.persistence import StoredEvent
from sqlalchemy import MetaData, create_engine

from adapters import merkle_store
from adapters.persistence import ledger_env
from benchmarks.commands import ROUNDS, _append, _recorder

EVENTS_PER_APPEND = 4  # as a record_judgments command writes
STATE = b'{"grade": "Good", "area": "leaders", "actor": "ian.inspector"}' * 4
PROOFS = 1_000  # of each kind, at random places in the big tree
WARM_UP = 100  # untimed first, so that the p99 is not the first reads of a cold file


def _groups(count: int) -> list[list[StoredEvent]]:
    topic = "domain.inspection:Inspection.JudgmentRecorded"
    return [
        [StoredEvent(uuid4(), 1, topic, STATE) for _ in range(EVENTS_PER_APPEND)]
        for _ in range(count)
    ]


def _appends(url: str, appends: int) -> dict[str, float]:
    """Time raw appends and appends with the chain and tree, alternating rounds."""
    raw = _recorder(url, "benchmraw", "eventsourcing_sqlalchemy")
    tree = _recorder(url, "benchmtree", "adapters.hash_chain:ChainedFactory")
    spent = {"raw": 0.0, "tree": 0.0}
    per_round = max(appends // ROUNDS, 1)
    for _ in range(ROUNDS):  # alternate, so a slow spell of the disk hits both
        groups = _groups(per_round)
        spent["raw"] += _append(raw.insert_events, groups)
        spent["tree"] += _append(lambda g: tree.insert_events(g, correlation_id="b"), groups)
    events = ROUNDS * per_round * EVENTS_PER_APPEND
    return {"raw_append_per_s": events / spent["raw"], "tree_append_per_s": events / spent["tree"]}


def _timed_ms(run: Any) -> list[float]:
    for _ in range(WARM_UP):
        run()
    times = []
    for _ in range(PROOFS):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return sorted(times)


def _proofs(url: str, leaves: int) -> dict[str, Any]:
    """Build a tree of `leaves` leaf hashes directly, then time proofs from it."""
    table = merkle_store.merkle_table("benchbig", MetaData())
    engine = create_engine(ledger_env(url)["SQLALCHEMY_URL"])
    table.create(engine)
    started = time.perf_counter()
    with engine.begin() as conn:
        made = (hashlib.sha256(i.to_bytes(8, "big")).digest() for i in range(leaves))
        merkle_store.build(conn, table, made)
    built = time.perf_counter() - started
    pick = random.Random(17)
    with engine.connect() as conn:
        inclusion = _timed_ms(
            lambda: merkle_store.inclusion(conn, table, pick.randrange(leaves), leaves)
        )
        consistency = _timed_ms(
            lambda: merkle_store.consistency(conn, table, pick.randrange(1, leaves), leaves)
        )
        head = _timed_ms(lambda: merkle_store.tree_head(conn, table))
    engine.dispose()
    return {
        "leaves": leaves,
        "load_average": os.getloadavg()[0],
        "build_seconds": built,
        **{
            f"{name}_p50_ms": statistics.median(t)
            for name, t in _kinds(inclusion, consistency, head)
        },
        **{
            f"{name}_p99_ms": t[int(len(t) * 0.99) - 1]
            for name, t in _kinds(inclusion, consistency, head)
        },
    }


def _kinds(*timings: list[float]) -> zip[tuple[str, list[float]]]:
    return zip(("inclusion", "consistency", "tree_head"), timings, strict=True)


def merkle_phase(url: str, appends: int = 500, leaves: int = 1_000_000) -> dict[str, Any]:
    """Time appends with the tree against raw appends, and proofs from a tree of `leaves`."""
    return {**_appends(url, appends), **_proofs(url, leaves)}
