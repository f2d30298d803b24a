"""Read many rows of a table by key straight through the driver, several reads at once.

A batch's prefetch reads a few tables by key (`projections.batch.Rows.load`). Through
SQLAlchemy each read cost more than the statement did in an inline append (an expanding
`IN` is rendered afresh at every execution); here each read's SQL is written out once per
table, column and dialect, the driver is handed the values and each row's values go through
the columns' own result processors, as SQLAlchemy would give them. On PostgreSQL the reads of
a batch go in one round trip (psycopg's pipeline mode), behind any query given with them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import Table, exc
from sqlalchemy.engine import Connection, Dialect

Sink = Callable[[list[dict[str, Any]]], None]


@dataclass
class Read:
    """A statement to run through the driver, and what takes the rows it returns (None: it
    returns none; `many`: run once per set of parameters; `raw`: on PostgreSQL its
    placeholders are the server's own, `$1`, `$2`...)."""

    sql: str
    parameters: Any
    sink: Callable[[list[Any]], None] | None = None
    many: bool = False
    raw: bool = False


class _Shape:
    """A table's SELECT, by one key column, for one dialect and schema."""

    def __init__(self, table: Table, part: int, dialect: Dialect, schema: str | None) -> None:
        quote = dialect.identifier_preparer.quote
        name = f"{quote(schema)}.{quote(table.name)}" if schema else quote(table.name)
        self.names = [c.name for c in table.columns]
        self.processors = [c.type._cached_result_processor(dialect, None) for c in table.columns]
        column = list(table.primary_key.columns)[part]
        self.bind = column.type._cached_bind_processor(dialect)
        self.head = f"SELECT {', '.join(quote(n) for n in self.names)} FROM {name} WHERE "
        self.column = quote(column.name)
        self.any = dialect.name == "postgresql"  # one statement whatever the number of values

    def sql(self, count: int, null: str | None) -> str:
        """Return the SELECT of `count` values (and `null` IS NULL, if given)."""
        if self.any:
            where = f"{self.column} = ANY(%s)"
        else:
            where = f"{self.column} IN ({', '.join(['?'] * count)})"
        return self.head + where + (f" AND {null} IS NULL" if null else "")

    def rows(self, found: list[Any]) -> list[dict[str, Any]]:
        """Return the driver's rows as SQLAlchemy's mappings would give them."""
        names, processors = self.names, self.processors
        if not any(processors):
            return [dict(zip(names, row, strict=True)) for row in found]
        return [
            {n: v if p is None else p(v) for n, p, v in zip(names, processors, row, strict=True)}
            for row in found
        ]


@lru_cache(maxsize=512)
def _shape(table: Table, part: int, dialect: Dialect, schema: str | None) -> _Shape:
    return _Shape(table, part, dialect, schema)


def keyed(
    connection: Connection,
    table: Table,
    part: int,
    values: list[Any],
    sink: Sink,
    null: str | None = None,
) -> Read:
    """Return the read of the rows whose `part`-th key column is one of the values (and whose
    column `null` is NULL, if given), their mappings handed to `sink`."""
    translate = connection.get_execution_options().get("schema_translate_map") or {}
    shape = _shape(table, part, connection.dialect, translate.get(table.schema, table.schema))
    bound = values if shape.bind is None else [shape.bind(v) for v in values]
    parameters = (bound,) if shape.any else bound
    quoted = connection.dialect.identifier_preparer.quote(null) if null else None
    return Read(shape.sql(len(values), quoted), parameters, lambda f: sink(shape.rows(f)))


def run(connection: Connection, reads: Sequence[Read]) -> None:
    """Run the statements in order, in the connection's transaction: in one round trip on
    PostgreSQL."""
    if not reads:
        return
    driver = connection.connection.driver_connection
    assert driver is not None
    with driver_errors(connection, reads[0].sql):
        if connection.dialect.name == "postgresql" and len(reads) > 1:
            cursors = []
            with driver.pipeline():
                for read in reads:
                    cursor = _cursor(driver, read)
                    _execute(connection, cursor, read)
                    cursors.append(cursor)
            for read, cursor in zip(reads, cursors, strict=True):
                if read.sink is not None:
                    read.sink(cursor.fetchall())
                cursor.close()
            return
        cursor = driver.cursor()
        try:
            for read in reads:
                chosen = _cursor(driver, read) if read.raw else cursor
                _execute(connection, chosen, read)
                if read.sink is not None:
                    read.sink(chosen.fetchall())
                if chosen is not cursor:
                    chosen.close()
        finally:
            cursor.close()


def _cursor(driver: Any, read: Read) -> Any:
    """Return a cursor for the statement: for a raw one, psycopg's `RawCursor`, which passes
    the SQL on as it is (its `%s` parser runs afresh for a statement of more than 4,096 bytes
    or 50 parameters, as the inline writes' one `WITH` is, and cost more than the statement)."""
    if not read.raw:
        return driver.cursor()
    from psycopg import RawCursor  # only PostgreSQL's statements are raw

    return RawCursor(driver)


def _execute(connection: Connection, cursor: Any, read: Read) -> None:
    announce(connection, cursor, read.sql, read.parameters, read.many)
    if read.many:
        cursor.executemany(read.sql, read.parameters)
    else:
        cursor.execute(read.sql, read.parameters)


def execute(connection: Connection, sql: str, parameters: Any, many: bool = False) -> None:
    """Execute a statement returning no rows through the driver (`many`: once per set of
    parameters), in the connection's transaction."""
    run(connection, [Read(sql, parameters, None, many)])


def announce(
    connection: Connection, cursor: Any, sql: str, parameters: Any, many: bool = False
) -> None:
    """Tell the connection's `before_cursor_execute` listeners of a statement, as SQLAlchemy
    does (what counts or watches statements sees these too); if none listens, nothing is
    called (the engine's `after_execute` listener makes `_has_events` true at every append)."""
    if connection._has_events or connection.engine._has_events:
        listeners = connection.dispatch.before_cursor_execute
        if listeners:
            listeners(connection, cursor, sql, parameters, None, many)


@contextmanager
def driver_errors(connection: Connection, statement: str) -> Iterator[None]:
    """Raise the driver's errors within as SQLAlchemy raises them: a lost connection is
    invalidated, as SQLAlchemy does, so the pool will not hand it out again."""
    driver = connection.connection.driver_connection
    dialect = connection.dialect
    try:
        yield
    except dialect.loaded_dbapi.Error as error:
        lost = dialect.is_disconnect(error, driver, None)
        if lost:
            connection.invalidate(error)
        raise exc.DBAPIError.instance(
            statement,
            None,
            error,
            dialect.loaded_dbapi.Error,
            connection_invalidated=lost,
            dialect=dialect,
        ) from error
