"""What the API returns for each aggregate and event: schemas and the plain values they dump."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from marshmallow import Schema, fields

from domain.action_plan import ActionPlan
from domain.actors import Actor, as_dict
from domain.challenge import Challenge
from domain.council import Council
from domain.inspection import Inspection

Str, Int, Bool = fields.String, fields.Integer, fields.Boolean


def Date(**options: Any) -> fields.Field:  # noqa: N802  (reads as a field class)
    """A date, dumped from the ISO string `plain` made of it."""
    return fields.String(metadata={"format": "date"}, **options)


def Moment(**options: Any) -> fields.Field:  # noqa: N802
    """A time with its UTC offset, dumped from the ISO string `plain` made of it."""
    return fields.String(metadata={"format": "date-time"}, **options)


def texts() -> fields.List:
    return fields.List(fields.String())


def maybe(field: Any) -> fields.Field:
    return field(allow_none=True, required=True)


def plain(value: Any) -> Any:
    """Return the value with dates, times, ids and actors as JSON-ready values."""
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, Actor):
        return as_dict(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [plain(v) for v in value]
    return value


class ActorOut(Schema):
    user, role, organisation = Str(), Str(), Str()


class NarrativeOut(Schema):
    strengths, areas_for_improvement, recommendations = texts(), texts(), texts()


class FindingOut(NarrativeOut):
    reference, agency, summary = Str(), Str(), Str()
    priority_action, recorded_by = Bool(), Str()


class JudgmentOut(NarrativeOut):
    area, grade, made_by = Str(), Str(), Str()
    challenge_id, revised_on = maybe(Str), maybe(Date)


class AnswerOut(Schema):
    accepted, reason, by, on = Bool(), Str(), Str(), Date()


class CommentOut(Schema):
    id, on, comment, by, section = Str(), Date(), Str(), Str(), Str()
    answer = fields.Nested(AnswerOut, allow_none=True)


class InspectionOut(Schema):
    id, council, type, framework, status = Str(), Str(), Str(), Str(), Str()
    setting_urn = Str(metadata={"description": "The regulated setting inspected, or empty"})
    starts_on, notice_on, lead_agency, theme = Date(), Date(), Str(), Str()
    agencies, open_challenges = texts(), texts()
    findings = fields.List(fields.Nested(FindingOut))
    judgments = fields.List(fields.Nested(JudgmentOut))
    comments = fields.List(fields.Nested(CommentOut))
    draft_issued_on, comments_due = maybe(Date), maybe(Date)
    final_report_on, challenge_window_ends = maybe(Date), maybe(Date)
    published_on = maybe(Date)
    comments_complete, withholds_publication = Bool(), Bool()
    ended_reason, version = Str(), Int()


def inspection_out(i: Inspection) -> dict[str, Any]:
    judgments = [{"area": a, "revised_on": None} | j for a, j in i.judgments.items()]
    return plain(
        {
            "id": i.id,
            "council": i.council,
            "setting_urn": i.setting_urn,
            "type": i.type,
            "framework": i.framework_key,
            "status": i.status,
            "starts_on": i.starts_on,
            "notice_on": i.notice_on,
            "lead_agency": i.lead_agency,
            "theme": i.theme,
            "agencies": i.agencies,
            "open_challenges": i.open_challenges,
            "findings": [{"reference": r} | f for r, f in i.findings.items()],
            "judgments": judgments,
            "comments": i.comments,
            "draft_issued_on": i.draft_issued_on,
            "comments_due": i.comments_due,
            "final_report_on": i.final_report_on,
            "challenge_window_ends": i.challenge_window_ends,
            "published_on": i.published_on,
            "comments_complete": i.comments_complete,
            "withholds_publication": i.withholds_publication,
            "ended_reason": i.ended_reason,
            "version": i.version,
        }
    )


class ChallengeOut(Schema):
    id, inspection_id, council, subject, reference = Str(), Str(), Str(), Str(), Str()
    era, stage, status, lodged_by = Str(), Str(), Str(), Str()
    stages = texts()
    lodged_on, response_due = Date(), Date()
    outcome = maybe(Str)
    revisions = fields.Dict(keys=Str(), values=Str())
    steps = fields.List(fields.Dict())
    version = Int()


def challenge_out(c: Challenge) -> dict[str, Any]:
    return plain(
        {
            "id": c.id,
            "inspection_id": c.inspection_id,
            "council": c.council,
            "subject": c.subject,
            "reference": c.reference,
            "era": c.era,
            "stage": c.stage,
            "status": c.status,
            "lodged_by": c.lodged_by.user,
            "stages": c.stages,
            "lodged_on": c.lodged_on,
            "response_due": c.response_due,
            "outcome": c.outcome,
            "revisions": c.revisions,
            "steps": c.steps,
            "version": c.version,
        }
    )


class ProgressOut(Schema):
    on, note = Date(), Str()
    evidence = texts()


class ActionOut(Schema):
    reference, area, recommendation, description, owner = Str(), Str(), Str(), Str(), Str()
    due_on, completed_on = Date(), maybe(Date)
    progress = fields.List(fields.Nested(ProgressOut))


class ActionPlanOut(Schema):
    id, inspection_id, council, kind, summary = Str(), Str(), Str(), Str(), Str()
    opened_on, due_on = Date(), Date()
    submitted_on, completed_on = maybe(Date), maybe(Date)
    inadequate = Bool()
    recommendations = texts()
    actions = fields.List(fields.Nested(ActionOut))
    version = Int()


def action_plan_out(p: ActionPlan) -> dict[str, Any]:
    return plain(
        {
            "id": p.id,
            "inspection_id": p.inspection_id,
            "council": p.council,
            "kind": p.kind,
            "summary": p.summary,
            "opened_on": p.opened_on,
            "due_on": p.due_on,
            "submitted_on": p.submitted_on,
            "completed_on": p.completed_on,
            "inadequate": p.inadequate,
            "recommendations": p.recommendations,
            "actions": [{"reference": r} | a for r, a in p.actions.items()],
            "version": p.version,
        }
    )


class InterventionOut(Schema):
    kind, on, details, by = Str(), Date(), Str(), Str()


class CouncilOut(Schema):
    id, code, name = Str(), Str(), Str()
    details = fields.Dict(keys=Str(), values=Str())
    abolished_on = maybe(Date)
    successors = texts()
    interventions = fields.List(fields.Nested(InterventionOut))
    version = Int()


def council_out(c: Council) -> dict[str, Any]:
    return plain(
        {
            "id": c.id,
            "code": c.code,
            "name": c.name,
            "details": {k: str(v) for k, v in c.details.items()},
            "abolished_on": c.abolished_on,
            "successors": c.successors,
            "interventions": c.interventions,
            "version": c.version,
        }
    )


class EventOut(Schema):
    type = Str(metadata={"description": "The event's class, e.g. Inspection.JudgmentRecorded"})
    aggregate_id, version, recorded_at = Str(), Int(), Moment()
    actor = fields.Nested(ActorOut, allow_none=True)
    data = fields.Dict(keys=Str(), metadata={"description": "The event's own fields"})


SKIPPED = {"originator_id", "originator_version", "timestamp", "actor", "originator_topic"}


def event_out(event: Any) -> dict[str, Any]:
    values = vars(event)
    return plain(
        {
            "type": type(event).__qualname__,
            "aggregate_id": event.originator_id,
            "version": event.originator_version,
            "recorded_at": event.timestamp,
            "actor": values.get("actor"),
            "data": {k: v for k, v in values.items() if k not in SKIPPED},
        }
    )
