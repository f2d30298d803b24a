"""Change stamps: a counter per read-model table, raised in the transaction that writes it.

A reader that remembers the stamps it saw can tell, with one small query, whether anything it
read has changed since. Counters only grow and this table is no view's own (a rebuild keeps
it), so a stamp never comes back, even after a table is dropped and rebuilt.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from sqlalchemy import BigInteger, Column, MetaData, String, Table, TableClause, event, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.sql.dml import UpdateBase

changes = Table(
    "rm_changes",
    MetaData(),  # not among the read models' tables: nothing drops or rebuilds it
    Column("name", String(100), primary_key=True),
    Column("stamp", BigInteger, nullable=False),
)
UPSERTS: dict[str, Callable[[Table], postgresql.Insert | sqlite.Insert]] = {
    "postgresql": postgresql.insert,
    "sqlite": sqlite.insert,
}


def bump(connection: Connection, names: Iterable[str]) -> None:
    """Raise the stamps of these tables by one, within the connection's transaction."""
    chosen = tuple(sorted(set(names)))  # sorted: lock order
    if chosen:
        connection.execute(_upsert(connection.dialect.name, chosen))


@lru_cache(maxsize=256)
def _upsert(dialect: str, names: tuple[str, ...]) -> Any:
    """Return the statement raising these tables' stamps, built once per set of tables."""
    upsert = UPSERTS[dialect](changes).values([{"name": name, "stamp": 1} for name in names])
    return upsert.on_conflict_do_update(
        index_elements=[changes.c.name], set_={"stamp": changes.c.stamp + 1}
    )


def stamps(connection: Connection, names: Sequence[str]) -> tuple[int, ...]:
    """Return the stamps of these tables, in the order given (0: never written), in one query."""
    query = select(changes.c.name, changes.c.stamp).where(changes.c.name.in_(names))
    found = dict(connection.execute(query).tuples().all())
    return tuple(found.get(name, 0) for name in names)


@contextmanager
def written_tables(connection: Connection) -> Iterator[set[str]]:
    """Collect the names of the tables this connection INSERTs into, UPDATEs or DELETEs from.

    Only built statements are seen, not SQL written out with `text()` (no projection uses any).
    """
    written: set[str] = set()

    def note(_: Connection, statement: Any, *__: Any) -> None:
        if isinstance(statement, UpdateBase) and isinstance(statement.table, TableClause):
            written.add(statement.table.name)

    event.listen(connection, "after_execute", note)
    try:
        yield written
    finally:
        event.remove(connection, "after_execute", note)
