"""The notifier: follows the log like a read model and decides who must be told what.

Each notification goes into the outbox (adapters/outbox.py) in the transaction that moves the
notifier's tracked position, so a crash loses none and a replayed event writes none twice (and
the outbox's unique Message-ID refuses a duplicate besides). Recipients are accounts, chosen
when the event is read; their email addresses are read only when a message is delivered.
What the notifier needs to know of earlier events (which council an inspection is of, what a
council is called) it keeps in tables of its own, written in the same transactions.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Any, ClassVar

from sqlalchemy import Column, Date, MetaData, Table, Text, insert, select
from sqlalchemy.orm import Session

from adapters.identity import users
from adapters.outbox import message_id, outbox
from domain.actors import Role
from domain.challenge import Challenge
from domain.council import Council
from domain.inspection import Inspection
from projections import messages
from projections.base import LedgerProjection, ReadModelView, handles

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
INSPECTORATE_STAFF = (Role.INSPECTOR, Role.MODERATOR)


class NotifierView(ReadModelView):
    """The outbox and the notifier's facts, beside its tracked position."""

    model_tables = (councils, inspections, challenges, outbox)

    def create_table(self) -> None:
        """Create what is missing, and never drop anything: a notifier rebuilt from the log
        would tell everyone everything again."""
        self.create_tables()


class NotifierProjection(LedgerProjection):
    name = "notifier"
    base_url: ClassVar[str] = "http://127.0.0.1:5000"

    def __init__(self, view: NotifierView, base_url: str | None = None) -> None:
        super().__init__(view)
        self.base_url = (base_url or type(self).base_url).rstrip("/")

    @handles(Council.Registered)
    def council_registered(self, event: Council.Registered, session: Session) -> None:
        session.execute(insert(councils).values(code=event.code, name=event.name))

    @handles(Inspection.Scheduled)
    def scheduled(self, event: Inspection.Scheduled, session: Session) -> None:
        session.execute(
            insert(inspections).values(
                id=str(event.originator_id),
                council=event.council,
                lead_agency=event.lead_agency,
                type=event.type,
                starts_on=event.starts_on,
            )
        )
        if _imported(event):
            return
        about = self._about(session, str(event.originator_id))
        due = _midnight(event.notice_on)  # never before the notice day
        text = messages.compose("notice", about)
        self._tell_council(session, event, "notice", text, due, about)

    @handles(Inspection.DraftIssued)
    def draft_issued(self, event: Inspection.DraftIssued, session: Session) -> None:
        about = self._about(session, str(event.originator_id))
        text = messages.compose("draft_issued", about, deadline=event.comments_due)
        self._tell_council(session, event, "draft_issued", text, _midnight(event.on), about)

    @handles(Inspection.FinalReportIssued)
    def final_issued(self, event: Inspection.FinalReportIssued, session: Session) -> None:
        about = self._about(session, str(event.originator_id))
        text = messages.compose("final_issued", about, deadline=event.challenge_window_ends)
        self._tell_council(session, event, "final_issued", text, _midnight(event.on), about)

    @handles(Inspection.Published)
    def published(self, event: Inspection.Published, session: Session) -> None:
        if _imported(event):
            return
        about = self._about(session, str(event.originator_id))
        text = messages.compose("published", about, on=event.on)
        self._tell_council(session, event, "published", text, _midnight(event.on), about)

    @handles(Challenge.Lodged)
    def challenge_lodged(self, event: Challenge.Lodged, session: Session) -> None:
        challenge = str(event.originator_id)
        session.execute(insert(challenges).values(id=challenge, inspection_id=event.inspection_id))
        about = self._about(session, event.inspection_id, f"/challenges/{challenge}")
        found = session.execute(
            select(inspections.c.lead_agency).where(inspections.c.id == event.inspection_id)
        ).scalar_one()
        text = messages.compose(
            "challenge_lodged", about, reference=event.reference, deadline=event.response_due
        )
        staff = _accounts(session, INSPECTORATE_STAFF, found)
        self._write(session, event, "challenge_lodged", staff, text, _midnight(event.on), about)

    @handles(Challenge.Decided)
    def challenge_decided(self, event: Challenge.Decided, session: Session) -> None:
        challenge = str(event.originator_id)
        inspection = session.execute(
            select(challenges.c.inspection_id).where(challenges.c.id == challenge)
        ).scalar_one()
        about = self._about(session, inspection, f"/challenges/{challenge}")
        text = messages.compose("challenge_decided", about, outcome=event.outcome, on=event.on)
        self._tell_council(session, event, "challenge_decided", text, _midnight(event.on), about)

    def _about(self, session: Session, inspection_id: str, path: str = "") -> messages.About:
        i = inspections.c
        row = session.execute(
            select(i.council, councils.c.name, i.type, i.starts_on)
            .select_from(inspections.outerjoin(councils, councils.c.code == i.council))
            .where(i.id == inspection_id)
        ).one()
        link = self.base_url + (path or f"/inspections/{inspection_id}")
        return messages.About(row.name or row.council, row.type, row.starts_on, link)

    def _tell_council(
        self,
        session: Session,
        event: Any,
        kind: str,
        text: tuple[str, str],
        due: datetime,
        about: messages.About,
    ) -> None:
        council = session.execute(
            select(inspections.c.council).where(inspections.c.id == _inspection_of(session, event))
        ).scalar_one()
        officers = _accounts(session, (Role.COUNCIL_OFFICER,), council)
        self._write(session, event, kind, officers, text, due, about)

    def _write(
        self,
        session: Session,
        event: Any,
        kind: str,
        recipients: Iterable[str],
        text: tuple[str, str],
        due: datetime,
        about: messages.About,
    ) -> None:
        key = f"{event.originator_id}:{event.originator_version}"
        subject, body = text
        rows = [
            {
                "message_id": message_id(key, recipient, kind),
                "kind": kind,
                "recipient": recipient,
                "subject": subject,
                "body": body,
                "record": about.link,
                "due_at": due,
                "attempts": 0,
                "next_attempt_at": due,
            }
            for recipient in recipients
        ]
        if rows:
            session.execute(insert(outbox), rows)


def _inspection_of(session: Session, event: Any) -> str:
    """Return the id of the inspection an inspection's or a challenge's event is about."""
    if isinstance(event, Challenge.Event):
        found: str = session.execute(
            select(challenges.c.inspection_id).where(challenges.c.id == str(event.originator_id))
        ).scalar_one()
        return found
    return str(event.originator_id)


def _accounts(session: Session, roles: Iterable[str], organisation: str) -> list[str]:
    """Return the usernames of the enabled accounts of these roles in this organisation."""
    u = users.c
    chosen = (
        select(u.username)
        .where(u.role.in_([str(r) for r in roles]))
        .where((u.organisation == organisation) & u.disabled_at.is_(None))
        .order_by(u.username)
    )
    return list(session.execute(chosen).scalars())


def _imported(event: Any) -> bool:
    """Say whether the event records published history (only an administrator imports it,
    only inspectorates schedule and publish live work): nobody is waiting to hear of it."""
    return bool(event.actor.role == Role.ADMINISTRATOR)


def _midnight(day: date) -> datetime:
    """Return the start of a day, as the outbox's due times are kept (UTC, no zone)."""
    return datetime.combine(day, time.min)
