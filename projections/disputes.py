"""The audit trail of disputed judgments: original grade, every step, revisions, what stands."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, Column, Date, String, Table, select, update
from sqlalchemy.orm import Session

from domain.challenge import Challenge
from domain.inspection import Inspection
from projections.base import LedgerProjection, ReadModelView, handles, metadata

challenges = Table(
    "rm_challenges",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("inspection_id", String(36), nullable=False, index=True),
    Column("council", String(20), nullable=False, index=True),
    Column("subject", String(20), nullable=False),
    Column("reference", String(40), nullable=False),
    Column("original_grade", String(40)),
    Column("current_grade", String(40)),
    Column("era", String(40), nullable=False),
    Column("stage", String(40), nullable=False),
    Column("status", String(30), nullable=False),
    Column("outcome", String(30)),
    Column("lodged_on", Date, nullable=False),
    Column("response_due", Date, nullable=False),
    Column("steps", JSON, nullable=False),
)
# The grades each challenged inspection holds, so a challenge can name its original grade.
dispute_grades = Table(
    "rm_dispute_grades",
    metadata,
    Column("inspection_id", String(36), primary_key=True),
    Column("area", String(40), primary_key=True),
    Column("grade", String(40), nullable=False),
)


class DisputesView(ReadModelView):
    model_tables = (challenges, dispute_grades)


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _append_step(session: Session, challenge_id: str, step: dict[str, Any], **values: Any) -> None:
    where = challenges.c.id == challenge_id
    row = session.execute(select(challenges.c.steps, challenges.c.response_due).where(where)).one()
    step = {k: _iso(v) for k, v in step.items()}
    if "on" in step and step["step"] in ("decided", "adjudicator recommended"):
        step["deadline"] = row.response_due.isoformat()
        step["deadline_met"] = step["on"] <= row.response_due.isoformat()
    session.execute(update(challenges).where(where).values(steps=[*row.steps, step], **values))


class DisputesProjection(LedgerProjection):
    name = "disputes"

    @handles(Inspection.JudgmentRecorded)
    def judged(self, event: Inspection.JudgmentRecorded, session: Session) -> None:
        key = {"inspection_id": str(event.originator_id), "area": event.area}
        exists = session.execute(select(dispute_grades.c.grade).filter_by(**key)).first()
        if exists:
            session.execute(update(dispute_grades).filter_by(**key).values(grade=event.grade))
        else:
            session.execute(dispute_grades.insert().values(grade=event.grade, **key))

    @handles(Challenge.Lodged)
    def lodged(self, event: Challenge.Lodged, session: Session) -> None:
        original = session.execute(
            select(dispute_grades.c.grade).filter_by(
                inspection_id=event.inspection_id, area=event.reference
            )
        ).scalar()
        session.execute(
            challenges.insert().values(
                id=str(event.originator_id),
                inspection_id=event.inspection_id,
                council=event.council,
                subject=event.subject,
                reference=event.reference,
                original_grade=original,
                current_grade=original,
                era=event.era,
                stage=event.stages[0],
                status="under review",
                lodged_on=event.on,
                response_due=event.response_due,
                steps=[
                    {
                        "step": "lodged",
                        "stage": event.stages[0],
                        "by": event.actor.user,
                        "organisation": event.actor.organisation,
                        "on": event.on.isoformat(),
                        "grounds": event.grounds,
                        "evidence": list(event.evidence),
                        "deadline": event.response_due.isoformat(),
                    }
                ],
            )
        )

    @handles(Challenge.Decided)
    def decided(self, event: Challenge.Decided, session: Session) -> None:
        _append_step(
            session,
            str(event.originator_id),
            {
                "step": "decided",
                "stage": event.stage,
                "by": event.actor.user,
                "on": event.on,
                "outcome": event.outcome,
                "reasons": event.reasons,
                "evidence": list(event.evidence),
                "revisions": dict(event.revisions),
                "withdraw_report": event.withdraw_report,
            },
            status="decided",
            outcome=event.outcome,
        )

    @handles(Challenge.Escalated)
    def escalated(self, event: Challenge.Escalated, session: Session) -> None:
        _append_step(
            session,
            str(event.originator_id),
            {
                "step": "escalated",
                "stage": event.to_stage,
                "by": event.actor.user,
                "on": event.on,
                "grounds": event.grounds,
                "deadline": event.response_due,
            },
            stage=event.to_stage,
            status="under review",
            response_due=event.response_due,
        )

    @handles(Challenge.AdjudicatorRecommended)
    def adjudicated(self, event: Challenge.AdjudicatorRecommended, session: Session) -> None:
        _append_step(
            session,
            str(event.originator_id),
            {
                "step": "adjudicator recommended",
                "stage": "adjudicator",
                "by": event.actor.user,
                "on": event.on,
                "outcome": event.outcome,
                "recommendation": event.recommendation,
            },
            status="closed",
        )

    @handles(Inspection.JudgmentRevised)
    def revised(self, event: Inspection.JudgmentRevised, session: Session) -> None:
        key = {"inspection_id": str(event.originator_id), "area": event.area}
        session.execute(update(dispute_grades).filter_by(**key).values(grade=event.grade))
        on_area = (challenges.c.inspection_id == key["inspection_id"]) & (
            challenges.c.reference == event.area
        )
        session.execute(update(challenges).where(on_area).values(current_grade=event.grade))
        _append_step(
            session,
            event.challenge_id,
            {
                "step": "judgment revised",
                "area": event.area,
                "from": event.previous_grade,
                "to": event.grade,
                "by": event.actor.user,
                "on": event.effective_on,
                "reasons": event.reason,
            },
        )

    @handles(Inspection.Withdrawn)
    def withdrawn(self, event: Inspection.Withdrawn, session: Session) -> None:
        if event.challenge_id:
            _append_step(
                session,
                event.challenge_id,
                {
                    "step": "report withdrawn",
                    "by": event.actor.user,
                    "on": event.on,
                    "reasons": event.reason,
                },
            )
