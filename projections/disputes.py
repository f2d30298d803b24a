"""The audit trail of disputed judgments: original grade, every step, revisions, what stands."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, Column, Date, Table, Text, bindparam, select
from sqlalchemy.orm import Session

from domain.challenge import Challenge
from domain.inspection import Inspection
from projections.base import LedgerProjection, handles, metadata
from projections.batch import Rows, rows_of
from projections.views import ReadModelView

challenges = Table(
    "rm_challenges",
    metadata,
    Column("id", Text, primary_key=True),
    Column("inspection_id", Text, nullable=False, index=True),
    Column("council", Text, nullable=False, index=True),
    Column("subject", Text, nullable=False),
    Column("reference", Text, nullable=False),
    Column("original_grade", Text),
    Column("current_grade", Text),
    Column("era", Text, nullable=False),
    Column("stage", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("outcome", Text),
    Column("lodged_on", Date, nullable=False),
    Column("response_due", Date, nullable=False),
    Column("steps", JSON, nullable=False),
)
# The grades each challenged inspection holds, so a challenge can name its original grade.
dispute_grades = Table(
    "rm_dispute_grades",
    metadata,
    Column("inspection_id", Text, primary_key=True),
    Column("area", Text, primary_key=True),
    Column("grade", Text, nullable=False),
)


class DisputesView(ReadModelView):
    model_tables = (challenges, dispute_grades)


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _append_step(session: Session, challenge_id: str, step: dict[str, Any], **values: Any) -> None:
    row = rows_of(session).get(challenges, challenge_id)
    if row is None:
        raise LookupError(f"No challenge {challenge_id} is recorded")
    step = {k: _iso(v) for k, v in step.items()}
    if "on" in step and step["step"] in ("decided", "adjudicator recommended"):
        step["deadline"] = row["response_due"].isoformat()
        step["deadline_met"] = step["on"] <= row["response_due"].isoformat()
    rows_of(session).update(challenges, (challenge_id,), steps=[*row["steps"], step], **values)


def _grade(session: Session, inspection_id: str, area: str) -> str | None:
    row = rows_of(session).get(dispute_grades, inspection_id, area)
    return None if row is None else row["grade"]


CHALLENGE_EVENTS = (
    Challenge.Lodged,
    Challenge.Decided,
    Challenge.Escalated,
    Challenge.AdjudicatorRecommended,
    Challenge.Closed,
)


class DisputesProjection(LedgerProjection):
    name = "disputes"

    def prefetch(self, events: list[Any], rows: Rows) -> None:
        judgments = (Inspection.JudgmentRecorded, Inspection.JudgmentRevised)
        challenged = {e.inspection_id for e in events if isinstance(e, Challenge.Lodged)}
        judged = {str(e.originator_id) for e in events if isinstance(e, judgments)}
        rows.load(dispute_grades, 0, challenged | judged)
        steps = [str(e.originator_id) for e in events if isinstance(e, CHALLENGE_EVENTS)]
        steps += [e.challenge_id for e in events if getattr(e, "challenge_id", None)]
        rows.load(challenges, 0, steps)

    @handles(Inspection.JudgmentRecorded)
    def judged(self, event: Inspection.JudgmentRecorded, session: Session) -> None:
        key = (str(event.originator_id), event.area)
        if _grade(session, *key) is not None:
            rows_of(session).update(dispute_grades, key, grade=event.grade)
        else:
            rows_of(session).insert(
                dispute_grades, inspection_id=key[0], area=key[1], grade=event.grade
            )

    @handles(Challenge.Lodged)
    def lodged(self, event: Challenge.Lodged, session: Session) -> None:
        original = _grade(session, event.inspection_id, event.reference)
        rows_of(session).insert(
            challenges,
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
                "adjudicator": event.adjudicator_name,
                "evidence": event.evidence,
            },
            status="closed",
        )

    @handles(Challenge.Closed)
    def closed(self, event: Challenge.Closed, session: Session) -> None:
        _append_step(
            session,
            str(event.originator_id),
            {"step": "closed", "by": event.actor.user, "on": event.on, "reasons": event.reason},
            status="closed",
        )

    @handles(Inspection.JudgmentRevised)
    def revised(self, event: Inspection.JudgmentRevised, session: Session) -> None:
        rows = rows_of(session)
        inspection_id = str(event.originator_id)
        rows.update(dispute_grades, (inspection_id, event.area), grade=event.grade)
        rows.flush()  # then find, in SQL, every challenge to this judgment
        found = session.execute(_ON_AREA, {"inspection": inspection_id, "area": event.area})
        for challenge_id in found.scalars():
            rows.update(challenges, (challenge_id,), current_grade=event.grade)
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


# every challenge to one judgment (built once: a statement built per event was garbage that
# a rebuild, its collector paused, kept to the end)
_ON_AREA = select(challenges.c.id).where(
    (challenges.c.inspection_id == bindparam("inspection"))
    & (challenges.c.reference == bindparam("area"))
)
