"""Apply a batch of events to read models; a read model that cannot apply one halts alone.

Every view lives in the ledger's database, and eventsourcing-sqlalchemy's transactions nest
(an inner `transaction()` joins the one open in this context), so one commit normally covers
every read model due. If that fails, each read model takes the batch in its own transaction,
so the good ones commit; one that fails again retries the batch an event at a time, commits
the events before the one it cannot apply, and halts there (`projections.halts`). A lost or
busy database is not the event's fault: that error is raised for the caller to retry.
"""

from __future__ import annotations

import logging

import psycopg
import sqlalchemy.exc
from eventsourcing.persistence import InterfaceError, OperationalError
from sqlalchemy.orm import Session

from projections import halts
from projections.base import AlreadyApplied, LedgerProjection, Numbered, topic_of
from projections.changes import written_tables
from projections.positions import lock_positions, move_positions

CONNECTION_LOST = (
    psycopg.OperationalError,
    psycopg.InterfaceError,
    sqlalchemy.exc.OperationalError,
    sqlalchemy.exc.InterfaceError,
    OperationalError,
    InterfaceError,
)
log = logging.getLogger("ledger.projections")


def apply_together(due: dict[str, LedgerProjection], events: Numbered, last: int) -> dict[str, int]:
    """Apply a batch to every projection due in one transaction; return their new positions.

    Their positions are read and locked in one statement and moved, with the stamps of the
    tables written, in one more (`projections.positions`). If another process applied the
    batch to any of them first, or one cannot apply it, nothing is kept and each projection
    takes the batch in its own transaction instead.
    """
    if len(due) > 1:
        try:
            with next(iter(due.values())).view.transaction(commit=True) as session:
                _apply_all(session, due, events, last)
            return dict.fromkeys(due, last)
        except CONNECTION_LOST:
            raise
        except Exception:  # noqa: BLE001 (each is tried alone below, and halts alone)
            pass
    return {name: apply_alone(p, events, last) for name, p in due.items()}


def _apply_all(
    session: Session, due: dict[str, LedgerProjection], events: Numbered, last: int
) -> None:
    views = {name: projection.view for name, projection in due.items()}
    locked = lock_positions(session, views)
    if any((at or 0) >= last for at in locked.values()):
        raise AlreadyApplied(f"another process has applied the events up to {last}")
    connection = session.connection()
    with written_tables(connection) as written:
        for name, projection in due.items():
            handled = projection.handled_after(events, locked[name] or 0)
            if handled:  # one that handles none has nothing to write or finish
                projection.apply_rows(session, handled)
    move_positions(session, {views[n]: at for n, at in locked.items()}, last, written)


def apply_alone(projection: LedgerProjection, events: Numbered, last: int) -> int:
    """Apply a batch to one projection in its own transaction; return its new position."""
    try:
        projection.process_numbered(events, last)
        return last
    except CONNECTION_LOST:
        raise
    except Exception:  # noqa: BLE001
        position = projection.view.position()
        if position >= last:  # another process applied this batch first: take its position
            return position
        return _one_at_a_time(projection, events, position, last)


def _one_at_a_time(projection: LedgerProjection, events: Numbered, position: int, last: int) -> int:
    """Apply each event in its own transaction; halt at the first that fails."""
    due = [(n, e) for n, e in events if n > position and projection.handles(e)]
    for number, event in [*due, (last, None)]:
        try:
            projection.process_numbered([(number, event)] if event else [], number)
            position = number
        except CONNECTION_LOST:
            raise
        except Exception as error:  # noqa: BLE001
            position = projection.view.position()
            if position >= number:
                continue
            halt(projection, number, "" if event is None else topic_of(event), error)
            if number - 1 > position:  # every event before this one is applied
                projection.process_numbered([], number - 1)
            return number - 1
    return position


def halt(projection: LedgerProjection, number: int, topic: str, error: BaseException) -> None:
    """Record, durably, that this projection stopped at this event."""
    reason = f"{type(error).__name__}: {error}"
    log.error(
        "the %s read model halted at event %s (%s): %s",
        projection.name,
        number,
        topic,
        halts.storable(reason)[:300],
    )
    with projection.view.transaction(commit=True) as session:
        halts.record(session.connection(), projection.name, number, topic, reason)
