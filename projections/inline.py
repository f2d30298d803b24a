"""Read models kept inline: changed in the transaction that appends the events, as Marten's
inline projections are, so a command costs one commit.

The chain recorder calls `InlineReadModels.apply` once an append's events are chained, still
in its transaction (`adapters.hash_chain`). Each read model that stands exactly at the log's
head before those events (its tracking row locked, as a catch-up locks it) applies them,
decoded from the stored events just written (what a catch-up or a rebuild would read, without
reading them back), and moves its position to the last of them: both commit with the append or
not at all. Appends are serialised (PostgreSQL: the events table is locked until commit;
SQLite: one writer), so the position read under that lock is exact.

The read models due apply them together, in one savepoint (SQL's own, which the commit
releases). Every statement goes straight to the driver (`projections.driver`), gathered: the
savepoint's opening with the positions' read and every read model's prefetch reads, then the
rows' few writes with the positions' move and the stamps of the tables written (on
PostgreSQL one `WITH`): two round trips on PostgreSQL. If one cannot apply an event, the
savepoint is rolled back and each takes the events in a savepoint of its own; the one that
cannot takes them again one at a time and halts at the one it cannot apply, in the same
transaction, exactly as a catch-up halts it (`projections.applying`): the command still
succeeds, with the other read models changed. A lost or busy database is no read model's
fault: it fails the command, which stores nothing. A read model that was behind (halted, or
the log written without it) is left as it is, and caught up after the commit, as before.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from eventsourcing.persistence import StoredEvent
from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.orm import Session

from domain.services import Ledger
from projections import driver
from projections.applying import CONNECTION_LOST, halt
from projections.base import LedgerProjection, Numbered, topic_of
from projections.batch import Rows
from projections.changes import written_tables
from projections.decoding import Decoder
from projections.driver import Read
from projections.positions import move_positions
from projections.reading import decoded
from projections.runner import ReadModels

log = logging.getLogger("ledger.projections")
BEFORE = "_before"  # the positions query's column for the log's head before the append
SAVEPOINT = "inline_read_models"


class InlineReadModels:
    """Keeps a ledger's read models current in each append's transaction."""

    def __init__(self, models: ReadModels, ledger: Ledger) -> None:
        self.models, self.ledger = models, ledger
        self.topics = {t for p in models.projections.values() for t in p.handled_topics}
        self.behind: set[str] = set()  # read models left for the catch-up after the commit
        self.decoder = Decoder(ledger.mapper)  # as a catch-up decodes (the ids are UUIDs here)
        events = ledger.recorder.events_record_cls.__table__.c  # type: ignore[attr-defined]
        newest = select(func.max(events.id)).where(events.id < bindparam("first"))
        self.positions = select(  # read and locked in the order a catch-up locks them
            newest.scalar_subquery().label(BEFORE),
            *(p.view.locked_position().label(n) for n, p in models.projections.items()),
        )

    def attach(self) -> None:
        """Apply every later append to the read models in its transaction; catch up after
        each command any read model that could not be (behind, or halted)."""
        self.ledger.recorder.within_append.append(self.apply)  # type: ignore[attr-defined]
        self.ledger.after_save.append(self.catch_up_behind)

    def apply(self, session: Session, stored: Sequence[StoredEvent], ids: Sequence[int]) -> None:
        """Apply the appended events to every read model standing at the log's head before
        them (the newest id below theirs: ids may have gaps)."""
        connection, last = session.connection(), ids[-1]
        events: Numbered = [
            (n, decoded(self.decoder, e.topic, e.originator_id, e.originator_version, e.state))
            for n, e in zip(ids, stored, strict=True)
            if e.topic in self.topics
        ]
        found: dict[str, Any] = {}
        try:
            with Savepoint(session) as point, written_tables(connection) as written:
                reads = [self._positions(connection, ids[0], found)]
                batches = self._prefetch(connection, events, reads)
                point.run(connection, reads)  # with the savepoint's: one round trip on PostgreSQL
                before, due = self._due(found)
                writes: list[Read] = []  # the few rows' writes, sent with the positions' move
                for name in due:
                    if name in batches:  # one that handles none has nothing to write or finish
                        handled, rows = batches[name]
                        due[name].apply_prefetched(session, handled, rows, writes)
                self._finish(session, {n: found[n] for n in due}, last, written, writes)
            return
        except CONNECTION_LOST:
            raise
        except Exception:  # noqa: BLE001 (each is tried alone below, and halts alone)
            pass
        if not found:  # the savepoint rolled back before the positions were read
            driver.run(connection, [self._positions(connection, ids[0], found)])
        before, due = self._due(found)
        for name, projection in due.items():
            if not apply_in_savepoint(session, projection, events, before, last):
                self.behind.add(name)

    def _positions(self, connection: Connection, first: int, found: dict[str, Any]) -> Read:
        """Return the read of the log's head before `first` and of every position (locked)."""
        sql, parameters = _compiled(self.positions, connection.dialect)
        names = [BEFORE, *self.models.projections]
        return Read(
            sql, parameters(first), lambda rows: found.update(zip(names, rows[0], strict=True))
        )

    def _due(self, found: dict[str, Any]) -> tuple[int, dict[str, LedgerProjection]]:
        """Return the head before the append and the read models standing at it; note the
        others as behind."""
        before = found.get(BEFORE) or 0
        due = {n: p for n, p in self.models.projections.items() if (found[n] or 0) == before}
        self.behind.update(n for n in self.models.projections if n not in due)
        return before, due

    def _prefetch(
        self, connection: Connection, events: Numbered, reads: list[Read]
    ) -> dict[str, tuple[list[Any], Rows]]:
        """Gather every read model's prefetch reads into `reads`; return, per read model
        handling any of the events, those events and the rows they will be read into."""
        batches = {}
        for name, projection in self.models.projections.items():
            handled = [e for _, e in events if projection.handles(e)]
            if handled:
                rows = Rows(connection, reads)
                projection.prefetch(handled, rows)
                rows.pending = None  # what a handler reads later, it reads at once
                batches[name] = (handled, rows)
        return batches

    def _finish(
        self,
        session: Session,
        locked: dict[str, int | None],
        last: int,
        written: set[str],
        writes: list[Read],
    ) -> None:
        """Run the rows' writes gathered, move these read models' positions to `last` and
        raise the stamps of the tables written (`projections.positions`): in one round trip
        on PostgreSQL."""
        views = {self.models.projections[n].view: at for n, at in locked.items()}
        move_positions(session, views, last, written, writes)

    def catch_up_behind(self) -> None:
        """Catch up, after the commit, the read models an append found behind (a halted one
        is passed by, as every catch-up passes it)."""
        if self.behind:
            behind, self.behind = sorted(self.behind), set()
            self.models.catch_up(self.ledger, behind)


