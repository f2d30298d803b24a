"""Verify the hash chain: find the first event altered, deleted, inserted or reordered."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, func, select
from sqlalchemy.engine import Connection

from adapters.chain_entry import event_hash, uuid_text
from adapters.chain_tip import GENESIS
from adapters.hash_chain import ChainedApplicationRecorder

Progress = Callable[[int, int], None]  # (events checked, events in the log)
BATCH = 2000


@dataclass(frozen=True)
class Problem:
    kind: str  # altered, deleted, inserted or reordered
    seq: int | None
    position: int | None  # the event's notification id (its row in the events table)
    originator_id: str
    version: int | None
    detail: str

    def describe(self) -> str:
        where = f"chain position {self.seq}" if self.seq else "outside the chain"
        return (
            f"{self.kind}: {where}, event row {self.position}, aggregate {self.originator_id} "
            f"version {self.version}: {self.detail}"
        )


@dataclass(frozen=True)
class Verification:
    checked: int
    head_seq: int
    head_hash: str
    problem: Problem | None
    hashes_at: dict[int, str]  # recomputed hash at each requested position

    @property
    def ok(self) -> bool:
        return self.problem is None


def _rows(conn: Connection, table: Table, key: Any, start: int) -> Iterator[Any]:
    """Yield every row of a table in key order, a batch at a time."""
    while True:
        batch = conn.execute(select(table).where(key > start).order_by(key).limit(BATCH)).all()
        if not batch:
            return
        yield from batch
        start = getattr(batch[-1], key.name)


class _Checker:
    """Walks the chain and the events table side by side, recomputing every hash."""

    def __init__(self, positions: set[int]) -> None:
        self.prev, self.seq, self.checked = GENESIS, 0, 0
        self.last_hash: dict[str, str] = {}
        self.last_version: dict[str, int] = {}
        self.positions, self.hashes_at = positions, {}

    def check(self, link: Any, event: Any) -> Problem | None:
        origin = uuid_text(event.originator_id)
        if origin != link.originator_id or event.originator_version != link.originator_version:
            return Problem(
                "reordered",
                link.seq,
                event.id,
                origin,
                event.originator_version,
                f"the chain expects aggregate {link.originator_id} version "
                f"{link.originator_version} here",
            )
        expected_version = self.last_version.get(origin, 0) + 1
        if event.originator_version != expected_version:
            return Problem(
                "deleted",
                link.seq,
                event.id,
                origin,
                event.originator_version,
                f"version {expected_version} of this aggregate is missing",
            )
        aggregate_prev = self.last_hash.get(origin, GENESIS)
        digest = event_hash(
            link.seq,
            origin,
            event.originator_version,
            event.topic,
            event.state,
            link.correlation_id,
            link.causation_id,
            aggregate_prev,
            self.prev,
        )
        if (
            digest != link.event_hash
            or link.prev_hash != self.prev
            or link.aggregate_prev_hash != aggregate_prev
        ):
            return Problem(
                "altered",
                link.seq,
                event.id,
                origin,
                event.originator_version,
                "its content no longer matches the hash recorded for it",
            )
        self.prev, self.seq = digest, link.seq
        self.last_hash[origin], self.last_version[origin] = digest, event.originator_version
        self.checked += 1
        if link.seq in self.positions:
            self.hashes_at[link.seq] = digest
        return None


def verify(
    recorder: ChainedApplicationRecorder,
    progress: Progress | None = None,
    positions: set[int] | None = None,
) -> Verification:
    """Re-read the whole log and its chain; report the first problem found, if any."""
    events: Table = recorder.events_record_cls.__table__  # type: ignore[attr-defined]
    chain = recorder.chain
    checker = _Checker(positions or set())
    engine = recorder.datastore.engine
    assert engine is not None
    with engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(events)).scalar_one()
        problem = _walk(conn, events, chain, checker, progress, total)
    return Verification(checker.checked, checker.seq, checker.prev, problem, checker.hashes_at)


def _walk(
    conn: Connection,
    events: Table,
    chain: Table,
    checker: _Checker,
    progress: Progress | None,
    total: int,
) -> Problem | None:
    event_rows = _rows(conn, events, events.c.id, 0)
    event = next(event_rows, None)
    for link in _rows(conn, chain, chain.c.seq, 0):
        if link.seq != checker.seq + 1:
            return Problem(
                "deleted",
                checker.seq + 1,
                None,
                link.originator_id,
                None,
                f"chain positions {checker.seq + 1} to {link.seq - 1} are missing",
            )
        if event is not None and event.id < link.notification_id:
            return _forged(event, link.seq)
        if event is None or event.id != link.notification_id:
            return Problem(
                "deleted",
                link.seq,
                link.notification_id,
                link.originator_id,
                link.originator_version,
                "the event recorded here has been removed",
            )
        problem = checker.check(link, event)
        if problem:
            return problem
        event = next(event_rows, None)
        if progress and checker.checked % BATCH == 0:
            progress(checker.checked, total)
    if progress:
        progress(checker.checked, total)
    return _forged(event, None) if event is not None else None


def _forged(event: Any, seq: int | None) -> Problem:
    return Problem(
        "inserted",
        seq,
        event.id,
        uuid_text(event.originator_id),
        event.originator_version,
        "this event has no place in the hash chain",
    )


@dataclass(frozen=True)
class ChainLink:
    seq: int
    event_hash: str
    correlation_id: str
    causation_id: str


def chain_links(recorder: ChainedApplicationRecorder, originator_id: str) -> dict[int, ChainLink]:
    """Return where each version of one aggregate stands in the chain."""
    chain = recorder.chain
    engine = recorder.datastore.engine
    assert engine is not None
    with engine.connect() as conn:
        rows = conn.execute(select(chain).where(chain.c.originator_id == originator_id)).all()
    return {
        r.originator_version: ChainLink(r.seq, r.event_hash, r.correlation_id, r.causation_id)
        for r in rows
    }
