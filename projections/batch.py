"""A batch's read-model rows: loaded in bulk, changed in memory, written in bulk.

Building and compiling one SQL statement per event cost ~90% of a rebuild. Within one
projection transaction (its tracking row locked, so no other writer changes its tables) the
handlers instead read and change plain dict rows held here (a row changed twice is written
once, as it ends); `flush` writes every new row and every changed row of a table at once
(`projections.bulk`: COPY on PostgreSQL). Rows stay cached until the
transaction ends, so nothing is read twice in a batch. The prefetch reads go straight to the
driver (`projections.driver`); a batch's reads can be gathered (`pending`) and run together,
in one round trip on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from operator import itemgetter
from typing import Any

from sqlalchemy import Table, and_, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from projections import driver
from projections.bulk import insert_rows, update_rows

Key = tuple[Any, ...]
_UNREAD: Any = object()  # no row of this key read yet
CHUNK = 500  # values per IN (...) list
ROWS = "ledger_rows"  # where a session keeps its batch's rows


class _Shape:
    """A table's columns, key and defaults, read once: the handlers insert and key rows
    thousands of times a batch."""

    def __init__(self, table: Table) -> None:
        self.names = frozenset(c.name for c in table.columns)
        self.key = tuple(c.name for c in table.primary_key.columns)
        self.key_of = _key_getter(self.key)
        self.template: dict[str, Any] = {}  # every column, in order, with its scalar default
        self.made: list[tuple[str, Any]] = []  # columns whose default is made afresh each row
        for column in table.columns:
            default = column.default
            self.template[column.name] = default.arg if default and default.is_scalar else None
            if default is not None and not default.is_scalar:
                self.made.append((column.name, default.arg))


def _key_getter(names: tuple[str, ...]) -> Callable[[dict[str, Any]], Key]:
    """Return what reads a row's key, as a tuple, from the row."""
    if len(names) == 1:
        (name,) = names
        return lambda row: (row[name],)
    return itemgetter(*names)  # a tuple already


_shapes: dict[Table, _Shape] = {}


def _shape(table: Table) -> _Shape:
    shape = _shapes.get(table)
    if shape is None:
        shape = _shapes[table] = _Shape(table)
    return shape


class Rows:
    """The rows one batch reads and writes, keyed by primary key, per table."""

    def __init__(self, connection: Connection, pending: list[driver.Read] | None = None) -> None:
        self.connection = connection
        self.pending = pending  # where reads wait to be run together (None: run at once)
        self.cached: dict[Table, dict[Key, dict[str, Any] | None]] = {}
        self.new: dict[Table, dict[Key, None]] = {}  # insertion-ordered sets
        self.dirty: dict[Table, dict[Key, None]] = {}
        self.changed: dict[Table, set[str]] = {}  # the columns an update set, per table
        self.complete: dict[Table, dict[int, set[Any]]] = {}  # table -> key part -> loaded
        self.info: dict[str, Any] = {}  # what a projection keeps about this batch's rows

    def _cache(self, table: Table) -> dict[Key, dict[str, Any] | None]:
        cache = self.cached.get(table)  # not setdefault: that builds a dict every call
        if cache is None:
            cache = self.cached[table] = {}
        return cache

    @staticmethod
    def key_of(table: Table, row: dict[str, Any]) -> Key:
        """Return the row's primary key."""
        return _shape(table).key_of(row)

    def load(self, table: Table, part: int, values: Iterable[Any]) -> None:
        """Load every row whose `part`-th key column is one of the values, in a few queries."""
        done = self.complete.setdefault(table, {}).setdefault(part, set())
        wanted = sorted({v for v in values if v not in done})
        self.read(table, part, wanted)
        done.update(wanted)

    def read(
        self,
        table: Table,
        part: int,
        values: list[Any],
        null: str | None = None,
        then: Callable[[list[dict[str, Any]]], None] | None = None,
    ) -> None:
        """Read the rows whose `part`-th key column is one of the values (and whose column
        `null` is NULL, if given) into the cache, a few queries, then hand them (as cached) to
        `then`; now, or with the batch's other reads if they are gathered."""
        cache, key_of = self._cache(table), _shape(table).key_of

        def keep(found: list[dict[str, Any]]) -> None:
            held = [cache.setdefault(key_of(row), row) for row in found]
            if then is not None:
                then(held)  # type: ignore[arg-type]

        for start in range(0, len(values), CHUNK):
            chunk = values[start : start + CHUNK]
            read = driver.keyed(self.connection, table, part, chunk, keep, null)
            if self.pending is None:
                driver.run(self.connection, [read])
            else:
                self.pending.append(read)

    def get(self, table: Table, *key: Any) -> dict[str, Any] | None:
        """Return the row with this primary key (None if there is none), reading it if need be."""
        cache = self._cache(table)
        found = cache.get(key, _UNREAD)
        if found is not _UNREAD:
            return found
        loaded = self.complete.get(table)
        if loaded and any(key[part] in done for part, done in loaded.items()):
            return None
        where = and_(*(c == v for c, v in zip(table.primary_key.columns, key, strict=True)))
        found = self.connection.execute(select(table).where(where)).mappings().first()
        cache[key] = dict(found) if found else None
        return cache[key]

    def insert(self, table: Table, **values: Any) -> dict[str, Any]:
        """Add a new row; columns not given take their default, as an INSERT would."""
        shape = _shape(table)
        row = shape.template.copy()
        for name, make in shape.made:
            if name not in values:
                row[name] = make(None)
        if values.keys() <= shape.names:
            row.update(values)
        else:  # as before: what is no column of the table is not kept
            row.update((k, v) for k, v in values.items() if k in shape.names)
        key = shape.key_of(row)
        self._cache(table)[key] = row
        new = self.new.get(table)
        if new is None:
            new = self.new[table] = {}
        new[key] = None
        return row

    def update(self, table: Table, key: Key, **values: Any) -> dict[str, Any] | None:
        """Change the row with this key, if there is one, as an UPDATE would; return it."""
        cache = self.cached.get(table)
        row = _UNREAD if cache is None else cache.get(key, _UNREAD)
        if row is _UNREAD:
            row = self.get(table, *key)
        if row is None:
            return None
        row.update(values)
        new = self.new.get(table)
        if new is None or key not in new:
            dirty = self.dirty.get(table)
            if dirty is None:
                dirty = self.dirty[table] = {}
                self.changed[table] = set(values)
            else:
                self.changed[table].update(values)
            dirty[key] = None
        return row

    def flush(self, later: list[driver.Read] | None = None) -> None:
        """Write the new rows and the changed rows (of a changed row, only the columns an
        update of its table set: on SQLite an index is rewritten for every indexed column
        set, changed or not), a few statements per table and kind: now, or (a few rows) with
        the statements gathered in `later`."""
        connection = self.connection
        for table, keys in self.new.items():
            cache = self.cached[table]
            insert_rows(
                connection, table, [r for r in map(cache.get, keys) if r is not None], later
            )
        for table, keys in self.dirty.items():
            cache = self.cached[table]
            changed = [r for r in map(cache.get, keys) if r is not None]
            update_rows(connection, table, changed, later, self.changed[table])
        self.new, self.dirty, self.changed = {}, {}, {}


def new_rows(session: Session) -> Rows:
    """Start the rows of a batch applied in this session."""
    rows = session.info[ROWS] = Rows(session.connection())
    return rows


def rows_of(session: Session) -> Rows:
    """Return the rows of the batch this session is applying (a new set, outside a batch)."""
    rows = session.info.get(ROWS)
    return rows if isinstance(rows, Rows) else new_rows(session)
