"""Read models kept inline: changed in the transaction that appends the events, as Marten's
inline projections are, so a command costs one commit.

The chain recorder calls `InlineReadModels.apply` once an append's events are chained, still
in its transaction (`adapters.hash_chain`). Each read model that stands exactly at the log's
head before those events (its tracking row locked, as a catch-up locks it) applies them,
decoded from the stored events just written (what a catch-up or a rebuild would read, without
reading them back), and moves its position to the last of them: both commit with the append or
not at all. Appends are serialised (PostgreSQL: the events table is locked until commit;
SQLite: one writer), so the position read under that lock is exact.

Each read model applies inside a savepoint of its own. One that cannot apply an event rolls
back to it, takes the events again one at a time, and halts at the one it cannot apply, in the
same transaction, exactly as a catch-up halts it (`projections.applying`): the command still
succeeds, with the other read models changed. A lost or busy database is no read model's
fault: it fails the command, which stores nothing. A read model that was behind (halted, or
the log written without it) is left as it is, and caught up after the commit, as before.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import StoredEvent
from sqlalchemy.orm import Session

from domain.services import Ledger
from projections.applying import CONNECTION_LOST, halt
from projections.base import LedgerProjection, Numbered, topic_of
from projections.reading import _decoded
from projections.runner import ReadModels

log = logging.getLogger("ledger.projections")


class InlineReadModels:
    """Keeps a ledger's read models current in each append's transaction."""

    def __init__(self, models: ReadModels, ledger: Ledger) -> None:
        self.models, self.ledger = models, ledger
        self.topics = {t for p in models.projections.values() for t in p.handled_topics}
        self.behind: set[str] = set()  # read models left for the catch-up after the commit

    def attach(self) -> None:
        """Apply every later append to the read models in its transaction; catch up after
        each command any read model that could not be (behind, or halted)."""
        self.ledger.recorder.within_append.append(self.apply)  # type: ignore[attr-defined]
        self.ledger.after_save.append(self.catch_up_behind)

    def apply(
        self, session: Session, stored: Sequence[StoredEvent], ids: Sequence[int], before: int
    ) -> None:
        """Apply the appended events to every read model standing at `before`."""
        events: Numbered = [
            (n, _decoded(self.ledger, e))  # type: ignore[arg-type]
            for n, e in zip(ids, stored, strict=True)
            if e.topic in self.topics
        ]
        for name, projection in self.models.projections.items():
            if not apply_in_savepoint(session, projection, events, before, ids[-1]):
                self.behind.add(name)

    def catch_up_behind(self) -> None:
        """Catch up, after the commit, the read models an append found behind (a halted one
        is passed by, as every catch-up passes it)."""
        if self.behind:
            behind, self.behind = sorted(self.behind), set()
            self.models.catch_up(self.ledger, behind)


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
