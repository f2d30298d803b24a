"""What the notifier knows and how it writes: its facts tables, recipients, outbox rows.

The facts (which council an inspection is of, what a council is called, which inspection a
challenge is of) are what the notifier keeps of earlier events, written in the transactions
that move its position, like the outbox rows themselves.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Column, Date, MetaData, Table, Text, delete, insert, select
from sqlalchemy.orm import Session

from adapters.identity import users
from adapters.outbox import message_id, outbox
from domain.actors import Role
from projections import messages

facts = MetaData()
councils = Table(
    "notify_councils",
    facts,
    Column("code", Text, primary_key=True),
    Column("name", Text, nullable=False),
)
inspections = Table(
    "notify_inspections",
    facts,
    Column("id", Text, primary_key=True),
    Column("council", Text, nullable=False),
    Column("lead_agency", Text, nullable=False),
    Column("type", Text, nullable=False),
    Column("starts_on", Date, nullable=False),
)
challenges = Table(
    "notify_challenges",
    facts,
    Column("id", Text, primary_key=True),
    Column("inspection_id", Text, nullable=False),
)
COUNCIL, INSPECTORATE = "council", "inspectorate"  # who is told
AUDIENCES = {COUNCIL: (Role.COUNCIL_OFFICER,), INSPECTORATE: (Role.INSPECTOR, Role.MODERATOR)}


def inspection_of_challenge(session: Session, challenge: str) -> str:
    """Return the id of the inspection a challenge is of."""
    found: str = session.execute(
        select(challenges.c.inspection_id).where(challenges.c.id == challenge)
    ).scalar_one()
    return found


def about(session: Session, inspection_id: str, link: str) -> tuple[messages.About, str, str]:
    """Return what a notification names of the inspection, its council and lead agency."""
    i = inspections.c
    row = session.execute(
        select(i.council, councils.c.name, i.lead_agency, i.type, i.starts_on)
        .select_from(inspections.outerjoin(councils, councils.c.code == i.council))
        .where(i.id == inspection_id)
    ).one()
    found = messages.About(row.name or row.council, row.type, row.starts_on, link)
    return found, row.council, row.lead_agency


def accounts(session: Session, roles: Iterable[str], organisation: str) -> list[str]:
    """Return the usernames of the enabled accounts of these roles in this organisation."""
    u = users.c
    chosen = (
        select(u.username)
        .where(u.role.in_([str(r) for r in roles]))
        .where((u.organisation == organisation) & u.disabled_at.is_(None))
        .order_by(u.username)
    )
    return list(session.execute(chosen).scalars())


def write(
    session: Session,
    event: Any,
    kind: str,
    recipients: Iterable[str],
    text: tuple[str, str],
    due: datetime,
    inspection_id: str,
    link: str,
    expires: datetime | None = None,
) -> None:
    """Write one notification of this event per recipient, due at `due` (and not to be sent
    from `expires`, if given)."""
    key = f"{event.originator_id}:{event.originator_version}"
    subject, body = text
    rows = [
        {
            "message_id": message_id(key, recipient, kind),
            "kind": kind,
            "recipient": recipient,
            "subject": subject,
            "body": body,
            "inspection_id": inspection_id,
            "record": link,
            "due_at": due,
            "attempts": 0,
            "next_attempt_at": due,
            "expires_at": expires,
        }
        for recipient in recipients
    ]
    if rows:
        session.execute(insert(outbox), rows)


def withdraw_unsent(session: Session, inspection_id: str, kinds: Iterable[str] | None) -> None:
    """Remove notifications of this inspection not yet begun (of these kinds; all, if None):
    what they announce or remind of no longer stands."""
    c = outbox.c
    unsent = (c.inspection_id == inspection_id) & (c.attempts == 0) & c.sent_at.is_(None)
    if kinds is not None:
        unsent &= c.kind.in_(list(kinds))
    session.execute(delete(outbox).where(unsent))


def imported(event: Any) -> bool:
    """Say whether the event records published history (only an administrator imports it,
    only inspectorates schedule and publish live work): nobody is waiting to hear of it."""
    return bool(event.actor.role == Role.ADMINISTRATOR)


def midnight(day: date) -> datetime:
    """Return the start of a day, as the outbox's due times are kept (UTC, no zone)."""
    return datetime.combine(day, time.min)
