"""Write many rows of one table at once, below SQLAlchemy's per-row parameter handling.

A batch's rows are plain dicts already shaped like the table (`projections.batch`), so the
statement is written out once per table and the driver is handed tuples: PostgreSQL takes new
rows by COPY, and many changed rows by COPY into a temporary table and one UPDATE ... FROM it
(psycopg's executemany costs a round of the server's statement handling per row), a few new
rows in one multi-row INSERT; SQLite takes both through the driver's executemany. Every
statement goes straight to the driver's cursor (`projections.driver`: SQLAlchemy's execution
cost more than a few rows' statement did). Each write is announced to the connection's
`after_execute` listeners as the INSERT or UPDATE it is, so what watches which tables a
transaction writes (`projections.changes.written_tables`) sees it as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import Table
from sqlalchemy.engine import Connection

from projections import driver
from projections.driver import driver_errors

Processor = Callable[[Any], Any] | None
Written = Sequence[dict[str, Any]]  # rows to write, each with every column of its table
Later = list[driver.Read] | None  # where statements wait to be sent together (None: now)
COPY_FROM = 50  # rows: below this, a statement per row costs less than a COPY


class _Statements:
    """One table's INSERT and UPDATE, written out for one dialect and schema."""

    def __init__(self, table: Table, connection: Connection, schema: str | None) -> None:
        dialect, quote = connection.dialect, connection.dialect.identifier_preparer.quote
        self.quote = quote
        self.name = f"{quote(schema)}.{quote(table.name)}" if schema else quote(table.name)
        self.columns = [c.name for c in table.columns]
        self.key = [c.name for c in table.primary_key.columns]
        self.others = [n for n in self.columns if n not in self.key]
        self.processors: list[Processor] = [
            c.type._cached_bind_processor(dialect) for c in table.columns
        ]
        self.processing = dict(zip(self.columns, self.processors, strict=True))
        self.inserted, self.updated = table.insert(), table.update()  # announced: built once
        mark = "?" if dialect.paramstyle == "qmark" else "%s"
        self.listed = ", ".join(quote(n) for n in self.columns)
        self.marks = ", ".join([mark] * len(self.columns))
        self.insert = f"INSERT INTO {self.name} ({self.listed}) VALUES ({self.marks})"
        self.multi: dict[int, str] = {}
        self.copy = f"COPY {self.name} ({self.listed}) FROM STDIN"
        setting = ", ".join(f"{quote(n)} = {mark}" for n in self.others)
        matching = " AND ".join(f"{quote(n)} = {mark}" for n in self.key)
        self.update = f"UPDATE {self.name} SET {setting} WHERE {matching}"
        self.order = [*self.others, *self.key]  # the UPDATE's parameters, in order
        self.matching, self.mark = matching, mark
        self.some: dict[frozenset[str], tuple[str, list[str]]] = {}
        quoted = [quote(n) for n in self.others]
        self.update_from = (
            f"UPDATE {self.name} AS t SET {', '.join(f'{q} = u.{q}' for q in quoted)} "
            f"FROM {{scratch}} AS u WHERE "
            + " AND ".join(f"t.{quote(n)} = u.{quote(n)}" for n in self.key)
        )

    def inserting(self, count: int) -> str:
        """Return the INSERT of `count` rows in one statement."""
        found = self.multi.get(count)
        if found is None:
            found = self.multi[count] = self.insert + f", ({self.marks})" * (count - 1)
        return found

    def updating(self, columns: frozenset[str]) -> tuple[str, list[str]]:
        """Return the UPDATE setting only these columns (of the others) and its parameters'
        columns, in order."""
        found = self.some.get(columns)
        if found is None:
            setting = [n for n in self.others if n in columns]
            assignments = ", ".join(f"{self.quote(n)} = {self.mark}" for n in setting)
            sql = f"UPDATE {self.name} SET {assignments} WHERE {self.matching}"
            found = self.some[columns] = (sql, [*setting, *self.key])
        return found

    def values(self, rows: Sequence[dict[str, Any]], names: list[str]) -> list[tuple[Any, ...]]:
        """Return the rows' values of these columns, as the driver takes them (built a column
        at a time: the loops run in C)."""
        processors = self.processing
        columns = []
        for name in names:
            found = map(itemgetter(name), rows)
            process = processors[name]
            columns.append(list(found if process is None else map(process, found)))
        return list(zip(*columns, strict=True))


