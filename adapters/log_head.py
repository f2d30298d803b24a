"""The head of the log (the newest notification id), in one small query."""

from __future__ import annotations

from typing import Any

from eventsourcing_sqlalchemy.recorders import SQLAlchemyApplicationRecorder
from sqlalchemy import func, select


class LogHead(SQLAlchemyApplicationRecorder):
    """eventsourcing-sqlalchemy's `max_notification_id` reads the newest event's whole row
    through the ORM (its state decoded and discarded); pages' validators, readiness and every
    catch-up ask for the head, so here it is one `SELECT max(id)` built once."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = self.events_record_cls.__table__.c.id  # type: ignore[attr-defined]
        self._head_query = select(func.max(ids))

    def max_notification_id(self) -> int | None:
        """Return the newest notification id (None: the log is empty)."""
        with self.transaction(commit=False) as session:
            found: int | None = session.execute(self._head_query).scalar()
            return found
