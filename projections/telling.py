"""What the notifier knows and how it writes: its facts tables, recipients, outbox rows.

The facts (which council an inspection is of, what a council is called, which inspection a
challenge is of) are what the notifier keeps of earlier events, written in the transactions
that move its position, like the outbox rows themselves.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Column, Date, MetaData, Table, Text, delete, insert, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from adapters.identity import users
from adapters.outbox import message_id, outbox
from domain.action_plan import ActionPlan
from domain.actors import ADJUDICATOR_ORGANISATION, Role
from domain.challenge import Challenge
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
plans = Table(
    "notify_plans",
    facts,
    Column("id", Text, primary_key=True),
    Column("inspection_id", Text, nullable=False),
)
actions = Table(  # which event added each action: its notifications are withdrawn by that
    "notify_actions",
    facts,
    Column("plan_id", Text, primary_key=True),
    Column("action_id", Text, primary_key=True),
    Column("event_key", Text, nullable=False),
)
leads = Table(  # the lead inspector: who issued the draft (the report names them)
    "notify_leads",
    facts,
    Column("inspection_id", Text, primary_key=True),
    Column("username", Text, nullable=False),
)
partners = Table(  # a joint inspection's partners whose findings its joint letter still awaits
    "notify_partners",
    facts,
    Column("inspection_id", Text, primary_key=True),
    Column("agency", Text, primary_key=True),
)
# who is told: roles, and whose staff ("council", "lead" agency, a "partner" of a joint
# inspection, or an organisation)
COUNCIL, INSPECTORATE, MODERATORS, ADJUDICATORS = "council", "inspectorate", "moderators", "icaso"
PARTNER = "partner"
AUDIENCES: dict[str, tuple[tuple[str, ...], str]] = {
    COUNCIL: ((Role.COUNCIL_OFFICER,), "council"),
    INSPECTORATE: ((Role.INSPECTOR, Role.MODERATOR), "lead"),
    MODERATORS: ((Role.MODERATOR,), "lead"),
    ADJUDICATORS: ((Role.ADJUDICATOR,), ADJUDICATOR_ORGANISATION),
    PARTNER: ((Role.INSPECTOR, Role.MODERATOR), "partner"),
}


def record_of(session: Session, event: Any) -> tuple[str, str]:
    """Return the id of the inspection an event is about and the path of its page."""
    if isinstance(event, Challenge.Event):
        challenge = str(event.originator_id)
        return inspection_of_challenge(session, challenge), f"/challenges/{challenge}"
    if isinstance(event, ActionPlan.Event):
        found = session.execute(
            select(plans.c.inspection_id).where(plans.c.id == str(event.originator_id))
        ).scalar_one()
        return found, f"/inspections/{found}/action-plan"
    return str(event.originator_id), f"/inspections/{event.originator_id}"


def recipients(
    session: Session, audiences: Iterable[str], council: str, agency: str, partner: str = ""
) -> list[str]:
    """Return the accounts to tell in these audiences of an inspection (`partner`: the partner
    inspectorate a PARTNER audience is of), each once."""
    chosen: dict[str, None] = {}
    for audience in audiences:
        roles, whose = AUDIENCES[audience]
        organisation = {"council": council, "lead": agency, "partner": partner}.get(whose, whose)
        chosen.update(dict.fromkeys(accounts(session, roles, organisation)))
    return list(chosen)


def lead_inspector(session: Session, inspection_id: str, agency: str) -> list[str]:
    """Return the inspection's lead inspector, if their account is enabled and still theirs."""
    u = users.c
    found = select(leads.c.username).join(users, u.username == leads.c.username)
    found = found.where(leads.c.inspection_id == inspection_id)
    found = found.where((u.organisation == agency) & u.disabled_at.is_(None))
    return list(session.execute(found).scalars())


def remember_lead(session: Session, inspection_id: str, username: str) -> None:
    """Remember who issued the first draft: the lead inspector."""
    known = select(leads.c.username).where(leads.c.inspection_id == inspection_id)
    if session.execute(known).first() is None:
        session.execute(insert(leads).values(inspection_id=inspection_id, username=username))


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
    key = event_key(event)
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


def event_key(event: Any) -> str:
    """Return what names one event among the log's: its aggregate and version."""
    return f"{event.originator_id}:{event.originator_version}"


def withdraw_written_by(
    session: Session, key: str, inspection_id: str, kinds: Iterable[str]
) -> None:
    """Remove the notifications of these kinds that one event wrote, if not yet begun."""
    c = outbox.c
    found = select(c.id, c.recipient, c.kind, c.message_id).where(unsent(inspection_id, kinds))
    rows = session.execute(found)
    mine = [r.id for r in rows if r.message_id == message_id(key, r.recipient, r.kind)]
    if mine:
        session.execute(delete(outbox).where(c.id.in_(mine)))


def withdraw_unsent(
    session: Session,
    inspection_id: str,
    kinds: Iterable[str] | None,
    due_after: datetime | None = None,
) -> None:
    """Remove notifications of this inspection not yet begun (of these kinds; all, if None;
    only those due after `due_after`, if given): what they announce or remind of no longer
    stands."""
    found = unsent(inspection_id, kinds)
    if due_after is not None:
        found = found & (outbox.c.due_at > due_after)
    session.execute(delete(outbox).where(found))


def withdraw_unsent_to(
    session: Session, inspection_id: str, kinds: Iterable[str], recipients: Iterable[str]
) -> None:
    """Remove the inspection's notifications of these kinds to these accounts, if not yet
    begun: what they ask of them is done."""
    to = outbox.c.recipient.in_(list(recipients))
    session.execute(delete(outbox).where(unsent(inspection_id, kinds) & to))


def awaited(session: Session, inspection_id: str) -> list[str]:
    """Return the partners of a joint inspection whose findings its joint letter awaits."""
    p = partners.c
    found = select(p.agency).where(p.inspection_id == inspection_id).order_by(p.agency)
    return list(session.execute(found).scalars())


def unsent(inspection_id: str, kinds: Iterable[str] | None) -> ColumnElement[bool]:
    """The inspection's notifications not yet begun (of these kinds; all, if None)."""
    c = outbox.c
    found = (c.inspection_id == inspection_id) & (c.attempts == 0) & c.sent_at.is_(None)
    return found if kinds is None else found & c.kind.in_(list(kinds))


def imported(event: Any) -> bool:
    """Say whether the event records published history (only an administrator imports it,
    only inspectorates schedule and publish live work): nobody is waiting to hear of it."""
    return bool(event.actor.role == Role.ADMINISTRATOR)


def midnight(day: date) -> datetime:
    """Return the start of a day, as the outbox's due times are kept (UTC, no zone)."""
    return datetime.combine(day, time.min)


def day_after(deadline: date) -> datetime:
    """Return the start of the day after a deadline: when it is missed, and reminders expire."""
    return midnight(deadline + timedelta(days=1))