_statements: dict[tuple[Table, str, str], _Statements] = {}


def _of(table: Table, connection: Connection) -> _Statements:
    translate = connection.get_execution_options().get("schema_translate_map") or {}
    schema = translate.get(table.schema, table.schema)
    key = (table, connection.dialect.name, str(schema))
    found = _statements.get(key)
    if found is None:
        found = _statements[key] = _Statements(table, connection, schema)
    return found


def insert_rows(connection: Connection, table: Table, rows: Written, later: Later = None) -> None:
    """INSERT these rows (each with every column of the table): now, or with the statements
    gathered in `later` (a few rows' statement: COPY runs now)."""
    if not rows:
        return
    statements = _of(table, connection)
    values = statements.values(rows, statements.columns)
    if connection.dialect.name != "postgresql":
        _run(connection, driver.Read(statements.insert, values, many=True), later)
    elif len(rows) >= COPY_FROM:
        _copy(connection, statements.copy, values)
    else:  # one statement, where psycopg's executemany runs one per row
        flat = [value for row in values for value in row]
        _run(connection, driver.Read(statements.inserting(len(values)), flat), later)
    _announce(connection, statements.inserted)


def update_rows(
    connection: Connection,
    table: Table,
    rows: Written,
    later: Later = None,
    columns: Iterable[str] = (),
) -> None:
    """UPDATE the rows having these rows' primary keys to these rows' values (of these
    columns only, if any are given): now, or with the statements gathered in `later` (many
    rows' UPDATE runs now)."""
    statements = _of(table, connection)
    if not rows or not statements.others:
        return
    if connection.dialect.name == "postgresql" and len(rows) >= COPY_FROM:
        scratch = f"ledger_changed_{table.name}"
        connection.exec_driver_sql(
            f"CREATE TEMPORARY TABLE {scratch} (LIKE {statements.name}) ON COMMIT DROP"
        )
        _copy(
            connection,
            f"COPY {scratch} ({statements.listed}) FROM STDIN",
            statements.values(rows, statements.columns),
        )
        connection.exec_driver_sql(statements.update_from.format(scratch=scratch))
        connection.exec_driver_sql(f"DROP TABLE {scratch}")
    else:
        sql, order = statements.update, statements.order
        chosen = frozenset(columns).intersection(statements.others)
        if chosen:
            sql, order = statements.updating(chosen)
        values = statements.values(rows, order)
        many = len(values) > 1
        update = driver.Read(sql, values if many else values[0], many=many)
        _run(connection, update, later)
    _announce(connection, statements.updated)


def _run(connection: Connection, statement: driver.Read, later: Later) -> None:
    if later is None:
        driver.run(connection, [statement])
    else:
        later.append(statement)


def _copy(connection: Connection, statement: str, values: list[tuple[Any, ...]]) -> None:
    """COPY the values in, through the connection's own driver connection and transaction."""
    driver = connection.connection.driver_connection
    assert driver is not None
    with (
        driver_errors(connection, statement),
        driver.cursor() as cursor,
        cursor.copy(statement) as copy,
    ):
        for row in values:
            copy.write_row(row)


def _announce(connection: Connection, statement: Any) -> None:
    """Tell the connection's `after_execute` listeners this statement was executed."""
    if connection._has_events or connection.engine._has_events:
        connection.dispatch.after_execute(connection, statement, (), {}, {}, None)
