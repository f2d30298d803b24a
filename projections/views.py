"""A read model's view: its tables beside a tracking table (its position in the log), made in
the shape this version declares, or dropped and made again if they were made in another."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, ClassVar

from eventsourcing_sqlalchemy.recorders import SQLAlchemyTrackingRecorder
from sqlalchemy import ScalarSelect, Select, Table, insert, inspect, select, text, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from projections import shapes
from projections.changes import bump, changes
from projections.halts import clear as clear_halts
from projections.halts import halts

log = logging.getLogger("ledger.projections")

APPLICATION_NAME = "ledger"  # the upstream application, as tracking rows name it
SHAPES_LOCK = 0x1ED6E5  # PostgreSQL advisory lock: one process at a time checks the shapes


@contextmanager
def one_at_a_time(engine: Engine) -> Iterator[None]:
    """Keep other processes (gunicorn workers opening together) out, on PostgreSQL."""
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": SHAPES_LOCK})
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": SHAPES_LOCK})


def utc_naive(moment: datetime) -> datetime:
    """Return the moment in UTC without a zone, as every read model stores times."""
    if moment.tzinfo is UTC:  # as the log's times are decoded: no conversion to make
        return moment.replace(tzinfo=None)
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


class ReadModelView(SQLAlchemyTrackingRecorder):
    """A materialised view: its own tables and the position of the last event applied."""

    model_tables: ClassVar[tuple[Table, ...]] = ()
    # Raised when what the handlers write changes without the tables changing: the read model
    # is then rebuilt on opening, as for a change of shape.
    rules_version: ClassVar[int] = 1

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # created with the tables, never dropped
        self.tables.extend((*self.model_tables, changes, halts))

    def _position(self) -> Select[tuple[int]]:
        return position_query(self.tracking_table)

    def locked_position(self) -> ScalarSelect[int]:
        """This view's position as a subquery that locks it (on PostgreSQL) until the
        transaction ends, so that one query reads and locks several views' positions."""
        return locked_position(self.tracking_table)

    def position(self) -> int:
        """Return the notification id of the last event this view has applied (0 if none)."""
        with self.transaction(commit=False) as session:
            return session.execute(self._position()).scalar() or 0

    def lock_position(self, session: Session) -> int | None:
        """Read this view's position, locking it (on PostgreSQL) until the transaction ends;
        None if it has none yet."""
        return session.execute(self._position().with_for_update()).scalar()

    def move_position(self, session: Session, locked: int | None, position: int) -> None:
        """Record the view's new position, in the transaction that locked the old one.

        One statement, where eventsourcing's `_insert_tracking` takes four: the lock already
        keeps other writers out, and a first row's primary key refuses a second.
        """
        tracked = self.tracking_table
        if locked is None:
            values = {"application_name": APPLICATION_NAME, "notification_id": position}
            session.execute(insert(tracked).values(values))
        else:
            mine = tracked.c.application_name == APPLICATION_NAME
            session.execute(update(tracked).where(mine).values(notification_id=position))

    def create_table(self) -> None:
        """Create the view's tables and indexes where missing. Tables made in another shape
        than this version declares (or of unknown shape) are dropped first, so catching up
        rebuilds them."""
        engine = self.datastore.engine
        assert isinstance(engine, Engine)
        digest = shapes.fingerprint(self.model_tables, engine, self.rules_version)
        with one_at_a_time(engine):
            shapes.shapes.create(engine, checkfirst=True)
            if self.outdated(digest):
                log.warning("the %s read model's tables have changed shape: rebuilding it", self)
                self._drop_tables()
            self.create_tables()
            with engine.begin() as conn:
                if shapes.stored(conn, str(self)) != digest:
                    shapes.store(conn, str(self), digest)

    def create_tables(self) -> None:
        """Create the tables, the tracking table and the indexes where missing."""
        super().create_table()
        engine = self.datastore.engine
        assert isinstance(engine, Engine)
        for table in self.model_tables:
            for index in table.indexes:
                index.create(engine, checkfirst=True)

    def outdated(self, digest: str) -> bool:
        """Say whether this view's tables exist in a shape other than the declared one."""
        engine = self.datastore.engine
        assert isinstance(engine, Engine)
        found = inspect(engine)
        if not any(found.has_table(table.name) for table in self.model_tables):
            return False
        with engine.connect() as conn:
            return shapes.stored(conn, str(self)) != digest

    def drop(self) -> None:
        """Drop the view's tables, its tracking and any halt, ready to be rebuilt from the log;
        raise the tables' stamps, since what was read from them has gone."""
        self._drop_tables()
        self.create_table()

    def _drop_tables(self) -> None:
        assert self.datastore.engine is not None
        for table in (*reversed(self.model_tables), self.tracking_table):
            table.drop(self.datastore.engine, checkfirst=True)
        changes.create(self.datastore.engine, checkfirst=True)
        halts.create(self.datastore.engine, checkfirst=True)
        with self.transaction(commit=True) as session:
            bump(session.connection(), (table.name for table in self.model_tables))
            clear_halts(session.connection(), [str(self)])  # it starts again from the start

    def __str__(self) -> str:
        return self.tracking_table.name.removesuffix("_tracking")


def position_query(tracking_table: Table) -> Select[tuple[int]]:
    """The query of the position a tracking table holds for this application."""
    tracked = tracking_table.c
    return select(tracked.notification_id).where(tracked.application_name == APPLICATION_NAME)


def locked_position(tracking_table: Table) -> ScalarSelect[int]:
    """The position a tracking table holds, as a subquery that locks it (on PostgreSQL) until
    the transaction ends."""
    return position_query(tracking_table).with_for_update().scalar_subquery()
