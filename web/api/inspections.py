"""Inspections and their lifecycle: schedule, fieldwork, findings, judgments, reports."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from marshmallow import Schema, fields, validate
from sqlalchemy import select

from domain import permissions as can
from domain.errors import GradeNotOnScale, JudgmentRequired, LedgerError, UnknownJudgmentArea
from domain.events import JudgmentInput, Narrative
from domain.inspection import OPEN_STATUSES, PUBLISHED
from projections.inspections import inspections as rm_inspections
from projections.schedule import scheduling_history
from web.api import schemas
from web.api.auth import actor
from web.api.operations import answer, blueprint, ledger, read_models, reads, writes
from web.api.pagination import PageArgs, page, page_schema
from web.api.preconditions import expected_version
from web.api.problems import ApiProblem
from web.api.representations import Date, InspectionOut, inspection_out, maybe, plain, texts

bp = blueprint("inspections", "Inspections and visits, from scheduling to publication")
FIELD_REFUSALS = (UnknownJudgmentArea, GradeNotOnScale, JudgmentRequired)  # one judgment's fault
STATUSES = [*OPEN_STATUSES, PUBLISHED, "cancelled", "withdrawn"]


class InspectionArgs(PageArgs):
    council = fields.String(metadata={"description": "Only this council's (ONS code)"})
    status = fields.String(validate=validate.OneOf(STATUSES))


class InspectionRow(Schema):
    id, council, setting_urn, type, framework = (
        fields.String(),
        fields.String(),
        fields.String(),
        fields.String(),
        fields.String(),
    )
    lead_agency, theme, status = fields.String(), fields.String(), fields.String()
    agencies = texts()
    starts_on, notice_on = Date(), Date()
    comments_due, published_on, final_report_on = maybe(Date), maybe(Date), maybe(Date)
    overall = maybe(fields.String)
    findings, judgments, open_challenges = fields.Integer(), fields.Integer(), fields.Integer()
    version = fields.Integer()


def current(inspection_id: UUID, status: int = 200) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Answer with the inspection as it stands now, after a change the actor made."""
    inspection = ledger().aggregate(inspection_id)
    return answer(
        inspection_out(inspection), inspection.version, status, f"/inspections/{inspection_id}"
    )


@bp.route("/inspections", methods=["GET"])
@reads(bp, page_schema(InspectionRow, "InspectionPage"), query=InspectionArgs, errors=(401,))
def list_inspections(args: dict[str, Any]) -> Any:
    """List the inspections the caller may see, oldest first."""
    query = select(rm_inspections).order_by(rm_inspections.c.starts_on, rm_inspections.c.id)
    if args.get("council"):
        query = query.where(rm_inspections.c.council == args["council"])
    if args.get("status"):
        query = query.where(rm_inspections.c.status == args["status"])
    with read_models() as conn:
        rows = conn.execute(query).mappings().all()
    who = actor()
    visible = [
        plain(dict(r))
        for r in rows
        if can.may_read_inspection(who, r["council"], r["agencies"], r["published_on"] is not None)
    ]
    return page(visible, args)


@bp.route("/inspections", methods=["POST"])
@writes(bp, InspectionOut, schemas.ScheduleInspection, status=201, if_match=False)
def schedule(body: dict[str, Any]) -> Any:
    """Schedule an inspection (an inspector or moderator of the lead inspectorate)."""
    with read_models() as conn:
        previous, visits = scheduling_history(
            conn, body["council"], ledger().today(), ledger().policy
        )
    created = ledger().schedule_inspection(
        actor(),
        body["council"],
        body["type"],
        body["starts_on"],
        body["framework"],
        tuple(body["agencies"]),
        body["theme"],
        previous,
        body["reason"],
        visits,
        body["setting_urn"],
        reason_concern=body["reason_concern"],
    )
    return current(created, 201)


@bp.route("/inspections/<uuid:inspection_id>", methods=["GET"])
@reads(bp, InspectionOut, versioned=True)
def get_inspection(inspection_id: UUID) -> Any:
    """Return an inspection with its findings and judgments; the ETag is its version."""
    inspection = ledger().inspection(actor(), inspection_id)
    return answer(inspection_out(inspection), inspection.version)


def _lifecycle(path: str, command: str, doc: str, body: type[Schema] | None = None) -> None:
    """Register a POST that runs one Ledger command on the inspection."""

    def run(*args: Any, inspection_id: UUID) -> Any:
        values = args[0] if args else {}
        getattr(ledger(), command)(
            actor(), inspection_id, expected_version=expected_version(), **values
        )
        return current(inspection_id)

    run.__name__, run.__doc__ = command, doc
    bp.route(f"/inspections/<uuid:inspection_id>/{path}", methods=["POST"])(
        writes(bp, InspectionOut, body)(run)
    )


_lifecycle("on-site", "start_on_site", "Record that fieldwork has begun.")
_lifecycle("judgments-complete", "complete_judgments", "Close fieldwork; every area is graded.")
_lifecycle("draft", "issue_draft", "Send the draft report to the council.")
_lifecycle(
    "comments",
    "comment_on_draft",
    "Record the council's factual accuracy comment.",
    schemas.CommentOnDraft,
)
_lifecycle("final-report", "issue_final_report", "Approve the final report (a moderator).")
_lifecycle("publication", "publish", "Publish the report (a moderator); plans open.")
_lifecycle("cancellation", "cancel_inspection", "Cancel before publication.", schemas.Reason)
_lifecycle("withdrawal", "withdraw_inspection", "Withdraw an unpublished report.", schemas.Reason)


@bp.route("/inspections/<uuid:inspection_id>/findings", methods=["POST"])
@writes(bp, InspectionOut, schemas.RecordFinding, status=201)
def record_finding(body: dict[str, Any], inspection_id: UUID) -> Any:
    """Record one participating agency's finding."""
    ledger().record_finding(
        actor(),
        inspection_id,
        body["agency"],
        body["summary"],
        _narrative(body),
        body["priority_action"],
        expected_version=expected_version(),
    )
    return current(inspection_id, 201)


@bp.route("/inspections/<uuid:inspection_id>/judgments", methods=["POST"])
@writes(bp, InspectionOut, schemas.RecordJudgments)
def record_judgments(body: dict[str, Any], inspection_id: UUID) -> Any:
    """Record graded judgments; a set that breaks the framework's rules is refused (422)."""
    judgments = [JudgmentInput(j["area"], j["grade"], _narrative(j)) for j in body["judgments"]]
    try:
        ledger().record_judgments(
            actor(), inspection_id, judgments, expected_version=expected_version()
        )
    except FIELD_REFUSALS as refusal:
        raise _on_its_field(refusal, inspection_id, judgments) from refusal
    return current(inspection_id)


def _on_its_field(
    refusal: LedgerError, inspection_id: UUID, judgments: list[JudgmentInput]
) -> Exception:
    """Name the field a refused area or grade came in (e.g. `judgments.2.grade`): the
    refusal came after the permission checks, so the inspection may be read."""
    framework = ledger().aggregate(inspection_id).framework
    for index, judgment in enumerate(judgments):
        try:
            framework.check_grade(judgment.area, judgment.grade)
        except LedgerError as found:
            name = "area" if isinstance(found, UnknownJudgmentArea) else "grade"
            field = {"field": f"judgments.{index}.{name}", "message": found.message}
            return ApiProblem(422, refusal.rule, refusal.message, errors=[field])
    return refusal


def _narrative(values: dict[str, Any]) -> Narrative:
    return Narrative(
        values["strengths"], values["areas_for_improvement"], values["recommendations"]
    )
