"""Tamper evidence: every stored event is bound into a hash chain in the same transaction.

Each event gets a gap-free chain position `seq` and a SHA-256 hash over its position, its
aggregate and version, its topic and stored state, the command it came from (correlation),
the event that caused it (causation), the previous hash of its own aggregate and the previous
hash of the whole log. The chain row is written in the transaction that inserts the event,
after the event table is locked (PostgreSQL: LOCK TABLE ... IN EXCLUSIVE MODE; SQLite: the
single writer), so concurrent writers still make one gap-free chain.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress
from typing import Any

from eventsourcing.application import LRUCache
from eventsourcing.persistence import StoredEvent
from eventsourcing_sqlalchemy.datastore import transactions
from eventsourcing_sqlalchemy.factory import SQLAlchemyFactory
from sqlalchemy import Column, Index, Integer, MetaData, String, Table, inspect, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from adapters import chain_tip, event_rows, merkle_store
from adapters.chain_entry import chain_entry, chained_rows, uuid_text
from adapters.chain_tip import GENESIS, Tip
from adapters.log_head import LogHead
from adapters.merkle import MissingNode, leaf_hash
from adapters.persistence import SharedDatastore

HASHES_REMEMBERED = 10_000  # aggregates whose newest chain hash a recorder keeps in memory
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
        # not unique by constraint: `ledger audit verify` finds an event chained twice (its
        # walk pairs positions with events one to one), and the index cost every append
        Column("notification_id", merkle_store.big_integer(), nullable=False),
        Column("originator_id", String(36), nullable=False),
        Column("originator_version", Integer, nullable=False),
        Column("correlation_id", String(64), nullable=False),
        Column("causation_id", String(80), nullable=False),
        Column("aggregate_prev_hash", String(64), nullable=False),
        Column("prev_hash", String(64), nullable=False),
        Column("event_hash", String(64), nullable=False),
        Index(f"{name}_aggregate", "originator_id", "originator_version", unique=True),
    )


class ChainedApplicationRecorder(LogHead):
    """An application recorder that adds each event to the hash chain as it stores it.

    Chain rows never change, so what each append wrote is remembered once this recorder has
    committed it: the newest hash of each aggregate (its next event links to it without
    reading it back; another process's newer event shows as a version gap, and is read from
    the table), and the chain's tip (the next append is written at it without reading it, or,
    if another process moved it, at the tip read afresh: adapters/chain_tip.py).

    What `within_append` holds is called in each append's transaction, once the events are
    chained, so that what it writes (the read models kept inline) commits with them or not at
    all.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.chain = chain_table(self.events_table_name)
        self.merkle = merkle_store.merkle_table(self.events_table_name, chain_metadata)
        self.tables += [self.chain, self.merkle]
        self._newest: LRUCache[str, tuple[int, str]] = LRUCache(maxsize=HASHES_REMEMBERED)
        self._tip: Tip | None = None
        self._written = threading.local()
        self.within_append: list[WithinAppend] = []

    def insert_events(
        self, stored_events: Sequence[StoredEvent], *, session: Session | None = None, **kwargs: Any
    ) -> Sequence[int] | None:
        committing = session is None and self._commits_alone()
        self._written.append = None
        try:
            ids = super().insert_events(stored_events, session=session, **kwargs)
            if committing and self._written.append:  # committed: what it wrote is the newest
                rows, self._tip = self._written.append
                for row in rows:
                    self._newest.put(
                        row["originator_id"], (row["originator_version"], row["event_hash"])
                    )
            return ids
        finally:
            self._written.append = None

    def _commits_alone(self) -> bool:
        """Say whether an append now commits in a transaction of its own, not a caller's."""
        return self.datastore.scoped_session is None and transactions.get(None) is None

    def _insert_stored_events(
        self, session: Session, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int]:
        if not stored_events:
            return []
        self._lock_table(session)  # on PostgreSQL: appends commit in the order of their ids
        connection = session.connection()
        ids = event_rows.insert(connection, self.events_record_cls.__table__, stored_events)
        self._written.append = self._append_to_chain(
            connection,
            stored_events,
            ids,
            kwargs.get("correlation_id", ""),
            kwargs.get("causation") or {},
        )
        for listener in self.within_append:
            listener(session, stored_events, ids)
        return ids

    def _append_to_chain(
        self,
        connection: Connection,
        events: Sequence[StoredEvent],
        ids: Sequence[int],
        correlation_id: str,
        causation: Mapping[tuple[str, int], str],
    ) -> tuple[list[dict[str, Any]], Tip]:
        """Chain the events and grow the tree with them; return the chain rows and the new tip."""
        links: dict[str, str] = {}  # the hash each aggregate's first event here links to
        for event in events:
            originator = uuid_text(event.originator_id)
            if originator not in links:
                links[originator] = self._hash_before(
                    connection, originator, event.originator_version
                )
        tip, found = self._tip, None
        for _ in range(2):  # at the remembered tip; if it moved, at the one found there
            tip = tip or self._read_tip(connection, found)
            rows, leaves = chained_rows(tip, events, ids, correlation_id, causation, links)
            grown, nodes = tip.grown(leaves, rows[-1]["event_hash"])
            found = chain_tip.write(
                connection, self.chain, self.merkle, tip, rows, nodes, self.channel_name
            )
            if found is None:
                return rows, grown
            tip = None
        raise RuntimeError("the chain's head moved while the log was locked")

    def _notify_channel(self, session: Session) -> None:
        """Send no NOTIFY of its own: the statement that writes the chain rows announces the
        append (a round trip fewer; the follower hears it at commit as before)."""

    def _read_tip(self, connection: Connection, head: tuple[int, str] | None) -> Tip:
        """Return the stored chain's tip (its head read unless given), first filling in any
        leaves the tree lacks."""
        size, last = head or chain_tip.head_of(connection, self.chain)
        known = merkle_store.frontier_of(connection, self.merkle, size)
        if known is None:
            self.fill_tree(connection, size)
            known = merkle_store.frontier_of(connection, self.merkle, size)
        if known is None:
            raise MissingNode(f"the Merkle tree cannot reach chain position {size}")
        return Tip(size, last, known, fresh=True)

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
            upto = chain_tip.head_of(connection, self.chain)[0]
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
        assert self.datastore.engine is not None
        with self.datastore.engine.begin() as connection:
            drop_notification_unique(connection, self.chain)
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


def drop_notification_unique(connection: Connection, chain: Table) -> None:
    """Drop the unique constraint on a chain's event ids that earlier versions made, where it
    can be dropped: PostgreSQL. SQLite cannot drop a table's constraint without copying the
    table, so a SQLite chain made before keeps it (and the cost of its index)."""
    if connection.dialect.name != "postgresql":
        return
    for found in inspect(connection).get_unique_constraints(chain.name):
        if found["column_names"] == ["notification_id"] and found["name"]:
            connection.execute(text(f'ALTER TABLE {chain.name} DROP CONSTRAINT "{found["name"]}"'))


class ChainedFactory(SQLAlchemyFactory):
    """eventsourcing-sqlalchemy's factory, with the chained application recorder."""

    datastore_class = SharedDatastore  # one engine per process, shared with the other stores
    application_recorder_class = ChainedApplicationRecorder
