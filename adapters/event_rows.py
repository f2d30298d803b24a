"""Insert an append's stored events through the driver's cursor, as its chain rows are.

eventsourcing-sqlalchemy adds each event to the ORM session and flushes it to learn its
notification id: the unit of work's bookkeeping cost more than the INSERT itself. Here one
multi-row `INSERT ... RETURNING` per append (per 500 events of a large one; the SQL of a
command's few rows is written once per table, dialect and number of rows) takes the values
through the columns' own bind processors, as SQLAlchemy would send them, and answers each
event's id. The driver's errors are raised as SQLAlchemy's (a version already taken is its
IntegrityError, which the recorder's transaction turns into eventsourcing's). The rows come
back keyed by aggregate and version, not by position: neither database promises RETURNING's
order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from sqlalchemy import Table
from sqlalchemy.engine import Connection, Dialect

from projections.driver import announce, driver_errors

NAMES = ("originator_id", "originator_version", "topic", "state")
ROWS = 500  # events a statement at most: 2,000 values, far below SQLite's and the protocol's limits
KEPT = 32  # statements of up to this many rows are written once and kept (a command's appends)
Processor = Callable[[Any], Any] | None


class _Shape:
    """An events table's INSERTs for one dialect, and its columns' processors."""

    def __init__(self, table: Table, dialect: Dialect) -> None:
        quote = dialect.identifier_preparer.quote
        name = f"{quote(table.schema)}.{quote(table.name)}" if table.schema else quote(table.name)
        columns = [table.c[n] for n in NAMES]
        self.binds: list[Processor] = [c.type._cached_bind_processor(dialect) for c in columns]
        self.originator: Processor = columns[0].type._cached_result_processor(dialect, None)
        self.head = f"INSERT INTO {name} ({', '.join(quote(n) for n in NAMES)}) VALUES "
        self.tail = f" RETURNING {quote('id')}, {quote(NAMES[0])}, {quote(NAMES[1])}"
        mark = "%s" if dialect.paramstyle in ("format", "pyformat") else "?"
        self.row = f"({', '.join([mark] * len(NAMES))})"
        self._sql: dict[int, str] = {}

    def sql(self, count: int) -> str:
        """Return the INSERT of `count` events (kept for the small counts commands append)."""
        found = self._sql.get(count)
        if found is None:
            found = self.head + ", ".join([self.row] * count) + self.tail
            if count <= KEPT:
                self._sql[count] = found
        return found

    def values(self, events: Sequence[StoredEvent]) -> list[Any]:
        """Return the statement's parameters: each event's four values, as bound."""
        found = []
        for event in events:
            for bind, value in zip(
                self.binds,
                (event.originator_id, event.originator_version, event.topic, event.state),
                strict=True,
            ):
                found.append(value if bind is None else bind(value))
        return found

    def key(self, originator: Any, version: int) -> tuple[UUID, int]:
        """Return a returned row's aggregate (as a UUID) and version."""
        return (
            _uuid(originator if self.originator is None else self.originator(originator)),
            version,
        )


def _uuid(value: Any) -> UUID:
    return value if isinstance(value, UUID) else UUID(str(value))


@lru_cache(maxsize=32)
def _shape(table: Table, dialect: Dialect) -> _Shape:
    return _Shape(table, dialect)


def insert(connection: Connection, table: Table, events: Sequence[StoredEvent]) -> list[int]:
    """Insert the events in the connection's transaction; return their notification ids, in
    the events' order."""
    shape = _shape(table, connection.dialect)
    found: list[Any] = []
    cursor = connection.connection.cursor()
    try:
        for start in range(0, len(events), ROWS):  # an import's appends: in parts
            part = events[start : start + ROWS]
            sql, values = shape.sql(len(part)), shape.values(part)
            announce(connection, cursor, sql, values)
            with driver_errors(connection, sql):  # a version taken: SQLAlchemy's IntegrityError
                cursor.execute(sql, values)
                found += cursor.fetchall()
    finally:
        cursor.close()
    ids = {shape.key(originator, version): id_ for id_, originator, version in found}
    return [ids[(_uuid(e.originator_id), e.originator_version)] for e in events]
