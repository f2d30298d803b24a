"""What every read model shares: tables beside a tracking table, written in one transaction."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from eventsourcing.persistence import IntegrityError, Tracking
from eventsourcing.projection import Projection
from eventsourcing.utils import get_topic
from sqlalchemy import MetaData
from sqlalchemy.orm import Session

from projections import driver
from projections.batch import ROWS, Rows
from projections.changes import bump, written_tables
from projections.views import ReadModelView

log = logging.getLogger("ledger.projections")

metadata = MetaData()

Handler = Callable[[Any, Any, Session], None]
Numbered = list[tuple[int, Any]]  # (notification id, domain event)


class Undecodable:
    """An event the log holds but this version cannot read: what handles its topic halts."""

    def __init__(self, topic: str, error: Exception) -> None:
        self.topic, self.error = topic, error


def topic_of(event: Any) -> str:
    """Return the topic an event was stored under."""
    return event.topic if isinstance(event, Undecodable) else get_topic(type(event))


DEFERRED_KEPT = 5_000  # what a rebuild's batches may leave `finish` before it is done at once


class AlreadyApplied(IntegrityError):
    """Another process applied these events to the read model first."""


class LedgerProjection(Projection[ReadModelView]):
    """A projection whose handlers are registered per event class with `@handles(...)`."""

    handlers: ClassVar[dict[type, Handler]] = {}
    handled_topics: ClassVar[tuple[str, ...]] = ()
    deferred: dict[str, Any] | None = None  # what batches left `finish` (None: not deferred)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.handlers = {
            event_class: method
            for method in cls.__dict__.values()
            for event_class in getattr(method, "handles", ())
        }
        cls.handled_topics = tuple(get_topic(c) for c in cls.handlers)
        # Subscribe to every event, not just the handled ones, so that each projection's
        # tracked position reaches the head of the log and "lag" means work outstanding.
        cls.topics = ()

    def handles(self, event: Any) -> bool:
        """Say whether this projection changes anything for the event."""
        return type(event) in self.handlers or (
            isinstance(event, Undecodable) and event.topic in self.handled_topics
        )

    def handled_after(self, events: Numbered, floor: int) -> list[Any]:
        """Return the events numbered after `floor` that this projection handles (by their
        class: a rebuild asks this of every event of the log, for each read model)."""
        handled, unreadable = self.handlers, Undecodable
        return [
            e
            for n, e in events
            if n > floor and (type(e) in handled or type(e) is unreadable and self.handles(e))
        ]

    def apply(self, event: Any, session: Session) -> None:
        """Apply one event's change to the read model within the caller's session."""
        handler = self.handlers.get(type(event))
        if handler is not None:  # an Undecodable is handled by no handler: it raises below
            handler(self, event, session)
        elif isinstance(event, Undecodable):
            raise event.error

    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        """Apply one event and record its position in one transaction (exactly once)."""
        self.process_batch([domain_event], tracking)

    def process_batch(self, events: Iterable[Any], tracking: Tracking) -> None:
        """Apply several events, stamp the tables they changed and record the position of the
        last, in one transaction."""
        with self.view.transaction(commit=True) as session:
            locked = self.view.lock_position(session)
            if (locked or 0) >= tracking.notification_id:
                raise AlreadyApplied(f"{self.name} has already applied {tracking.notification_id}")
            self._apply_locked(session, list(events), locked, tracking.notification_id)

    def process_numbered(self, events: Numbered, last: int) -> None:
        """Apply the events after this view's position (read under its lock, whatever the
        caller believed it was) and move the position to `last`, in one transaction."""
        with self.view.transaction(commit=True) as session:
            locked = self.view.lock_position(session)
            if (locked or 0) >= last:
                raise AlreadyApplied(f"{self.name} has already applied {last}")
            self._apply_locked(session, self.handled_after(events, locked or 0), locked, last)

    def process_after(self, events: Numbered, previous: int, last: int) -> bool:
        """Apply the events recorded after `previous` up to `last` and move the position to
        `last`, within the transaction open in this context, if this view stands exactly at
        `previous` (under its lock); say whether it did. A view behind is left for a catch-up."""
        with self.view.transaction(commit=True) as session:
            locked = self.view.lock_position(session)
            if (locked or 0) != previous:
                return False
            due = [e for n, e in events if previous < n <= last and self.handles(e)]
            self._apply_locked(session, due, locked, last)
            return True

    def _apply_locked(
        self, session: Session, events: list[Any], locked: int | None, last: int
    ) -> None:
        with written_tables(session.connection()) as written:
            self.apply_rows(session, events)
        bump(session.connection(), written)
        self.view.move_position(session, locked, last)

    def apply_rows(self, session: Session, events: list[Any]) -> None:
        """Apply the events' changes to the read model's rows, moving no position and raising
        no stamp (the caller does both, its position locked)."""
        rows = Rows(session.connection())
        self.prefetch(events, rows)
        self.apply_prefetched(session, events, rows)

    def apply_prefetched(
        self,
        session: Session,
        events: list[Any],
        rows: Rows,
        later: list[driver.Read] | None = None,
    ) -> None:
        """Apply the events to these rows, their prefetch done, and write them: now, or
        (given `later`, and nothing left for `finish` to do) with the statements gathered
        there."""
        session.info[ROWS] = rows
        noted = set(session.info)
        try:
            for event in events:
                self.apply(event, session)
            if later is not None and not self.finishing(session):
                rows.flush(later)
                return
            rows.flush()
            if self.deferred is None:
                self.finish(session)
            else:  # what this batch's handlers noted for `finish`, kept for `finish_deferred`
                for key in set(session.info) - noted - {ROWS}:
                    found = session.info.pop(key)
                    self.deferred.setdefault(key, type(found)()).update(found)  # set or dict
                if sum(map(len, self.deferred.values())) >= DEFERRED_KEPT:
                    session.info.update(self.deferred)  # finished now: memory flat with the log
                    self.deferred = {}
                    self.finish(session)
        finally:
            session.info.pop(ROWS, None)

    def defer_finish(self) -> None:
        """Keep what the batches leave `finish` for one `finish_deferred` (a rebuild's shadow,
        which nothing reads until it is complete): its recomputes then run once, not per batch."""
        self.deferred = {}

    def finish_deferred(self) -> None:
        """Do, in one transaction, what `finish` was left by every batch since deferred."""
        if not self.deferred:
            return
        with self.view.transaction(commit=True) as session:
            with written_tables(session.connection()) as written:
                session.info.update(self.deferred)
                self.finish(session)
            bump(session.connection(), written)
        self.deferred = {}

    def prefetch(self, events: list[Any], rows: Rows) -> None:
        """Load, in a few queries, the rows the batch's events will read or change."""

    def finish(self, session: Session) -> None:
        """Do the work best done once per batch, after its rows are written."""

    def finishing(self, session: Session) -> bool:
        """Say whether `finish` has work to do for this batch (if so, the rows are written
        before it)."""
        return type(self).finish is not LedgerProjection.finish


def handles(*event_classes: type) -> Callable[[Handler], Handler]:
    """Mark a projection method as the handler of these event classes."""

    def mark(method: Handler) -> Handler:
        method.handles = event_classes  # type: ignore[attr-defined]
        return method

    return mark
