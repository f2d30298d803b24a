"""Shadow tables: read models built beside the live ones, then swapped in.

The shadow tables have the live tables' names in a schema of their own (`rm_rebuild`, and
`rm_rebuild_1`, ... for the further parts of a rebuild built in parallel: a PostgreSQL schema,
or a SQLite database file attached under that name), reached through SQLAlchemy's
`schema_translate_map`, so the projections' code and tables are the same ones. Nothing but a
rebuild reads them before the swap, and a rebuild interrupted starts them afresh, so their
commits need not be durable: SQLite writes them without syncing, PostgreSQL without waiting
for its WAL flush (the swap's own transaction is durable as ever). When every part has reached
the head, one transaction locks the live positions, checks no part is behind them, replaces
the live tables (PostgreSQL moves the shadow's tables, indexes and constraints into the live
schema; SQLite copies them), sets the positions and raises the tables' change stamps.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import create_engine, delete, event, insert, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import sessionmaker
from sqlalchemy.schema import CreateIndex, CreateTable, DropTable

from projections import halts
from projections.changes import bump
from projections.halts import Halt
from projections.views import APPLICATION_NAME, ReadModelView

if TYPE_CHECKING:
    from projections.runner import ReadModels

SHADOW = "rm_rebuild"


def schema_of(part: int) -> str:
    """Return the schema (or attached file's name) of one part of a rebuild."""
    return SHADOW if part == 0 else f"{SHADOW}_{part}"


class Shadow:
    """The named read models' views on shadow tables, in one part per group of names.

    `fresh`: start the shadow tables anew (the rebuild's own process); otherwise open the
    tables made so (a worker process building one part).
    """

    def __init__(self, url: str, groups: list[list[str]], fresh: bool = True) -> None:
        from projections.runner import PROJECTIONS, ReadModels, construct_view

        self.schemas = [schema_of(k) for k in range(len(groups))]
        self.parts: list[ReadModels] = []
        views: list[dict[str, ReadModelView]] = [
            {n: construct_view(n, PROJECTIONS[n][1], url) for n in group} for group in groups
        ]
        live_engine = next(iter(views[0].values())).datastore.engine
        assert isinstance(live_engine, Engine)
        self.base = create_engine(live_engine.url)
        self.files = _prepare(self.base, self.schemas, fresh)
        for schema, group in zip(self.schemas, views, strict=True):
            translated = self.base.execution_options(schema_translate_map={None: schema})
            projections = {}
            for name, view in group.items():
                _rebind(view, translated)
                if fresh:
                    view.create_tables()
                projections[name] = PROJECTIONS[name][0](view=view)
                projections[name].defer_finish()  # nothing reads the shadow before its swap
            self.parts.append(ReadModels(url, projections))
        self.part_of = {name: k for k, part in enumerate(self.parts) for name in part.projections}

    def positions(self) -> dict[str, int]:
        return {n: p for part in self.parts for n, p in part.positions().items()}

    def halts(self) -> dict[str, Halt]:
        return {n: h for part in self.parts for n, h in part.halts().items()}

    def swap_into(self, live: ReadModels) -> bool:
        """Replace the live tables with the shadow's in one transaction; False (and nothing
        changed) if a live read model has gone past the shadow meanwhile."""
        mine = self.positions()
        views = [live.projections[n].view for n in mine]
        stamped = [t.name for v in views for t in v.model_tables]
        sqlite = self.base.dialect.name == "sqlite"
        with self.base.connect() as conn, conn.begin():
            if sqlite:
                bump(conn, stamped)  # a write first: SQLite's write lock, taken now
            else:
                conn.execute(text("SET LOCAL synchronous_commit TO on"))  # the swap is durable
            if any(_lock_position(conn, v) > mine[str(v)] for v in views):
                conn.rollback()
                return False
            if not sqlite:
                bump(conn, stamped)  # after the positions, in the order a follower takes them
            for view in views:
                _swap_tables(conn, view, self.schemas[self.part_of[str(view)]])
                _set_position(conn, view, mine[str(view)])
            halts.clear(conn, list(mine))
        return True

    def close(self) -> None:
        """Close the shadow's connections, keeping its tables."""
        for part in self.parts:
            part.close()
        self.base.dispose()

    def drop(self) -> None:
        """Drop the shadow tables and close its connections."""
        for part in self.parts:
            part.close()
        if self.files is None:
            with self.base.begin() as conn:
                for schema in self.schemas:
                    conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        self.base.dispose()
        for file in self.files or []:
            for leftover in (file, Path(f"{file}-journal"), Path(f"{file}-wal")):
                leftover.unlink(missing_ok=True)


def _prepare(engine: Engine, schemas: list[str], fresh: bool) -> list[Path] | None:
    """Make empty shadow schemas (PostgreSQL) or attached files (SQLite, returned)."""
    if engine.dialect.name == "postgresql":

        @event.listens_for(engine, "connect")
        def unsynced(dbapi_connection: Any, _: Any) -> None:
            with dbapi_connection.cursor() as cursor:
                cursor.execute("SET synchronous_commit TO off")
            dbapi_connection.commit()

        if fresh:
            with engine.begin() as conn:
                for schema in schemas:
                    conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
                    conn.execute(text(f"CREATE SCHEMA {schema}"))
        return None
    database = engine.url.database
    if not database or database == ":memory:":
        raise ValueError("A rebuild beside the live tables needs a database file")
    paths = [Path(f"{database}.{schema}") for schema in schemas]
    if fresh:
        for path in paths:
            for leftover in (path, Path(f"{path}-journal"), Path(f"{path}-wal")):
                leftover.unlink(missing_ok=True)
    quoted = [str(path).replace("'", "''") for path in paths]

    @event.listens_for(engine, "connect")
    def attach(dbapi_connection: Any, _: Any) -> None:
        for schema, path in zip(schemas, quoted, strict=True):
            dbapi_connection.execute(f"ATTACH DATABASE '{path}' AS {schema}")
            dbapi_connection.execute(f"PRAGMA {schema}.synchronous = OFF")

    return paths


def _rebind(view: ReadModelView, engine: Engine) -> None:
    """Point a view's datastore at the shadow tables."""
    own = view.datastore.engine
    view.datastore.engine = engine
    view.datastore.session_maker = sessionmaker(bind=engine)
    if isinstance(own, Engine):
        own.dispose()


def _lock_position(conn: Connection, view: ReadModelView) -> int:
    return view.lock_position(conn) or 0  # type: ignore[arg-type]


def _swap_tables(conn: Connection, view: ReadModelView, schema: str) -> None:
    if conn.dialect.name == "postgresql":
        live = conn.execute(text("SELECT current_schema()")).scalar_one()
        for table in view.model_tables:
            conn.execute(DropTable(table, if_exists=True))
            conn.execute(text(f'ALTER TABLE {schema}."{table.name}" SET SCHEMA "{live}"'))
        return
    for table in view.model_tables:  # SQLite moves no table between files: copy it
        conn.execute(DropTable(table, if_exists=True))
        conn.execute(CreateTable(table))
        conn.execute(text(f'INSERT INTO main."{table.name}" SELECT * FROM {schema}."{table.name}"'))
        for index in table.indexes:
            conn.execute(CreateIndex(index))


def _set_position(conn: Connection, view: ReadModelView, position: int) -> None:
    tracked = view.tracking_table
    mine = tracked.c.application_name == APPLICATION_NAME
    conn.execute(delete(tracked).where(mine))
    if position:
        values = {"application_name": APPLICATION_NAME, "notification_id": position}
        conn.execute(insert(tracked).values(values))
