"""The report's pages: the report in the workspace, writing a section, answering a comment,
the changes between versions, and the report as a PDF."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from domain import permissions as can
from domain.actors import Actor
from domain.commands.reports import may_read_working_copy
from domain.errors import NotFound, UnknownReportSection
from domain.inspection import DRAFT_ISSUED, Inspection
from domain.inspection.writing import WRITABLE
from web.auth import actor, staff_only
from web.errors import handle_refusals
from web.forms_report import AnswerForm, SectionForm
from web.history import READER
from web.pages.common import allowed, council_names, ledger, submit_flow
from web.report_pdf import report_pdf
from web.report_views import ReportView, changes_between, report_view

bp = handle_refusals(Blueprint("report_pages", __name__))


def reader() -> tuple[Actor, bool]:
    """Return who reads, and whether only what is published may be shown (not signed in)."""
    if current_user.is_authenticated:
        return actor(), False
    return READER, True


def writable(me: Actor, inspection: Inspection) -> set[str]:
    """Return the sections the signed-in person may write now (the aggregate's own rule)."""
    if inspection.status not in WRITABLE:
        return set()
    outline = inspection.report_outline()
    return {s.key for s in outline if allowed(lambda s=s: inspection.check_may_write(me, s))}


@bp.get("/inspections/<uuid:id>/report")
@staff_only
def report(id: UUID) -> str:
    """Show the report a section at a time: the working copy to the inspectorate, the issued
    version to the council, with its comments and their answers."""
    me = actor()
    inspection = ledger().inspection(me, id)
    asked = _version_asked()
    if asked is None and may_read_working_copy(me, inspection):
        view = ReportView(inspection, None, inspection.working_copy(), None, None)
    else:
        view = report_view(ledger(), me, id, asked)
    return render_template(
        "reports/report.html",
        title="Report",
        inspection=inspection,
        view=view,
        writable=writable(me, inspection),
        today=ledger().today(),
        may_answer=allowed(lambda: can.must_be_lead_inspectorate(me, inspection.lead_agency, "a"))
        and inspection.status == DRAFT_ISSUED,
    )


def _version_asked() -> int | None:
    value = request.args.get("version", "")
    if not value:
        return None
    if not value.isdigit() or len(value) > 4:
        abort(404)
    return int(value)


@bp.route("/inspections/<uuid:id>/report/sections/<key>", methods=["GET", "POST"])
@staff_only
def section(id: UUID, key: str) -> ResponseReturnValue:
    """Write one section of the report; the check-your-answers page shows it before it is kept."""
    me = actor()
    inspection = ledger().inspection(me, id)
    try:
        chosen = inspection.report_section(key)
    except UnknownReportSection:
        abort(404)
    current = inspection.working_section(key)
    form = SectionForm(data=current).for_section(chosen)
    form.refusal_anchor = chosen.parts[0]

    def run() -> str:
        ledger().write_report_section(me, id, key, form.parts(chosen))
        return url_for("report_pages.report", id=id) + f"#{_anchor(key)}"

    return submit_flow(
        form,
        "reports/section.html",
        lambda: [(chosen.part_title(p), form[p].data) for p in chosen.parts],
        run,
        f"{chosen.title}: saved",
        f"Write: {chosen.title}",
        inspection=inspection,
        section=chosen,
    )


def _anchor(key: str) -> str:
    return "section-" + key.replace(":", "-")


@bp.route("/inspections/<uuid:id>/report/answers/<comment_id>", methods=["GET", "POST"])
@staff_only
def answer(id: UUID, comment_id: str) -> ResponseReturnValue:
    """Answer a factual accuracy comment: accepted with the change, or not with a reason."""
    me = actor()
    inspection = ledger().inspection(me, id)
    can.must_be_lead_inspectorate(me, inspection.lead_agency, "answer comments")
    comment = next((c for c in inspection.comments if c["id"] == comment_id), None)
    if comment is None or not comment["comment"]:
        abort(404)
    chosen = inspection.report_section(comment["section"]) if comment["section"] else None
    data = inspection.working_section(chosen.key) if chosen else {}
    form = AnswerForm(data=data)
    form.for_section(chosen)
    form.refusal_anchor = "accepted"

    def parts() -> dict[str, str] | None:
        return form.parts(chosen) if chosen and form.accepted.data == "yes" else None

    def run() -> str:
        accepted = form.accepted.data == "yes"
        ledger().answer_comment(me, id, comment_id, accepted, form.reason.data or "", parts())
        return url_for("report_pages.report", id=id) + f"#comment-{comment_id}"

    def answers() -> list[tuple[str, str]]:
        rows = [("Accepted", "Yes" if form.accepted.data == "yes" else "No")]
        rows += [("Reason", form.reason.data or "")]
        changed = parts() or {}
        return rows + [(chosen.part_title(p), t) for p, t in changed.items()] if chosen else rows

    return submit_flow(
        form,
        "reports/answer.html",
        answers,
        run,
        f"Comment {comment_id} answered",
        f"Answer comment {comment_id}",
        inspection=inspection,
        comment=comment,
        section=chosen,
    )


@bp.get("/reports/<uuid:id>/changes")
def changes(id: UUID) -> str:
    """Show what changed from one version of a report to another (default 1 to latest)."""
    who, published_only = reader()
    try:
        latest = report_view(ledger(), who, id, published_only=published_only)
        first = _number("from", 1)
        second = _number("to", latest.version.number if latest.version else 1)
        before, after, found = changes_between(ledger(), who, id, first, second, published_only)
    except NotFound:
        abort(404)
    return render_template(
        "reports/changes.html",
        title="Changes between versions",
        inspection=latest.inspection,
        council=council_names().get(latest.inspection.council, latest.inspection.council),
        before=before,
        after=after,
        changes=found,
        versions=latest.versions,
    )


def _number(name: str, default: int) -> int:
    value = request.args.get(name, "")
    if not value:
        return default
    if not value.isdigit() or len(value) > 4:
        abort(404)
    return int(value)


@bp.get("/reports/<uuid:id>.pdf")
def pdf(id: UUID) -> Response:
    """Return the published report (or, to its readers, the draft) as a tagged PDF."""
    who, published_only = reader()
    try:
        view = report_view(ledger(), who, id, _version_asked(), published_only)
    except NotFound:
        abort(404)
    if view.version is None:
        abort(404)
    body = report_pdf(view, _names(view), request.host_url)
    filename = f"report-{id}-v{view.version.number}.pdf"
    return Response(
        body,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )


def _names(view: ReportView) -> dict[str, Any]:
    return {"council": council_names().get(view.inspection.council, view.inspection.council)}
