"""Halts: a read model that could not apply an event stops there, alone, and says why.

One row per halted read model, kept beside the read models (never dropped with them): which
event it could not apply (its notification id and topic), the error, and when. Catching up
passes a halted read model by until a resume retries it (the row goes once the event is
applied), or a rebuild that swaps in (or a change of shape) clears it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import BigInteger, Column, DateTime, MetaData, Table, Text, delete, insert, select
from sqlalchemy.engine import Connection

ERROR_CHARS = 2000  # an SQL error quotes its parameters, which may be megabytes

halts = Table(
    "rm_halts",
    MetaData(),  # not among the read models' tables: a rebuild or drop keeps it
    Column("name", Text, primary_key=True),
    Column("notification_id", BigInteger, nullable=False),
    Column("topic", Text, nullable=False),
    Column("error", Text, nullable=False),
    Column("halted_at", DateTime, nullable=False),
)


@dataclass(frozen=True)
class Halt:
    name: str
    notification_id: int
    topic: str
    error: str
    halted_at: datetime

    def details(self) -> dict[str, Any]:
        """Say where and why it stopped, as JSON shows it."""
        return {
            "notification_id": self.notification_id,
            "topic": self.topic,
            "error": self.error,
            "halted_at": self.halted_at.isoformat(),
        }

    def lines(self) -> list[str]:
        """Say where, since when and why it stopped, as `ledger projections status` prints it."""
        return [
            f"  HALTED at event {self.notification_id} ({self.topic})",
            f"  since {self.halted_at:%Y-%m-%d %H:%M:%S} UTC: {self.error}",
        ]

    @property
    def summary(self) -> str:
        """Say in one line which read model stopped, at which event, and why."""
        reason = (self.error.splitlines() or [""])[0][:300]
        return f"{self.name} halted at event {self.notification_id} ({self.topic}): {reason}"


def storable(text: str) -> str:
    """Return the text as any text column holds it: no NUL, no lone surrogate, bounded."""
    text = text.encode("utf-8", "backslashreplace").decode("utf-8").replace("\x00", "\\x00")
    return text[:ERROR_CHARS]


def record(connection: Connection, name: str, notification_id: int, topic: str, error: str) -> None:
    """Record that the read model stopped at this event, replacing an earlier halt of it."""
    connection.execute(delete(halts).where(halts.c.name == name))
    values = {
        "name": name,
        "notification_id": notification_id,
        "topic": storable(topic),
        "error": storable(error),
        "halted_at": datetime.now(UTC).replace(tzinfo=None),
    }
    connection.execute(insert(halts).values(values))


def clear_passed(connection: Connection, positions: dict[str, int]) -> None:
    """Remove the halts of read models now past the event each halted at."""
    for name, position in positions.items():
        passed = (halts.c.name == name) & (halts.c.notification_id <= position)
        connection.execute(delete(halts).where(passed))


def clear(connection: Connection, names: Iterable[str]) -> list[str]:
    """Remove the halts of these read models; return the names that were halted."""
    chosen = list(names)
    found = list(connection.execute(select(halts.c.name).where(halts.c.name.in_(chosen))).scalars())
    connection.execute(delete(halts).where(halts.c.name.in_(chosen)))
    return found


def halted(connection: Connection) -> dict[str, Halt]:
    """Return every halt, by read model."""
    rows = connection.execute(select(halts).order_by(halts.c.name)).all()
    return {row.name: Halt(*row) for row in rows}
