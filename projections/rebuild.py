"""Rebuild read models beside the live tables, and swap them in only once complete.

The shadow tables have the live tables' names in a schema of their own (`rm_rebuild`: a
PostgreSQL schema, or a SQLite database file attached under that name), reached through
SQLAlchemy's `schema_translate_map`, so the projections' code and tables are the same ones.
The live read models keep answering (and the follower keeps them current) meanwhile. When
the shadow has reached the head, one transaction locks the live positions, checks the
shadow is not behind them, replaces the live tables (PostgreSQL moves the shadow's tables,
indexes and constraints into the live schema; SQLite copies them), sets the positions and
raises the tables' change stamps, so cached answers are read again.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import create_engine, delete, event, insert, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import sessionmaker
from sqlalchemy.schema import CreateIndex, CreateTable, DropTable

from domain.services import Ledger
from projections import halts
from projections.base import APPLICATION_NAME, ReadModelView
from projections.changes import bump
from projections.halts import Halt

if TYPE_CHECKING:
    from projections.runner import Progress, ReadModels

SHADOW = "rm_rebuild"
SWAP_ATTEMPTS = 5  # the live read models moved ahead meanwhile: catch the shadow up, try again


class RebuildFailed(Exception):
    """A rebuild met an event it cannot apply; the live read models are as they were."""

    def __init__(self, halt: Halt) -> None:
        super().__init__(f"Rebuild failed, nothing changed: {halt.summary}")
        self.halt = halt


def rebuild_beside(
    models: ReadModels,
    ledger: Ledger,
    names: list[str],
    progress: Progress | None,
    batch_size: int | None,
) -> int:
    """Build the named read models in shadow tables, then swap them in; return events read."""
    from projections.runner import configured_rebuild_batch

    size = batch_size or configured_rebuild_batch()
    shadow = Shadow(models, names)
    try:
        count = shadow.models.catch_up(ledger, names, progress, size)
        for _ in range(SWAP_ATTEMPTS):
            failed = shadow.models.halts()
            if failed:
                raise RebuildFailed(next(iter(failed.values())))
            if shadow.swap_into(models):
                return count
            count += shadow.models.catch_up(ledger, names, batch_size=size)
        raise RuntimeError("the live read models kept moving ahead of the rebuild; try again")
    finally:
        shadow.close()


class Shadow:
    """The named read models' views, on shadow tables of the same database."""

    def __init__(self, models: ReadModels, names: list[str]) -> None:
        from projections.runner import PROJECTIONS, ReadModels, construct_view

        self.base = create_engine(models.engine.url)
        self.file = _prepare(self.base)
        translated = self.base.execution_options(schema_translate_map={None: SHADOW})
        projections = {}
        for name in names:
            projection, view_class = PROJECTIONS[name]
            view = construct_view(name, view_class, models.url)
            _rebind(view, translated)
            view.create_tables()
            projections[name] = projection(view=view)
        self.models = ReadModels(models.url, projections)

    def swap_into(self, live: ReadModels) -> bool:
        """Replace the live tables with the shadow's in one transaction; False (and nothing
        changed) if a live read model has gone past the shadow meanwhile."""
        mine = self.models.positions()
        views = [live.projections[n].view for n in mine]
        stamped = [t.name for v in views for t in v.model_tables]
        sqlite = self.base.dialect.name == "sqlite"
        with self.base.connect() as conn, conn.begin():
            if sqlite:
                bump(conn, stamped)  # a write first: SQLite's write lock, taken now
            if any(_lock_position(conn, v) > mine[str(v)] for v in views):
                conn.rollback()
                return False
            if not sqlite:
                bump(conn, stamped)  # after the positions, in the order a follower takes them
            for view in views:
                _swap_tables(conn, view)
                _set_position(conn, view, mine[str(view)])
            halts.clear(conn, list(mine))
        return True

    def close(self) -> None:
        """Drop the shadow tables and close its connections."""
        self.models.close()
        if self.file is None:
            with self.base.begin() as conn:
                conn.execute(text(f"DROP SCHEMA IF EXISTS {SHADOW} CASCADE"))
        self.base.dispose()
        if self.file is not None:
            for leftover in (self.file, Path(f"{self.file}-journal")):
                leftover.unlink(missing_ok=True)


def _prepare(engine: Engine) -> Path | None:
    """Make an empty shadow schema (PostgreSQL) or attached file (SQLite, returned)."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {SHADOW} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {SHADOW}"))
        return None
    database = engine.url.database
    if not database or database == ":memory:":
        raise ValueError("A rebuild beside the live tables needs a database file")
    path = Path(f"{database}.{SHADOW}")
    path.unlink(missing_ok=True)
    quoted = str(path).replace("'", "''")

    @event.listens_for(engine, "connect")
    def attach(dbapi_connection: Any, _: Any) -> None:
        dbapi_connection.execute(f"ATTACH DATABASE '{quoted}' AS {SHADOW}")

    return path


def _rebind(view: ReadModelView, engine: Engine) -> None:
    """Point a view's datastore at the shadow tables."""
    own = view.datastore.engine
    view.datastore.engine = engine
    view.datastore.session_maker = sessionmaker(bind=engine)
    if isinstance(own, Engine):
        own.dispose()


def _lock_position(conn: Connection, view: ReadModelView) -> int:
    return view.lock_position(conn) or 0  # type: ignore[arg-type]


def _swap_tables(conn: Connection, view: ReadModelView) -> None:
    if conn.dialect.name == "postgresql":
        live = conn.execute(text("SELECT current_schema()")).scalar_one()
        for table in view.model_tables:
            conn.execute(DropTable(table, if_exists=True))
            conn.execute(text(f'ALTER TABLE {SHADOW}."{table.name}" SET SCHEMA "{live}"'))
        return
    for table in view.model_tables:  # SQLite moves no table between files: copy it
        conn.execute(DropTable(table, if_exists=True))
        conn.execute(CreateTable(table))
        conn.execute(text(f'INSERT INTO main."{table.name}" SELECT * FROM {SHADOW}."{table.name}"'))
        for index in table.indexes:
            conn.execute(CreateIndex(index))


def _set_position(conn: Connection, view: ReadModelView, position: int) -> None:
    tracked = view.tracking_table
    mine = tracked.c.application_name == APPLICATION_NAME
    conn.execute(delete(tracked).where(mine))
    if position:
        values = {"application_name": APPLICATION_NAME, "notification_id": position}
        conn.execute(insert(tracked).values(values))