@lru_cache(maxsize=8)
def _compiled(query: Select[Any], dialect: Dialect) -> tuple[str, Callable[[int], Any]]:
    """Return the query's SQL for the driver, and what makes its parameters from `first`."""
    compiled = query.compile(dialect=dialect)
    order = compiled.positiontup

    def parameters(first: int) -> Any:
        given = compiled.construct_params({"first": first})
        return given if order is None else tuple(given[name] for name in order)

    return str(compiled), parameters


class Savepoint:
    """The read models' savepoint (SQL's own: the commit releases it, or the next append's
    in the same transaction does, so that appends in a caller's transaction do not pile up
    open savepoints); what is written within is rolled back if it raises, else kept.

    The session's own savepoint cost more than its SQL (its bookkeeping and a RELEASE); as
    it does, what the session holds unwritten is written first, outside. The statements
    opening it are sent with the first statements run within (`run`): a round trip fewer on
    PostgreSQL. Until they have been sent there is nothing to roll back.
    """

    def __init__(self, session: Session) -> None:
        self.session, self.opened = session, False
        self.opening = [Read(f"SAVEPOINT {SAVEPOINT}", ())]
        if session.info.get(SAVEPOINT) is session.get_transaction():  # an earlier append's
            self.opening.insert(0, Read(f"RELEASE SAVEPOINT {SAVEPOINT}", ()))  # one at a time

    def __enter__(self) -> Savepoint:
        self.session.flush()
        return self

    def run(self, connection: Connection, reads: list[Read]) -> None:
        """Run these statements, opening the savepoint first if it is not open yet."""
        if not self.opened:
            self.opened = True
            self.session.info[SAVEPOINT] = self.session.get_transaction()
            reads = [*self.opening, *reads]
        driver.run(connection, reads)

    def __exit__(self, kind: type[BaseException] | None, *_: Any) -> None:
        if kind is not None and self.opened:
            self.session.connection().exec_driver_sql(f"ROLLBACK TO SAVEPOINT {SAVEPOINT}")


@contextmanager
def savepoint(session: Session) -> Iterator[None]:
    """Open the read models' savepoint now (`Savepoint`) and roll back to it if what is
    written within raises."""
    with Savepoint(session) as point:
        point.run(session.connection(), [])
        yield


def apply_in_savepoint(
    session: Session, projection: LedgerProjection, events: Numbered, before: int, last: int
) -> bool:
    """Apply the events to one read model standing at `before`; say whether it was there.

    If it cannot apply them together, it takes them one at a time and halts at the one it
    cannot apply, its position just before that event.
    """
    try:
        with session.begin_nested():
            return projection.process_after(events, before, last)
    except CONNECTION_LOST:
        raise
    except Exception:  # noqa: BLE001 (retried one at a time below, and halts alone)
        pass
    position = before
    for number, event in [(n, e) for n, e in events if projection.handles(e)]:
        try:
            with session.begin_nested():
                projection.process_after([(number, event)], position, number)
            position = number
        except CONNECTION_LOST:
            raise
        except Exception as error:  # noqa: BLE001
            return _halt(session, projection, position, number, event, error)
    with session.begin_nested():
        return projection.process_after([], position, last)


def _halt(
    session: Session,
    projection: LedgerProjection,
    position: int,
    number: int,
    event: Any,
    error: BaseException,
) -> bool:
    """Halt the read model at this event, every event before it applied; say whether the
    halt was recorded (if not, the catch-up after the commit meets the event and halts)."""
    try:
        with session.begin_nested():
            if number - 1 > position:
                projection.process_after([], position, number - 1)
            halt(projection, number, topic_of(event), error)
        return True
    except CONNECTION_LOST:
        raise
    except Exception:  # noqa: BLE001
        log.exception("could not record the %s read model's halt", projection.name)
        return False
