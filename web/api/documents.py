"""An inspection's report as JSON: a version's sections, the changes between two versions,
writing a section and answering a factual accuracy comment."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from marshmallow import Schema, fields, validate

from web.api import schemas
from web.api.auth import actor
from web.api.inspections import current
from web.api.operations import blueprint, ledger, reads, writes
from web.api.preconditions import expected_version
from web.api.representations import InspectionOut, maybe, plain
from web.report_views import ReportView, changes_between, report_view

bp = blueprint("inspection_report", "An inspection's report: its versions, sections and changes")
Str, Int = fields.String, fields.Integer


class VersionArgs(Schema):
    version = Int(
        validate=validate.Range(1, 1000),
        metadata={"description": "A frozen version (1: the draft); the latest when omitted"},
    )


class ChangesArgs(Schema):
    from_ = Int(data_key="from", validate=validate.Range(1, 1000), load_default=1)
    to = Int(validate=validate.Range(1, 1000), metadata={"description": "Default: the latest"})


class SectionOut(Schema):
    key, title = Str(), Str()
    grade, written_by = maybe(Str), maybe(Str)
    parts = fields.Dict(keys=Str(), values=Str())


class VersionSummary(Schema):
    number, stage, issued_on, issued_by, sha256 = Int(), Str(), Str(), Str(), Str()


class ReportOut(Schema):
    inspection_id, council, stage = Str(), Str(), Str()
    version, chain_position = maybe(Int), maybe(Int)
    issued_on, issued_by, sha256, chain_hash = maybe(Str), maybe(Str), maybe(Str), maybe(Str)
    sections = fields.List(fields.Nested(SectionOut))
    versions = fields.List(fields.Nested(VersionSummary))


class ChangeOut(Schema):
    section, title, part, before, after = Str(), Str(), Str(), Str(), Str()
    lines = fields.List(Str())


class ChangesOut(Schema):
    from_ = Int(data_key="from")
    to = Int()
    changes = fields.List(fields.Nested(ChangeOut))


def report_out(view: ReportView) -> dict[str, Any]:
    """Return a version (or the working copy) as the API gives it."""
    version = view.version
    return plain(
        {
            "inspection_id": view.inspection.id,
            "council": view.inspection.council,
            "version": version.number if version else None,
            "stage": version.stage if version else "working copy",
            "issued_on": version.issued_on if version else None,
            "issued_by": version.issued_by if version else None,
            "sha256": view.sha256,
            "chain_position": view.chain_position,
            "chain_hash": view.chain_hash,
            "sections": view.content["sections"],
            "versions": [
                {
                    "number": v.number,
                    "stage": v.stage,
                    "issued_on": v.issued_on,
                    "issued_by": v.issued_by,
                    "sha256": v.sha256,
                }
                for v in view.versions
            ],
        }
    )


@bp.route("/inspections/<uuid:inspection_id>/report", methods=["GET"])
@reads(bp, ReportOut, query=VersionArgs)
def get_report(args: dict[str, Any], inspection_id: UUID) -> Any:
    """Return the report's latest issued version (or `?version=N`) as sections, with its
    SHA-256 and place in the hash chain; before issue, the working copy to the inspectorate."""
    return report_out(report_view(ledger(), actor(), inspection_id, args.get("version")))


@bp.route("/inspections/<uuid:inspection_id>/report/changes", methods=["GET"])
@reads(bp, ChangesOut, query=ChangesArgs)
def get_changes(args: dict[str, Any], inspection_id: UUID) -> Any:
    """Return what differs, part by part, from one version to another (default 1 to latest)."""
    latest = report_view(ledger(), actor(), inspection_id).version
    second = args.get("to") or (latest.number if latest else 1)
    _, _, changes = changes_between(ledger(), actor(), inspection_id, args["from_"], second)
    return {"from": args["from_"], "to": second, "changes": [plain(vars(c)) for c in changes]}


@bp.route("/inspections/<uuid:inspection_id>/report/sections/<section>", methods=["POST"])
@writes(bp, InspectionOut, schemas.SectionText)
def write_section(body: dict[str, Any], inspection_id: UUID, section: str) -> Any:
    """Write one section of the report (an inspector of the lead inspectorate; a partner's
    section, that partner). Send only the parts that change."""
    ledger().write_report_section(
        actor(), inspection_id, section, body, expected_version=expected_version()
    )
    return current(inspection_id)


@bp.route("/inspections/<uuid:inspection_id>/report/answers/<comment_id>", methods=["POST"])
@writes(bp, InspectionOut, schemas.AnswerComment)
def answer(body: dict[str, Any], inspection_id: UUID, comment_id: str) -> Any:
    """Answer a factual accuracy comment: accepted with the change to its section, or not
    accepted with a reason."""
    accepted, reason = body.pop("accepted"), body.pop("reason")
    ledger().answer_comment(
        actor(),
        inspection_id,
        comment_id,
        accepted,
        reason,
        body or None,
        expected_version=expected_version(),
    )
    return current(inspection_id)
