"""Several read models' positions read, locked and moved in one statement each.

A catch-up and an inline append both apply one batch to every read model due, in one
transaction: they read and lock every position at once (in the order of the read models, so
that the two never lock in opposite orders), and at the end move every position and raise
the stamps of the tables written in one statement on PostgreSQL (an UPDATE per position and
the stamps' upsert in one WITH, with the few rows' writes gathered before it); on SQLite the
same statements, one each (SQLite has no writing WITH: they cost the driver a few
microseconds each); all straight to the driver (SQLAlchemy's own work was most of their
cost). Two statements for the batch, where a read model at a time took two each.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from itertools import count

from sqlalchemy import Select, Table, select
from sqlalchemy.orm import Session

from projections import driver
from projections.changes import IDENTIFIER, bump_sql
from projections.driver import Read
from projections.views import APPLICATION_NAME, ReadModelView, locked_position

PLACEHOLDER = re.compile("%s")  # psycopg's; the SQL here holds no other `%`


@lru_cache(maxsize=64)
def _locking(tables: tuple[Table, ...]) -> Select[tuple[int, ...]]:
    return select(*(locked_position(t).label(f"p{i}") for i, t in enumerate(tables)))


def lock_positions(session: Session, views: Mapping[str, ReadModelView]) -> dict[str, int | None]:
    """Read these views' positions, each locked (on PostgreSQL) until the transaction ends;
    None for a view that has none yet."""
    found = session.connection().execute(_locking(tuple(v.tracking_table for v in views.values())))
    return dict(zip(views, found.one(), strict=True))


def move_positions(
    session: Session,
    locked: Mapping[ReadModelView, int | None],
    last: int,
    written: set[str],
    writes: Sequence[Read] = (),
) -> None:
    """Move these views' positions (as `lock_positions` read them) to `last` and raise the
    stamps of the tables written, in the transaction that locked them, after the statements
    gathered in `writes` (all in one round trip on PostgreSQL)."""
    for view in [v for v, at in locked.items() if at is None]:  # a first position
        view.move_position(session, None, last)
    connection = session.connection()
    schema = (connection.get_execution_options().get("schema_translate_map") or {}).get(None)
    tracked = tuple(
        _named(v.tracking_table.name, schema) for v, at in locked.items() if at is not None
    )
    stamped, statements = tuple(sorted(written)), list(writes)
    if connection.dialect.name == "postgresql":
        folded = [w for w in statements if _foldable(w)]
        if tracked or stamped or folded:
            statements = [w for w in statements if not _foldable(w)]
            sql = _together(tuple(w.sql for w in folded), tracked, stamped, schema)
            parameters = [p for w in folded for p in w.parameters] + [last] * len(tracked)
            statements.append(Read(sql, parameters, raw=True))
    else:
        statements.extend(Read(_move_sql(name, "?"), (last,)) for name in tracked)
        if stamped:
            statements.append(Read(bump_sql(stamped, schema), ()))
    driver.run(connection, statements)


def _foldable(write: Read) -> bool:
    """Say whether a gathered write can be a part of the one PostgreSQL statement: one
    statement (not one per set of parameters), returning nothing, its parameters in order."""
    return not write.many and write.sink is None and isinstance(write.parameters, list | tuple)


def _named(table: str, schema: str | None) -> str:
    """Return the table's name, in the schema a rebuild writes (or attached file), if any."""
    if schema is not None and not IDENTIFIER.fullmatch(schema):
        raise ValueError(f"not a schema's name: {schema}")
    return f'"{schema}".{table}' if schema else table


def _move_sql(tracking_table: str, place: str) -> str:
    """Return the SQL moving a tracked position to the parameter at `place`."""
    return (
        f"UPDATE {tracking_table} SET notification_id = {place}"
        f" WHERE application_name = '{APPLICATION_NAME}'"
    )


@lru_cache(maxsize=256)
def _together(
    writes: tuple[str, ...], tracked: tuple[str, ...], stamped: tuple[str, ...], schema: str | None
) -> str:
    """Return one PostgreSQL statement running these writes (each with its parameters, in
    order), moving these positions to the parameters after theirs and raising these tables'
    stamps (in this schema, if any).

    Each part is a data-modifying `WITH`, all seeing the snapshot the statement starts
    from: none may write a row another writes. None does: each table is one read model's,
    a batch writes each row once (new, or changed), positions and stamps are no read model's.
    """
    moves = [_move_sql(name, "%s") for name in tracked]
    parts = [*writes, *moves] + [bump_sql(stamped, schema)] * bool(stamped)
    sql = f"WITH {', '.join(f'w{k} AS ({p})' for k, p in enumerate(parts))} SELECT 1"
    numbers = count(1)
    return PLACEHOLDER.sub(lambda _: f"${next(numbers)}", sql)  # the server's: run raw
