"""Several read models' positions read, locked and moved in one statement each.

A catch-up and an inline append both apply one batch to every read model due, in one
transaction: they read and lock every position at once (in the order of the read models, so
that the two never lock in opposite orders), and at the end move every position and raise
the stamps of the tables written in one statement on PostgreSQL (an UPDATE per position and
the stamps' upsert in one WITH); on SQLite the same statements go straight to the driver
(SQLAlchemy's own work was most of their cost). Two statements for the batch, where a read
model at a time took two each.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from sqlalchemy import Select, Table, TextClause, select, text
from sqlalchemy.orm import Session

from projections.base import APPLICATION_NAME, ReadModelView
from projections.changes import IDENTIFIER, bump_sql


@lru_cache(maxsize=64)
def _locking(tables: tuple[Table, ...]) -> Select[tuple[int, ...]]:
    def locked(table: Table):  # type: ignore[no-untyped-def]
        mine = table.c.application_name == APPLICATION_NAME
        return select(table.c.notification_id).where(mine).with_for_update().scalar_subquery()

    return select(*(locked(t).label(f"p{i}") for i, t in enumerate(tables)))


def lock_positions(session: Session, views: Mapping[str, ReadModelView]) -> dict[str, int | None]:
    """Read these views' positions, each locked (on PostgreSQL) until the transaction ends;
    None for a view that has none yet."""
    found = session.connection().execute(_locking(tuple(v.tracking_table for v in views.values())))
    return dict(zip(views, found.one(), strict=True))


def move_positions(
    session: Session, locked: Mapping[ReadModelView, int | None], last: int, written: set[str]
) -> None:
    """Move these views' positions (as `lock_positions` read them) to `last` and raise the
    stamps of the tables written, in the transaction that locked them."""
    for view in [v for v, at in locked.items() if at is None]:  # a first position
        view.move_position(session, None, last)
    connection = session.connection()
    schema = (connection.get_execution_options().get("schema_translate_map") or {}).get(None)
    tracked = tuple(
        _named(v.tracking_table.name, schema) for v, at in locked.items() if at is not None
    )
    stamped = tuple(sorted(written))
    if connection.dialect.name == "postgresql":
        if tracked or stamped:
            statement = _together(tracked, stamped, schema)
            connection.execute(statement, {"last": last} if tracked else {})
        return
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        for name in tracked:
            cursor.execute(_move_sql(name, "?"), (last,))
        if stamped:
            cursor.execute(bump_sql(stamped, schema))
    finally:
        cursor.close()


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
def _together(tracked: tuple[str, ...], stamped: tuple[str, ...], schema: str | None) -> TextClause:
    """Return one PostgreSQL statement moving these positions to :last and raising these
    tables' stamps (in this schema, if any)."""
    moves = [_move_sql(name, ":last") for name in tracked]
    parts = moves + [bump_sql(stamped, schema)] * bool(stamped)
    return text(f"WITH {', '.join(f'w{k} AS ({p})' for k, p in enumerate(parts))} SELECT 1")
