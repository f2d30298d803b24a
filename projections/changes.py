"""Change stamps: a counter per read-model table, raised in the transaction that writes it.

A reader that remembers the stamps it saw can tell, with one small query, whether anything it
read has changed since. Counters only grow and this table is no view's own (a rebuild keeps
it), so a stamp never comes back, even after a table is dropped and rebuilt.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from sqlalchemy import BigInteger, Column, MetaData, String, Table, TableClause, event, select
from sqlalchemy.engine import Connection
from sqlalchemy.sql.dml import UpdateBase

changes = Table(
    "rm_changes",
    MetaData(),  # not among the read models' tables: nothing drops or rebuilds it
    Column("name", String(100), primary_key=True),
    Column("stamp", BigInteger, nullable=False),
)
IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# The tables each connection is collecting, kept beside it rather than in its `info`: an
# invalidated connection (its database lost) refuses to show its `info` until rolled back.
WRITTEN: weakref.WeakKeyDictionary[Connection, set[str]] = weakref.WeakKeyDictionary()


def bump(connection: Connection, names: Iterable[str]) -> None:
    """Raise the stamps of these tables by one, within the connection's transaction."""
    chosen = tuple(sorted(set(names)))  # sorted: lock order
    if chosen:
        translated = connection.get_execution_options().get("schema_translate_map") or {}
        connection.exec_driver_sql(bump_sql(chosen, translated.get(None)))


@lru_cache(maxsize=256)
def bump_sql(names: tuple[str, ...], schema: str | None = None) -> str:
    """Return the SQL raising these tables' stamps (in the schema a rebuild writes, if any).

    Written out once per set of tables: SQLAlchemy compiles a dialect's upsert afresh at every
    execution (it caches none), which cost more than the statement did. The names are table
    names, checked as identifiers, so they are written in as they are.
    """
    if not all(IDENTIFIER.fullmatch(n) for n in (*names, *([schema] if schema else []))):
        raise ValueError(f"not table names: {names} in {schema}")
    table = f'"{schema}".{changes.name}' if schema else changes.name
    values = ", ".join(f"('{name}', 1)" for name in names)
    return (
        f"INSERT INTO {table} AS c (name, stamp) VALUES {values}"
        " ON CONFLICT (name) DO UPDATE SET stamp = c.stamp + 1"
    )


def stamps(connection: Connection, names: Sequence[str]) -> tuple[int, ...]:
    """Return the stamps of these tables, in the order given (0: never written), in one query."""
    query = select(changes.c.name, changes.c.stamp).where(changes.c.name.in_(names))
    found = dict(connection.execute(query).tuples().all())
    return tuple(found.get(name, 0) for name in names)


def _note(connection: Connection, statement: Any, *_: Any) -> None:
    written = WRITTEN.get(connection)
    noted = isinstance(statement, UpdateBase) and isinstance(statement.table, TableClause)
    if written is not None and noted:
        written.add(statement.table.name)


@contextmanager
def written_tables(connection: Connection) -> Iterator[set[str]]:
    """Collect the names of the tables this connection INSERTs into, UPDATEs or DELETEs from
    (an enclosing collection sees them too).

    Only built statements are seen, not SQL written out with `text()` (no projection uses any).
    The engine's listener stays: adding and removing a connection's at each append cost more.
    """
    if not event.contains(connection.engine, "after_execute", _note):
        event.listen(connection.engine, "after_execute", _note)
    outer = WRITTEN.get(connection)
    written = WRITTEN[connection] = set()
    try:
        yield written
    finally:
        if outer is None:
            WRITTEN.pop(connection, None)
        else:
            outer |= written
            WRITTEN[connection] = outer
