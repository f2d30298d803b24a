"""The notification outbox: what must be sent to whom, and whether it was.

The notifier (projections/notifier.py) writes rows here in the transaction that moves its
position in the log, so a notification is written exactly once; delivery
(adapters/delivery.py) then works through the rows that are due. A row is pending until it is
sent (`sent_at`), given up on (`failed_reason`) or withheld because its recipient had turned
that kind of (optional) email off when it was due (`withheld_at`); `attempts` counts the
hand-overs to the mail server that were begun, so a process that dies mid-send still backs off
before the next one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Integer,
    MetaData,
    Table,
    Text,
    case,
    func,
    inspect,
    select,
    update,
)
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from adapters import persistence

outbox = Table(
    "notification_outbox",
    MetaData(),
    Column(
        "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("message_id", Text, nullable=False, unique=True),
    Column("kind", Text, nullable=False),
    Column("recipient", Text, nullable=False, index=True),  # the account's username
    Column("email", Text),  # the address it was sent to, read at delivery
    Column("subject", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("inspection_id", Text, nullable=False, index=True),  # what it is about
    Column("record", Text, nullable=False),  # the link to the page it is about
    Column("due_at", DateTime, nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", DateTime, nullable=False, index=True),
    Column("expires_at", DateTime),  # a reminder is not sent once its deadline has passed
    Column("sent_at", DateTime),
    Column("last_error", Text),
    Column("failed_reason", Text),
    Column("withheld_at", DateTime),  # not sent: the recipient had turned this kind off
)
ADDED_COLUMNS = {"withheld_at": "TIMESTAMP"}  # made on opening an outbox made before them


@dataclass(frozen=True)
class Notification:
    id: int
    message_id: str
    kind: str
    recipient: str
    email: str | None
    subject: str
    body: str
    inspection_id: str
    record: str
    due_at: datetime
    attempts: int
    next_attempt_at: datetime
    expires_at: datetime | None
    sent_at: datetime | None
    last_error: str | None
    failed_reason: str | None
    withheld_at: datetime | None = None

    @property
    def state(self) -> str:
        """Say whether it was sent, failed, withheld (turned off) or is still to send."""
        if self.sent_at:
            return "sent"
        return "failed" if self.failed_reason else "withheld" if self.withheld_at else "pending"


def message_id(event_key: str, recipient: str, kind: str) -> str:
    """Return the Message-ID of one event's notification of one kind to one person: the same
    every time it is written or sent, so a resent message is recognisably the same one."""
    digest = hashlib.sha256(f"{event_key}\n{recipient}\n{kind}".encode()).hexdigest()
    return f"<{digest}@ledger>"


def due(connection: Connection, now: datetime, limit: int = 100) -> list[Notification]:
    """Return the pending notifications whose next attempt is due, oldest first."""
    c = outbox.c
    query = (
        select(outbox)
        .where(c.sent_at.is_(None) & c.failed_reason.is_(None) & c.withheld_at.is_(None))
        .where(c.next_attempt_at <= now)
        .where(c.expires_at.is_(None) | (c.expires_at > now))
        .order_by(c.next_attempt_at, c.id)
        .limit(limit)
    )
    return [Notification(*row) for row in connection.execute(query)]


def claim(connection: Connection, found: Notification, now: datetime, retry_in: timedelta) -> bool:
    """Count an attempt and put the next one off by `retry_in`, unless another process
    claimed it first; say whether this one did."""
    c = outbox.c
    claimed = connection.execute(
        update(outbox)
        .where((c.id == found.id) & (c.attempts == found.attempts) & c.sent_at.is_(None))
        .values(attempts=found.attempts + 1, next_attempt_at=now + retry_in)
    )
    return claimed.rowcount == 1


def mark_sent(connection: Connection, id: int, email: str, now: datetime) -> None:
    """Record that the mail server accepted the notification for this address."""
    connection.execute(
        update(outbox).where(outbox.c.id == id).values(sent_at=now, email=email, last_error=None)
    )


def mark_withheld(connection: Connection, id: int, now: datetime) -> None:
    """Record that the notification was not sent: its recipient had turned its kind off."""
    connection.execute(update(outbox).where(outbox.c.id == id).values(withheld_at=now))


def add_missing_columns(connection: Connection) -> None:
    """Add the columns later versions added to an outbox made before them."""
    persistence.add_missing_columns(connection, outbox.name, ADDED_COLUMNS)


def mark_not_sent(connection: Connection, id: int, error: str, give_up: bool) -> None:
    """Record why an attempt failed, and give up on the notification if told to."""
    values = {"last_error": error[:2000], "failed_reason": error[:2000] if give_up else None}
    connection.execute(update(outbox).where(outbox.c.id == id).values(**values))


def sent_to(connection: Connection, recipient: str) -> list[Notification]:
    """Return what has been sent to one person, and what was not because they had turned it
    off, newest first (nothing, if no notifier ran)."""
    if not inspect(connection).has_table(outbox.name):
        return []
    c = outbox.c
    when = func.coalesce(c.sent_at, c.withheld_at)
    query = (
        select(outbox)
        .where((c.recipient == recipient) & when.is_not(None))
        .order_by(when.desc(), c.id.desc())
    )
    return [Notification(*row) for row in connection.execute(query)]


def every(connection: Connection) -> list[Notification]:
    """Return every notification, in the order written."""
    return [Notification(*row) for row in connection.execute(select(outbox).order_by(outbox.c.id))]


@dataclass(frozen=True)
class Tally:
    """How many notifications are in each state: still to send (`queued`; of them `due` now,
    and `retrying` after a failed attempt), sent, failed (given up on and reported) and
    withheld (turned off by their recipient); and since when the oldest due one has waited."""

    queued: int = 0
    due: int = 0
    retrying: int = 0
    sent: int = 0
    failed: int = 0
    withheld: int = 0
    oldest_due: datetime | None = None


def tally(connection: Connection, now: datetime) -> Tally:
    """Count the outbox's notifications by state, in one query (nothing, if no notifier ran).

    A reminder whose deadline passed before it could be sent counts as none of them."""
    if not inspect(connection).has_table(outbox.name):
        return Tally()
    c = outbox.c
    live = c.expires_at.is_(None) | (c.expires_at > now)
    queued = c.sent_at.is_(None) & c.failed_reason.is_(None) & c.withheld_at.is_(None) & live
    due_now = queued & (c.next_attempt_at <= now)

    def count(where: ColumnElement[bool]) -> ColumnElement[int]:
        return func.coalesce(func.sum(case((where, 1), else_=0)), 0)

    row = connection.execute(
        select(
            count(queued),
            count(due_now),
            count(queued & (c.attempts > 0)),
            count(c.sent_at.is_not(None)),
            count(c.sent_at.is_(None) & c.failed_reason.is_not(None)),
            count(c.sent_at.is_(None) & c.withheld_at.is_not(None)),
            func.min(case((due_now, c.due_at))),
        )
    ).one()
    return Tally(*(int(n) for n in row[:6]), oldest_due=row[6])
