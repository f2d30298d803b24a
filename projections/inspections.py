"""Read model of inspections: where each stands in its lifecycle, for work lists and schedules."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Column, Date, DateTime, Integer, Table, Text, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from domain import inspection as lifecycle
from domain.inspection import Inspection
from domain.rules import OVERALL
from projections.base import LedgerProjection, handles, metadata
from projections.batch import Rows, rows_of
from projections.views import ReadModelView, utc_naive

inspections = Table(
    "rm_inspections",
    metadata,
    Column("id", Text, primary_key=True),
    Column("council", Text, nullable=False, index=True),
    Column("setting_urn", Text, nullable=False, default=""),  # "" for a council's services
    Column("type", Text, nullable=False),
    Column("framework", Text, nullable=False),
    Column("lead_agency", Text, nullable=False),
    Column("agencies", JSON, nullable=False),
    Column("theme", Text, nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("notice_on", Date, nullable=False),
    Column("status", Text, nullable=False, index=True),
    Column("comments_due", Date),
    Column("comments", Integer, nullable=False, default=0),
    Column("comments_complete", Integer, nullable=False, default=0),
    Column("final_report_on", Date),
    Column("challenge_window_ends", Date),
    Column("open_challenges", Integer, nullable=False, default=0),
    Column("published_on", Date, index=True),
    Column("overall", Text),
    Column("findings", Integer, nullable=False, default=0),
    Column("judgments", Integer, nullable=False, default=0),
    Column("priority_actions", Integer, nullable=False, default=0),
    Column("ended_on", Date),
    Column("ended_reason", Text, nullable=False, default=""),
    Column("imported", Integer, nullable=False, default=0),
    Column("demonstration", Integer, nullable=False, default=0),  # the demo's invented work
    Column("version", Integer, nullable=False),
    Column("updated_at", DateTime, nullable=False),
)


class InspectionsView(ReadModelView):
    model_tables = (inspections,)


def _set(session: Session, event: Any, **values: Any) -> dict[str, Any] | None:
    return rows_of(session).update(
        inspections,
        (str(event.originator_id),),
        version=event.originator_version,
        updated_at=utc_naive(event.timestamp),
        **values,
    )


def _add(session: Session, event: Any, column: str, amount: int = 1) -> None:
    row = rows_of(session).get(inspections, str(event.originator_id))
    if row is not None:
        _set(session, event, **{column: row[column] + amount})


class InspectionsProjection(LedgerProjection):
    name = "inspections"

    def prefetch(self, events: list[Any], rows: Rows) -> None:
        ids = (str(e.originator_id) for e in events if self.handles(e))
        rows.load(inspections, 0, ids)

    @handles(Inspection.Scheduled)
    def scheduled(self, event: Inspection.Scheduled, session: Session) -> None:
        rows_of(session).insert(
            inspections,
            id=str(event.originator_id),
            council=event.council,
            setting_urn=event.setting_urn,
            type=event.type,
            framework=event.framework,
            lead_agency=event.lead_agency,
            agencies=list(event.agencies),
            theme=event.theme,
            starts_on=event.starts_on,
            notice_on=event.notice_on,
            status=lifecycle.SCHEDULED,
            imported=int(bool(event.source) and event.source != lifecycle.DEMONSTRATION),
            demonstration=int(event.source == lifecycle.DEMONSTRATION),
            comments=0,
            comments_complete=0,
            open_challenges=0,
            findings=0,
            judgments=0,
            priority_actions=0,
            ended_reason="",
            version=event.originator_version,
            updated_at=utc_naive(event.timestamp),
        )

    @handles(Inspection.OnSiteStarted)
    def on_site(self, event: Inspection.OnSiteStarted, session: Session) -> None:
        _set(session, event, status=lifecycle.ON_SITE)

    @handles(Inspection.FindingRecorded)
    def finding(self, event: Inspection.FindingRecorded, session: Session) -> None:
        row = rows_of(session).get(inspections, str(event.originator_id))
        if row is not None:
            _set(
                session,
                event,
                findings=row["findings"] + 1,
                priority_actions=row["priority_actions"] + int(event.priority_action),
            )

    @handles(Inspection.JudgmentRecorded, Inspection.JudgmentRevised)
    def judgment(self, event: Any, session: Session) -> None:
        row = rows_of(session).get(inspections, str(event.originator_id))
        if row is None:
            return
        changes: dict[str, Any] = {"overall": event.grade} if event.area == OVERALL else {}
        if isinstance(event, Inspection.JudgmentRecorded):
            changes["judgments"] = row["judgments"] + 1
        _set(session, event, **changes)

    @handles(Inspection.JudgmentsMade)
    def judgments_made(self, event: Inspection.JudgmentsMade, session: Session) -> None:
        _set(session, event, status=lifecycle.JUDGMENTS_MADE)

    @handles(Inspection.DraftIssued)
    def draft(self, event: Inspection.DraftIssued, session: Session) -> None:
        _set(session, event, status=lifecycle.DRAFT_ISSUED, comments_due=event.comments_due)

    @handles(Inspection.FactualAccuracyCommented)
    def commented(self, event: Inspection.FactualAccuracyCommented, session: Session) -> None:
        row = rows_of(session).get(inspections, str(event.originator_id))
        if row is not None:
            complete = {"comments_complete": 1} if event.complete else {}
            _set(session, event, comments=row["comments"] + 1, **complete)

    @handles(Inspection.ReportSectionWritten, Inspection.FactualAccuracyAnswered)
    def report_written(self, event: Inspection.ReportSectionWritten, session: Session) -> None:
        _set(session, event)

    @handles(Inspection.FinalReportIssued)
    def final(self, event: Inspection.FinalReportIssued, session: Session) -> None:
        _set(
            session,
            event,
            status=lifecycle.FINAL_ISSUED,
            final_report_on=event.on,
            challenge_window_ends=event.challenge_window_ends,
        )

    @handles(Inspection.Published)
    def published(self, event: Inspection.Published, session: Session) -> None:
        row = rows_of(session).get(inspections, str(event.originator_id))
        if row is not None:
            _set(
                session,
                event,
                status=lifecycle.PUBLISHED,
                published_on=event.on,
                final_report_on=row["final_report_on"] or event.on,
            )

    @handles(Inspection.ChallengeOpened)
    def challenge_opened(self, event: Inspection.ChallengeOpened, session: Session) -> None:
        _add(session, event, "open_challenges")

    @handles(Inspection.ChallengeResolved)
    def challenge_resolved(self, event: Inspection.ChallengeResolved, session: Session) -> None:
        _add(session, event, "open_challenges", -1)

    @handles(Inspection.Cancelled)
    def cancelled(self, event: Inspection.Cancelled, session: Session) -> None:
        _set(
            session, event, status=lifecycle.CANCELLED, ended_on=event.on, ended_reason=event.reason
        )

    @handles(Inspection.Withdrawn)
    def withdrawn(self, event: Inspection.Withdrawn, session: Session) -> None:
        _set(
            session, event, status=lifecycle.WITHDRAWN, ended_on=event.on, ended_reason=event.reason
        )


def demonstration_ids(conn: Connection) -> set[str]:
    """Return the ids of the demo's invented inspections, which pages mark as such."""
    query = select(inspections.c.id).where(inspections.c.demonstration == 1)
    return set(conn.execute(query).scalars())
