"""The notifier: follows the log like a read model and decides who must be told what.

Each notification goes into the outbox (adapters/outbox.py) in the transaction that moves the
notifier's tracked position, so a crash loses none and a replayed event writes none twice (and
the outbox's unique Message-ID refuses a duplicate besides). Recipients are accounts, chosen
when the event is read; their email addresses are read only when a message is delivered.
Reminders are written with the event that sets the deadline, due two working days before it,
and withdrawn (if not yet begun) when what they remind of is done or no longer stands.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, ClassVar

from sqlalchemy import insert
from sqlalchemy.orm import Session

from adapters.outbox import add_missing_columns, outbox
from domain.challenge import Challenge
from domain.council import Council
from domain.inspection import Inspection
from domain.working_days import add_working_days
from projections import messages
from projections.base import LedgerProjection, ReadModelView, handles
from projections.telling import (
    AUDIENCES,
    COUNCIL,
    INSPECTORATE,
    about,
    accounts,
    challenges,
    councils,
    imported,
    inspection_of_challenge,
    inspections,
    midnight,
    withdraw_unsent,
    write,
)

REMIND_WORKING_DAYS = 2  # reminders go this many working days before a deadline


class NotifierView(ReadModelView):
    """The outbox and the notifier's facts, beside its tracked position."""

    model_tables = (councils, inspections, challenges, outbox)

    def create_table(self) -> None:
        """Create what is missing, and never drop anything: a notifier rebuilt from the log
        would tell everyone everything again."""
        self.create_tables()
        engine = self.datastore.engine
        assert engine is not None
        with engine.begin() as conn:
            add_missing_columns(conn)


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
        if not imported(event):  # never before the notice day
            self._tell(session, event, "notice", midnight(event.notice_on))

    @handles(Inspection.DraftIssued)
    def draft_issued(self, event: Inspection.DraftIssued, session: Session) -> None:
        self._tell(session, event, "draft_issued", midnight(event.on), deadline=event.comments_due)
        self._remind(session, event, "draft_reminder", event.on, event.comments_due)

    @handles(Inspection.FactualAccuracyCommented)
    def commented(self, event: Inspection.FactualAccuracyCommented, session: Session) -> None:
        if event.complete:  # nothing more to remind them of
            withdraw_unsent(session, str(event.originator_id), ["draft_reminder"])

    @handles(Inspection.FinalReportIssued)
    def final_issued(self, event: Inspection.FinalReportIssued, session: Session) -> None:
        withdraw_unsent(session, str(event.originator_id), ["draft_reminder"])
        ends = event.challenge_window_ends
        self._tell(session, event, "final_issued", midnight(event.on), deadline=ends)
        self._remind(session, event, "challenge_reminder", event.on, ends)

    @handles(Inspection.Published)
    def published(self, event: Inspection.Published, session: Session) -> None:
        if not imported(event):
            self._tell(session, event, "published", midnight(event.on), on=event.on)

    @handles(Inspection.Cancelled, Inspection.Withdrawn)
    def ended(self, event: Any, session: Session) -> None:
        withdraw_unsent(session, str(event.originator_id), None)

    @handles(Challenge.Lodged)
    def challenge_lodged(self, event: Challenge.Lodged, session: Session) -> None:
        challenge = str(event.originator_id)
        session.execute(insert(challenges).values(id=challenge, inspection_id=event.inspection_id))
        withdraw_unsent(session, event.inspection_id, ["challenge_reminder"])
        self._tell(
            session,
            event,
            "challenge_lodged",
            midnight(event.on),
            INSPECTORATE,
            reference=event.reference,
            deadline=event.response_due,
        )

    @handles(Challenge.Decided)
    def challenge_decided(self, event: Challenge.Decided, session: Session) -> None:
        due = midnight(event.on)
        self._tell(session, event, "challenge_decided", due, outcome=event.outcome, on=event.on)

    def _remind(self, session: Session, event: Any, kind: str, on: date, deadline: date) -> None:
        """Remind the council two working days before a deadline, if that is still to come."""
        day = add_working_days(deadline, -REMIND_WORKING_DAYS)
        if day > on:
            expires = midnight(deadline + timedelta(days=1))
            self._tell(session, event, kind, midnight(day), expires=expires, deadline=deadline)

    def _tell(
        self,
        session: Session,
        event: Any,
        kind: str,
        due: datetime,
        audience: str = COUNCIL,
        expires: datetime | None = None,
        **values: date | str,
    ) -> None:
        """Write a notification of this kind about the event's inspection (or challenge) to
        everyone in the audience, due at `due`."""
        if isinstance(event, Challenge.Event):
            challenge = str(event.originator_id)
            inspection, link = (
                inspection_of_challenge(session, challenge),
                f"/challenges/{challenge}",
            )
        else:
            inspection = str(event.originator_id)
            link = f"/inspections/{inspection}"
        found, council, agency = about(session, inspection, self.base_url + link)
        organisation = council if audience == COUNCIL else agency
        text = messages.compose(kind, found, **values)
        recipients = accounts(session, AUDIENCES[audience], organisation)
        write(session, event, kind, recipients, text, due, inspection, found.link, expires)
