"""The notifier: follows the log like a read model and decides who must be told what.

Each notification goes into the outbox (adapters/outbox.py) in the transaction that moves the
notifier's tracked position, so a crash loses none and a replayed event writes none twice (and
the outbox's unique Message-ID refuses a duplicate besides). Recipients are accounts, chosen
when the event is read; their email addresses are read only when a message is delivered.
Reminders are written with the event that sets the deadline, due two working days before it,
and withdrawn (if not yet begun) when what they remind of is done or no longer stands.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from adapters.outbox import add_missing_columns, outbox
from domain.action_plan import ActionPlan
from domain.actors import Role, agency_name
from domain.challenge import ADJUDICATOR, Challenge
from domain.council import Council
from domain.frameworks import framework
from domain.inspection import Inspection
from domain.working_days import add_working_days
from projections import messages
from projections.base import LedgerProjection, handles
from projections.telling import (
    ADJUDICATORS,
    COUNCIL,
    INSPECTORATE,
    MODERATORS,
    PARTNER,
    about,
    accounts,
    actions,
    awaited,
    challenges,
    councils,
    day_after,
    event_key,
    imported,
    inspections,
    lead_inspector,
    leads,
    midnight,
    partners,
    plans,
    recipients,
    record_of,
    remember_lead,
    withdraw_unsent,
    withdraw_unsent_to,
    withdraw_written_by,
    write,
)
from projections.views import ReadModelView

REMIND_WORKING_DAYS = 2  # reminders go this many working days before a deadline
FINDINGS = ("findings_awaited", "findings_still_awaited")  # a partner is asked for its findings


class NotifierView(ReadModelView):
    """The outbox and the notifier's facts, beside its tracked position."""

    model_tables = (councils, inspections, challenges, plans, actions, leads, partners, outbox)

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
        if imported(event):
            return
        self._tell(session, event, "notice", midnight(event.notice_on))  # never before that day
        if framework(event.framework).finding_from_every_partner:  # a joint letter: a JTAI
            id, lead = str(event.originator_id), event.lead_agency
            joining = sorted({a for a in event.agencies if a != lead})
            if joining:
                rows = [{"inspection_id": id, "agency": a} for a in joining]
                session.execute(insert(partners), rows)

    @handles(Inspection.OnSiteStarted)
    def on_site(self, event: Inspection.OnSiteStarted, session: Session) -> None:
        self._ask_partners(session, event, "findings_awaited")

    @handles(Inspection.FindingRecorded)
    def finding_recorded(self, event: Inspection.FindingRecorded, session: Session) -> None:
        id, p = str(event.originator_id), partners.c
        session.execute(
            delete(partners).where((p.inspection_id == id) & (p.agency == event.agency))
        )
        staff = accounts(session, (Role.INSPECTOR, Role.MODERATOR), event.agency)
        withdraw_unsent_to(session, id, FINDINGS, staff)

    @handles(Inspection.JudgmentsMade)
    def fieldwork_done(self, event: Inspection.JudgmentsMade, session: Session) -> None:
        self._ask_partners(session, event, "findings_still_awaited")

    @handles(Inspection.DraftIssued)
    def draft_issued(self, event: Inspection.DraftIssued, session: Session) -> None:
        remember_lead(session, str(event.originator_id), event.actor.user)
        self._tell(session, event, "draft_issued", midnight(event.on), deadline=event.comments_due)
        self._remind(session, event, "draft_reminder", event.on, event.comments_due)

    @handles(Inspection.FactualAccuracyCommented)
    def commented(self, event: Inspection.FactualAccuracyCommented, session: Session) -> None:
        if event.complete:  # nothing more to remind them of
            withdraw_unsent(session, str(event.originator_id), ["draft_reminder"])
        kind = "comments_complete" if event.complete else "comments_received"
        audiences = (MODERATORS,) if event.complete else ()  # the final report may be issued
        self._tell(session, event, kind, midnight(event.on), audiences, lead=True)

    @handles(Inspection.FinalReportIssued)
    def final_issued(self, event: Inspection.FinalReportIssued, session: Session) -> None:
        withdraw_unsent(session, str(event.originator_id), ["draft_reminder"])
        ends = event.challenge_window_ends
        self._tell(session, event, "final_issued", midnight(event.on), deadline=ends)
        self._remind(session, event, "challenge_reminder", event.on, ends)
        audiences = (COUNCIL, MODERATORS)  # (the moderators publish)
        closed = day_after(ends)  # withdrawn if a challenge is lodged, or it is published first
        self._tell(session, event, "challenge_closed", closed, audiences, lead=True, deadline=ends)

    @handles(Inspection.Published)
    def published(self, event: Inspection.Published, session: Session) -> None:
        # published while the window was open (before 2023): it will not "go on to publication"
        later = midnight(event.on)
        withdraw_unsent(session, str(event.originator_id), ["challenge_closed"], due_after=later)
        if not imported(event):
            self._tell(session, event, "published", midnight(event.on), on=event.on)

    @handles(Inspection.Cancelled, Inspection.Withdrawn)
    def ended(self, event: Any, session: Session) -> None:
        withdraw_unsent(session, str(event.originator_id), None)

    @handles(Challenge.Lodged)
    def challenge_lodged(self, event: Challenge.Lodged, session: Session) -> None:
        challenge = str(event.originator_id)
        session.execute(insert(challenges).values(id=challenge, inspection_id=event.inspection_id))
        withdraw_unsent(session, event.inspection_id, ["challenge_reminder", "challenge_closed"])
        self._tell(
            session,
            event,
            "challenge_lodged",
            midnight(event.on),
            (INSPECTORATE,),
            reference=event.reference,
            deadline=event.response_due,
        )

    @handles(Challenge.Escalated)
    def challenge_escalated(self, event: Challenge.Escalated, session: Session) -> None:
        audiences = (MODERATORS, ADJUDICATORS) if event.to_stage == ADJUDICATOR else (MODERATORS,)
        stage = event.to_stage.replace("_", " ")
        self._tell(
            session,
            event,
            "challenge_escalated",
            midnight(event.on),
            audiences,
            stage=stage,
            deadline=event.response_due,
        )

    @handles(ActionPlan.Opened)
    def plan_opened(self, event: ActionPlan.Opened, session: Session) -> None:
        values = {"id": str(event.originator_id), "inspection_id": event.inspection_id}
        session.execute(insert(plans).values(values))
        if imported(event):
            return
        due = event.due_on
        self._remind(session, event, "plan_reminder", event.opened_on, due)
        self._tell(
            session, event, "plan_missed", day_after(due), (COUNCIL, MODERATORS), deadline=due
        )

    @handles(ActionPlan.Submitted)
    def plan_submitted(self, event: ActionPlan.Submitted, session: Session) -> None:
        inspection, _ = record_of(session, event)
        withdraw_unsent(session, inspection, ["plan_reminder", "plan_missed"])
        self._tell(session, event, "plan_submitted", midnight(event.on), (MODERATORS,), on=event.on)

    @handles(ActionPlan.ActionAdded)
    def action_added(self, event: ActionPlan.ActionAdded, session: Session) -> None:
        key = {"plan_id": str(event.originator_id), "action_id": event.action_id}
        session.execute(insert(actions).values(**key, event_key=event_key(event)))
        due, values = event.due_on, {"action": event.action_id, "deadline": event.due_on}
        day = add_working_days(due, -REMIND_WORKING_DAYS)  # (added that late, it goes at once)
        missed = day_after(due)  # when the reminder expires, too
        self._tell(session, event, "action_reminder", midnight(day), expires=missed, **values)
        self._tell(session, event, "action_missed", missed, (COUNCIL, MODERATORS), **values)

    @handles(ActionPlan.ActionCompleted)
    def action_completed(self, event: ActionPlan.ActionCompleted, session: Session) -> None:
        a = actions.c
        added = select(a.event_key).where(
            (a.plan_id == str(event.originator_id)) & (a.action_id == event.action_id)
        )
        inspection, _ = record_of(session, event)
        for key in session.execute(added).scalars():
            withdraw_written_by(session, key, inspection, ["action_reminder", "action_missed"])

    @handles(Challenge.Decided)
    def challenge_decided(self, event: Challenge.Decided, session: Session) -> None:
        due = midnight(event.on)
        self._tell(session, event, "challenge_decided", due, outcome=event.outcome, on=event.on)

    def _ask_partners(self, session: Session, event: Any, kind: str) -> None:
        """Ask each partner of a joint inspection whose findings are still to come for them."""
        id = str(event.originator_id)
        waiting = awaited(session, id)
        if not waiting:  # not joint, or every partner has recorded its findings
            return
        lead = session.execute(select(inspections.c.lead_agency).where(inspections.c.id == id))
        led_by = agency_name(lead.scalar_one())
        for agency in waiting:
            self._tell(
                session,
                event,
                kind,
                midnight(event.on),
                (PARTNER,),
                partner=agency,
                page="/findings/new",
                agency=agency_name(agency),
                led_by=led_by,
                on=event.on,
            )

    def _remind(self, session: Session, event: Any, kind: str, on: date, deadline: date) -> None:
        """Remind the council two working days before a deadline, if that is still to come."""
        day = add_working_days(deadline, -REMIND_WORKING_DAYS)
        if day > on:
            expires = day_after(deadline)
            self._tell(session, event, kind, midnight(day), expires=expires, deadline=deadline)

    def _tell(
        self,
        session: Session,
        event: Any,
        kind: str,
        due: datetime,
        audiences: tuple[str, ...] = (COUNCIL,),
        expires: datetime | None = None,
        lead: bool = False,
        partner: str = "",
        page: str = "",
        **values: date | str,
    ) -> None:
        """Write a notification of this kind about the event's record to everyone in the
        audiences (and the lead inspector, if `lead`; `partner`: the inspectorate a PARTNER
        audience is of), due at `due`, linking to the record's page (and `page` under it)."""
        inspection, path = record_of(session, event)
        found, council, agency = about(session, inspection, self.base_url + path + page)
        text = messages.compose(kind, found, **values)
        told = lead_inspector(session, inspection, agency) if lead else []
        audience = recipients(session, audiences, council, agency, partner)
        told += [r for r in audience if r not in told]
        write(session, event, kind, told, text, due, inspection, found.link, expires)
