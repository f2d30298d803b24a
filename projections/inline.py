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
releases), and their positions and the stamps of the tables they wrote move in one statement
on PostgreSQL (on SQLite a few, straight to the driver). If one cannot apply an event, the
savepoint is rolled back and each takes the events in a savepoint of its own; the one that
cannot takes them again one at a time and halts at the one it cannot apply, in the same
transaction, exactly as a catch-up halts it (`projections.applying`): the command still
succeeds, with the other read models changed. A lost or busy database is no read model's
fault: it fails the command, which stores nothing. A read model that was behind (halted, or
the log written without it) is left as it is, and caught up after the commit, as before.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from eventsourcing.persistence import StoredEvent
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from domain.services import Ledger
from projections.applying import CONNECTION_LOST, halt
from projections.base import LedgerProjection, Numbered, topic_of
from projections.changes import written_tables
from projections.positions import move_positions
from projections.reading import _decoded
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
        connection = session.connection()
        found = connection.execute(self.positions, {"first": ids[0]}).one()._asdict()
        before, last = found.pop(BEFORE) or 0, ids[-1]
        due = {n: p for n, p in self.models.projections.items() if (found[n] or 0) == before}
        self.behind.update(n for n in self.models.projections if n not in due)
        if not due:
            return
        events: Numbered = [
            (n, _decoded(self.ledger, e))  # type: ignore[arg-type]
            for n, e in zip(ids, stored, strict=True)
            if e.topic in self.topics
        ]
        try:
            with savepoint(session), written_tables(connection) as written:
                for projection in due.values():  # all at once, as a catch-up tries first
                    handled = [e for _, e in events if projection.handles(e)]
                    if handled:  # one that handles none has nothing to write or finish
                        projection.apply_rows(session, handled)
                self._finish(session, {n: found[n] for n in due}, last, written)
            return
        except CONNECTION_LOST:
            raise
        except Exception:  # noqa: BLE001 (each is tried alone below, and halts alone)
            pass
        for name, projection in due.items():
            if not apply_in_savepoint(session, projection, events, before, last):
                self.behind.add(name)

    def _finish(
        self, session: Session, locked: dict[str, int | None], last: int, written: set[str]
    ) -> None:
        """Move these read models' positions to `last` and raise the stamps of the tables
        written (`projections.positions`)."""
        views = {self.models.projections[n].view: at for n, at in locked.items()}
        move_positions(session, views, last, written)

    def catch_up_behind(self) -> None:
        """Catch up, after the commit, the read models an append found behind (a halted one
        is passed by, as every catch-up passes it)."""
        if self.behind:
            behind, self.behind = sorted(self.behind), set()
            self.models.catch_up(self.ledger, behind)


@contextmanager
def savepoint(session: Session) -> Iterator[None]:
    """Roll back what is written within, if it raises; else keep it (the commit releases the
    savepoint, or the next append's in the same transaction does, so that appends in a
    caller's transaction do not pile up open savepoints). The session's own savepoint cost
    more than its SQL (its bookkeeping and a RELEASE); as it does, what the session holds
    unwritten is written first, outside."""
    session.flush()
    connection = session.connection()
    if session.info.get(SAVEPOINT) is session.get_transaction():  # an earlier append's, open
        connection.exec_driver_sql(f"RELEASE SAVEPOINT {SAVEPOINT}")  # at most one at a time
    connection.exec_driver_sql(f"SAVEPOINT {SAVEPOINT}")
    session.info[SAVEPOINT] = session.get_transaction()
    try:
        yield
    except BaseException:
        connection.exec_driver_sql(f"ROLLBACK TO SAVEPOINT {SAVEPOINT}")
        raise


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
