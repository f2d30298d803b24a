"""A batch's read-model rows: loaded in bulk, changed in memory, written with executemany.

Building and compiling one SQL statement per event cost ~90% of a rebuild. Within one
projection transaction (its tracking row locked, so no other writer changes its tables) the
handlers instead read and change plain dict rows held here; `flush` writes every new row with
one INSERT and every changed row with one UPDATE per table. Rows stay cached until the
transaction ends, so nothing is read twice in a batch.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, Table, and_, bindparam, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Update

Key = tuple[Any, ...]
CHUNK = 500  # values per IN (...) list
ROWS = "ledger_rows"  # where a session keeps its batch's rows
_updates: dict[Table, Update] = {}
_loads: dict[tuple[Table, int], Select[Any]] = {}


def _load_by(table: Table, part: int) -> Select[Any]:
    """Return `SELECT table WHERE its part-th key column IN :values`, built once per column
    (building it afresh cost three times its execution in a one-event transaction)."""
    if (table, part) not in _loads:
        column = list(table.primary_key.columns)[part]
        _loads[table, part] = select(table).where(column.in_(bindparam("values", expanding=True)))
    return _loads[table, part]


def _update_by_key(table: Table) -> Update:
    """Return `UPDATE table SET every other column WHERE primary key`, built once per table."""
    if table not in _updates:
        key = [c == bindparam(f"_key_{c.name}") for c in table.primary_key.columns]
        _updates[table] = update(table).where(and_(*key))
    return _updates[table]


class _Shape:
    """A table's columns, key and defaults, read once: the handlers insert and key rows
    thousands of times a batch."""

    def __init__(self, table: Table) -> None:
        self.names = frozenset(c.name for c in table.columns)
        self.key = tuple(c.name for c in table.primary_key.columns)
        self.template: dict[str, Any] = {}  # every column, in order, with its scalar default
        self.made: list[tuple[str, Any]] = []  # columns whose default is made afresh each row
        for column in table.columns:
            default = column.default
            self.template[column.name] = default.arg if default and default.is_scalar else None
            if default is not None and not default.is_scalar:
                self.made.append((column.name, default.arg))


_shapes: dict[Table, _Shape] = {}


def _shape(table: Table) -> _Shape:
    shape = _shapes.get(table)
    if shape is None:
        shape = _shapes[table] = _Shape(table)
    return shape


class Rows:
    """The rows one batch reads and writes, keyed by primary key, per table."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.cached: dict[Table, dict[Key, dict[str, Any] | None]] = {}
        self.new: dict[Table, dict[Key, None]] = {}  # insertion-ordered sets
        self.dirty: dict[Table, dict[Key, None]] = {}
        self.complete: dict[tuple[Table, int], set[Any]] = {}  # (table, key part) -> loaded
        self.info: dict[str, Any] = {}  # what a projection keeps about this batch's rows

    def _cache(self, table: Table) -> dict[Key, dict[str, Any] | None]:
        return self.cached.setdefault(table, {})

    @staticmethod
    def key_of(table: Table, row: dict[str, Any]) -> Key:
        """Return the row's primary key."""
        return tuple([row[name] for name in _shape(table).key])

    def load(self, table: Table, part: int, values: Iterable[Any]) -> None:
        """Load every row whose `part`-th key column is one of the values, in a few queries."""
        done = self.complete.setdefault((table, part), set())
        wanted = sorted({v for v in values if v not in done})
        cache = self._cache(table)
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            found = self.connection.execute(_load_by(table, part), {"values": chunk})
            for row in map(dict, found.mappings()):
                cache.setdefault(self.key_of(table, row), row)
            done.update(chunk)

    def fetch(self, table: Table, where: Any) -> list[dict[str, Any]]:
        """Read the rows meeting a condition (keeping any already held), to read or change."""
        cache = self._cache(table)
        found = self.connection.execute(select(table).where(where)).mappings()
        return [cache.setdefault(self.key_of(table, dict(r)), dict(r)) for r in found]

    def get(self, table: Table, *key: Any) -> dict[str, Any] | None:
        """Return the row with this primary key (None if there is none), reading it if need be."""
        cache = self._cache(table)
        if key in cache:
            return cache[key]
        if any(key[i] in done for (t, i), done in self.complete.items() if t is table):
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
        key = self.key_of(table, row)
        self._cache(table)[key] = row
        self.new.setdefault(table, {})[key] = None
        return row

    def update(self, table: Table, key: Key, **values: Any) -> dict[str, Any] | None:
        """Change the row with this key, if there is one, as an UPDATE would; return it."""
        row = self.get(table, *key)
        if row is None:
            return None
        row.update(values)
        if key not in self.new.get(table, {}):
            self.dirty.setdefault(table, {})[key] = None
        return row

    def flush(self) -> None:
        """Write the new rows and the changed rows, one statement per table and kind."""
        for table, keys in self.new.items():
            rows = [row for row in (self.cached[table][k] for k in keys) if row is not None]
            if rows:
                self.connection.execute(table.insert(), rows)
        for table, keys in self.dirty.items():
            names = [c.name for c in table.primary_key.columns]
            params = [
                {**row, **{f"_key_{n}": row[n] for n in names}}
                for row in (self.cached[table][k] for k in keys)
                if row is not None
            ]
            if params:
                self.connection.execute(_update_by_key(table), params)
        self.new, self.dirty = {}, {}


def new_rows(session: Session) -> Rows:
    """Start the rows of a batch applied in this session."""
    rows = session.info[ROWS] = Rows(session.connection())
    return rows


def rows_of(session: Session) -> Rows:
    """Return the rows of the batch this session is applying (a new set, outside a batch)."""
    rows = session.info.get(ROWS)
    return rows if isinstance(rows, Rows) else new_rows(session)
