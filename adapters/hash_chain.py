"""Tamper evidence: every stored event is bound into a hash chain in the same transaction.

Each event gets a gap-free chain position `seq` and a SHA-256 hash over its position, its
aggregate and version, its topic and stored state, the command it came from (correlation),
the event that caused it (causation), the previous hash of its own aggregate and the previous
hash of the whole log. The chain row is written in the transaction that inserts the event,
after the event table is locked (PostgreSQL: LOCK TABLE ... IN EXCLUSIVE MODE; SQLite: the
single writer), so concurrent writers still make one gap-free chain.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress
from typing import Any

from eventsourcing.application import LRUCache
from eventsourcing.persistence import StoredEvent
from eventsourcing_sqlalchemy.factory import SQLAlchemyFactory
from eventsourcing_sqlalchemy.recorders import SQLAlchemyApplicationRecorder
from sqlalchemy import Column, Index, Integer, MetaData, String, Table, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from adapters import merkle_store
from adapters.merkle import MissingNode, leaf_hash
from adapters.persistence import SharedDatastore

HASHES_REMEMBERED = 10_000  # aggregates whose newest chain hash a recorder keeps in memory
GENESIS = "0" * 64
SEPARATOR = b"\x1f"
FILL_BATCH = 5000  # events read at a time when the tree catches up with the chain
chain_metadata = MetaData()
# Called in an append's transaction, after the events are chained: (session, the stored events,
# their notification ids).
WithinAppend = Callable[[Session, Sequence[StoredEvent], Sequence[int]], None]


def chain_table(events_table_name: str) -> Table:
    """Return the chain table that accompanies an events table."""
    name = f"{events_table_name}_chain"
    return merkle_store.table_once(
        chain_metadata,
        name,
        Column("seq", merkle_store.big_integer(), primary_key=True),
        Column("notification_id", merkle_store.big_integer(), nullable=False, unique=True),
        Column("originator_id", String(36), nullable=False),
        Column("originator_version", Integer, nullable=False),
        Column("correlation_id", String(64), nullable=False),
        Column("causation_id", String(80), nullable=False),
        Column("aggregate_prev_hash", String(64), nullable=False),
        Column("prev_hash", String(64), nullable=False),
        Column("event_hash", String(64), nullable=False),
        Index(f"{name}_aggregate", "originator_id", "originator_version", unique=True),
    )


def chain_entry(
    seq: int,
    originator_id: str,
    version: int,
    topic: str,
    state: bytes,
    correlation_id: str,
    causation_id: str,
    aggregate_prev_hash: str,
    prev_hash: str,
) -> bytes:
    """Return the bytes that stand for one event in its place: its chain hash and tree leaf."""
    parts = (
        str(seq),
        originator_id,
        str(version),
        topic,
        correlation_id,
        causation_id,
        aggregate_prev_hash,
        prev_hash,
    )
    return SEPARATOR.join(p.encode() for p in parts) + SEPARATOR + state


def event_hash(*fields: Any) -> str:
    """Return the hash that binds one event to its place in the chain (chain_entry's fields)."""
    return hashlib.sha256(chain_entry(*fields)).hexdigest()


def uuid_text(value: Any) -> str:
    """Return an originator id as the chain writes it."""
    return str(value)


class ChainedApplicationRecorder(SQLAlchemyApplicationRecorder):
    """An application recorder that adds each event to the hash chain as it stores it.

    Chain rows never change, so the newest hash of each aggregate this process has written
    is remembered after its transaction commits: the next event of that aggregate links to
    it without reading it back (another process's newer event shows as a version gap, and
    is read from the table).

    What `within_append` holds is called in each append's transaction, once the events are
    chained, so that what it writes (the read models kept inline) commits with them or not at
    all.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.chain = chain_table(self.events_table_name)
        self.merkle = merkle_store.merkle_table(self.events_table_name, chain_metadata)
        self.tables += [self.chain, self.merkle]
        self._head = (
            select(self.chain.c.seq, self.chain.c.event_hash)
            .order_by(self.chain.c.seq.desc())
            .limit(1)
        )
        self._newest: LRUCache[str, tuple[int, str]] = LRUCache(maxsize=HASHES_REMEMBERED)
        self._written = threading.local()
        self.within_append: list[WithinAppend] = []

    def insert_events(
        self, stored_events: Sequence[StoredEvent], *, session: Session | None = None, **kwargs: Any
    ) -> Sequence[int] | None:
        self._written.rows = []
        try:
            ids = super().insert_events(stored_events, session=session, **kwargs)
            if session is None:  # committed here: the new hashes are now the newest
                for row in self._written.rows:
                    self._newest.put(
                        row["originator_id"], (row["originator_version"], row["event_hash"])
                    )
            return ids
        finally:
            self._written.rows = []

    def _insert_stored_events(
        self, session: Session, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int]:
        ids = super()._insert_stored_events(session, stored_events, **kwargs)  # locks the table
        self._written.rows = self._append_to_chain(
            session,
            stored_events,
            ids,
            kwargs.get("correlation_id", ""),
            kwargs.get("causation") or {},
        )
        for listener in self.within_append if ids else ():
            listener(session, stored_events, ids)
        return ids

    def _append_to_chain(
        self,
        session: Session,
        events: Sequence[StoredEvent],
        ids: Sequence[int],
        correlation_id: str,
        causation: Mapping[tuple[str, int], str],
    ) -> list[dict[str, Any]]:
        connection = session.connection()
        head = connection.execute(self._head).first()
        seq, prev = (head.seq, head.event_hash) if head else (0, GENESIS)
        size, last_of = seq, dict[str, str]()
        rows: list[dict[str, Any]] = []
        leaves: list[bytes] = []
        for event, notification_id in zip(events, ids, strict=True):
            originator = uuid_text(event.originator_id)
            if originator not in last_of:
                last_of[originator] = self._hash_before(
                    connection, originator, event.originator_version
                )
            seq += 1
            cause = causation.get((originator, event.originator_version), "")
            entry = chain_entry(
                seq,
                originator,
                event.originator_version,
                event.topic,
                event.state,
                correlation_id,
                cause,
                last_of[originator],
                prev,
            )
            digest = hashlib.sha256(entry).hexdigest()
            leaves.append(leaf_hash(entry))
            rows.append(
                {
                    "seq": seq,
                    "notification_id": notification_id,
                    "originator_id": originator,
                    "originator_version": event.originator_version,
                    "correlation_id": correlation_id,
                    "causation_id": cause,
                    "aggregate_prev_hash": last_of[originator],
                    "prev_hash": prev,
                    "event_hash": digest,
                }
            )
            last_of[originator], prev = digest, digest
        connection.execute(self.chain.insert(), rows)
        self._grow_tree(connection, size, leaves)
        return rows

    def _grow_tree(self, connection: Connection, size: int, leaves: list[bytes]) -> None:
        """Add the leaves after `size`, first filling in any leaves the tree lacks before them."""
        known = merkle_store.frontier_of(connection, self.merkle, size)
        if known is None:
            self.fill_tree(connection, size)
            known = merkle_store.frontier_of(connection, self.merkle, size)
        if known is None:
            raise MissingNode(f"the Merkle tree cannot reach chain position {size}")
        merkle_store.add_leaves(connection, self.merkle, size, known, leaves)

    def entries(self, connection: Connection, first: int, last: int) -> list[bytes]:
        """Return the entries at chain positions first..last, stopping at a missing one."""
        events = self.events_record_cls.__table__
        query = (
            select(
                self.chain,
                events.c.originator_id.label("event_originator"),
                events.c.originator_version.label("event_version"),
                events.c.topic,
                events.c.state,
            )
            .join(events, events.c.id == self.chain.c.notification_id)
            .where(self.chain.c.seq >= first, self.chain.c.seq <= last)
            .order_by(self.chain.c.seq)
        )
        found = []
        for expected, row in enumerate(connection.execute(query), start=first):
            if row.seq != expected:
                break
            found.append(
                chain_entry(
                    row.seq,
                    uuid_text(row.event_originator),
                    row.event_version,
                    row.topic,
                    row.state,
                    row.correlation_id,
                    row.causation_id,
                    row.aggregate_prev_hash,
                    row.prev_hash,
                )
            )
        return found

    def fill_tree(self, connection: Connection, upto: int | None = None) -> int:
        """Add to the tree every chained event it lacks (up to position `upto`); return its size."""
        if upto is None:
            head = connection.execute(self._head).first()
            upto = head.seq if head else 0
        size = merkle_store.stored_size(connection, self.merkle)
        while size < upto:
            batch = self.entries(connection, size + 1, min(upto, size + FILL_BATCH))
            if not batch:
                break
            size = merkle_store.build(connection, self.merkle, map(leaf_hash, batch))
        return size

    def fill_tree_locked(self) -> int:
        """Fill in the tree in a transaction of its own, the log locked as an append locks it."""
        with self.transaction(commit=True) as session:
            self._lock_table(session)
            return self.fill_tree(session.connection())

    def create_table(self) -> None:
        """Create the tables; build the tree of a log that was chained before it had one."""
        super().create_table()
        with suppress(IntegrityError):  # another process filled it first
            self.fill_tree_locked()

    def _hash_before(self, connection: Connection, originator: str, version: int) -> str:
        """Return the hash of the aggregate's event before this version (genesis if none)."""
        if version <= 1:  # versions start at 1
            return GENESIS
        try:
            remembered_version, remembered = self._newest.get(originator)
        except KeyError:
            pass
        else:
            if remembered_version == version - 1:
                return remembered
        query = (
            select(self.chain.c.event_hash)
            .where(self.chain.c.originator_id == originator)
            .where(self.chain.c.originator_version < version)
            .order_by(self.chain.c.originator_version.desc())
            .limit(1)
        )
        return str(connection.execute(query).scalar() or GENESIS)


class ChainedFactory(SQLAlchemyFactory):
    """eventsourcing-sqlalchemy's factory, with the chained application recorder."""

    datastore_class = SharedDatastore  # one engine per process, shared with the other stores
    application_recorder_class = ChainedApplicationRecorder
