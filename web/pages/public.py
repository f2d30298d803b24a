"""Public pages, no sign-in: current ratings with filters, a council's history, its reports."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.engine import Connection

from adapters.reference_data import ofsted_reports_page
from domain import limits
from domain.council import must_be_able_to_record_interventions
from domain.errors import NotFound
from domain.frameworks import FRAMEWORKS
from domain.grades import FOUR_POINT
from domain.inspection import DEMONSTRATION, Inspection
from projections.inspections import demonstration_ids, inspections
from projections.queries import council_rows, every_council_row, rating_history, ratings
from projections.setting_queries import setting_row, setting_rows
from web.auth import actor
from web.errors import handle_refusals
from web.forms import text
from web.history import READER
from web.pages.chart import headline_points, placed
from web.pages.common import allowed, last_recorded, ledger, read
from web.pages.paging import paged
from web.report_views import publication_index

bp = handle_refusals(Blueprint("public", __name__))


PAGE_SIZE = 50


@bp.get("/")
def index() -> tuple[str, int]:
    """List every council's current ratings: searched by name, filtered, a page at a time."""
    chosen = {
        k: request.args.get(k, "").strip() or None for k in ("region", "council_type", "grade")
    }
    form = SearchForm(request.args, meta={"csrf": False})
    searched = form.validate()
    query = (form.q.data or "").strip() if searched else ""
    with read() as conn:
        councils = council_rows(conn)
        rows = ratings(conn, **chosen, policy=ledger().policy)
        demo_ids = demonstration_ids(conn)
    if query:
        rows = [r for r in rows if query.casefold() in r.name.casefold()]
    shown, pagination = paged(rows, PAGE_SIZE, request.args.get("page"))
    regions = sorted({c["region"] for c in councils.values() if c["region"]})
    types = sorted({c["council_type"] for c in councils.values() if c["council_type"]})
    page = render_template(
        "public/index.html",
        title="Ratings of children's services",
        form=form,
        rows=shown,
        demo_ids=demo_ids,
        found=len(rows),
        pagination=pagination,
        query=query,
        chosen=chosen,
        regions=regions,
        types=types,
        grades=FOUR_POINT.grades,
        total=len(councils),
    )
    return page, 200 if searched else 400


class SearchForm(FlaskForm):
    q = text("Council name", limit=limits.SEARCH, description="For example, Barnet")


def _council(code: str) -> dict[str, object]:
    with read() as conn:
        for row in every_council_row(conn).values():
            if code.lower() in {row["code"].lower(), row["ons_code_2024"].lower(), row["dfe_code"]}:
                return dict(row)
    abort(404)


def _chart_end(found: Any) -> date:
    """The chart runs to today, or to the day an abolished council ceased."""
    return found["abolished_on"] or ledger().today()


def _standing(conn: Connection, found: Any) -> Any:
    """Return a council's ratings now or, once abolished, those it held on its last day."""
    last_day = found["abolished_on"] and found["abolished_on"] - timedelta(days=1)
    return next((r for r in ratings(conn, as_of=last_day) if r.council == found["code"]), None)


@bp.get("/councils/<code>")
def council(code: str) -> str:
    """Show a council's ratings, a chart of grades over time, and its published reports."""
    found = _council(code)
    with read() as conn:
        history = rating_history(conn, str(found["code"]))
        current = _standing(conn, found)
        settings = setting_rows(conn, council=str(found["code"]))
        demo_ids = demonstration_ids(conn)
        reports = (
            conn.execute(
                select(inspections)
                .where(
                    (inspections.c.council == found["code"])
                    & (inspections.c.setting_urn == "")  # a setting's reports are on its page
                    & inspections.c.published_on.is_not(None)
                )
                .order_by(inspections.c.published_on.desc())
            )
            .mappings()
            .all()
        )
    return render_template(
        "public/council.html",
        title=str(found["name"]),
        council=found,
        current=current,
        demo_ids=demo_ids,
        recorded=last_recorded(history, current.inspection_id) if current else None,
        titles=_titles(),
        history=history,
        chart=placed(headline_points(history, ledger().policy), _chart_end(found)),
        reports=reports,
        settings=settings,
        may_record_intervention=current_user.is_authenticated
        and allowed(lambda: must_be_able_to_record_interventions(actor())),
    )


def _titles() -> dict[str, dict[str, str]]:
    return {key: f.titles() for key, f in FRAMEWORKS.items()}


@bp.get("/reports/<uuid:id>")
def report(id: UUID) -> str:
    """Show a published report or letter: its judgments and findings."""
    try:
        inspection = ledger().inspection(READER, id)
    except NotFound:
        abort(404)
    if inspection.published_on is None:
        abort(404)
    with read() as conn:
        setting = setting_row(conn, inspection.setting_urn) if inspection.setting_urn else None
    subject = setting["name"] if setting else _council(inspection.council)["name"]
    return render_template(
        "public/report.html",
        title=f"Report: {subject}",
        inspection=inspection,
        setting=setting,
        council=_council(inspection.council),
        titles=inspection.framework.titles(),
        version=inspection.report_version(),
        ofsted_page=_ofsted_page(inspection),
    )


@bp.get("/reports/<uuid:id>/proof")
def proof(id: UUID) -> Response:
    """Download the proof bundle that the event publishing the report is in the log, checked
    offline with `ledger audit check BUNDLE --key KEY`; only of a published report."""
    try:
        inspection = ledger().inspection(READER, id)
        if inspection.published_on is None:
            abort(404)
        index = publication_index(ledger(), id)
    except NotFound:
        abort(404)
    bundle, _ = current_app.extensions["log_checkpoints"].bundle(index)
    return Response(
        bundle,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="report-{id}-proof.json"'},
    )


def _ofsted_page(inspection: Inspection) -> str | None:
    """Link an imported inspection of Ofsted's to Ofsted's own reports on the council."""
    if inspection.source in ("", DEMONSTRATION) or inspection.lead_agency != "OFSTED":
        return None
    return ofsted_reports_page(ledger().council(inspection.council).details)
