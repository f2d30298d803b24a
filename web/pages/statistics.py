"""Public statistics as of a date, and the ratings and the figures as CSV and ODS."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask import Blueprint, Response, abort, render_template, request
from flask_wtf import FlaskForm

from domain.frameworks import FRAMEWORKS
from domain.grades import FOUR_POINT
from domain.inspection_types import inspection_type
from projections.queries import ratings
from projections.statistics import NO_HEADLINE, national_statistics
from web.forms import date_errors_fixed, date_field
from web.pages.common import ledger, read
from web.spreadsheet import Sheet, csv_download, ods_download

bp = Blueprint("statistics", __name__)
GRADES = [*FOUR_POINT.grades, NO_HEADLINE]
RATING_COLUMNS = [
    *("Council code", "Council", "Region", "Type of council", "Framework", "Inspection"),
    *("Published", "Headline grade"),
]


class OnForm(FlaskForm):
    on = date_field(
        "Figures as of",
        None,
        "The date must be a real date, for example 31 3 2021",
        description="Leave blank for today. For example, 31 3 2021",
    )


def _titles() -> dict[str, str]:
    titles: dict[str, str] = {}
    for chosen in FRAMEWORKS.values():
        titles |= chosen.titles()  # the latest framework names an area shared with older ones
    return titles


def _wide(counts: dict[str, dict[str, int]], name: Callable[[str], str] = str) -> list[list[Any]]:
    return [[name(key), *(row.get(g, 0) for g in GRADES)] for key, row in counts.items()]


def figure_tables(figures: dict[str, Any]) -> list[Sheet]:
    """Return the figures as the tables the page, the CSV and the ODS all give."""
    titles = _titles()
    headline = [[g, figures["headline"].get(g, 0)] for g in GRADES]
    moves = [[k, v] for k, v in figures["movements"].items()]
    return [
        ("Headline", ["Headline grade", "Councils"], headline),
        ("By region", ["Region", *GRADES], _wide(figures["by_region"])),
        ("By type of council", ["Type of council", *GRADES], _wide(figures["by_council_type"])),
        (
            "By judgment",
            ["Judgment", *GRADES],
            _wide(figures["by_area"], lambda a: titles.get(a, a)),
        ),
        ("Movements", ["Between successive inspections", "Councils"], moves),
    ]


def _as_of() -> tuple[OnForm, date | None]:
    form = OnForm(request.args, meta={"csrf": False})
    if not form.validate():
        date_errors_fixed(form)
        return form, None
    return form, form.on.data or ledger().today()


@bp.get("/statistics")
def page() -> Any:
    """Show national figures as of a date, by headline grade, region, type and judgment."""
    form, on = _as_of()
    if on is None:
        return render_template("public/statistics.html", title="Statistics", form=form), 400
    with read() as conn:
        figures = national_statistics(conn, on, ledger().policy)
    return render_template(
        "public/statistics.html",
        title="Statistics",
        form=form,
        figures=figures,
        on=on,
        tables=figure_tables(figures),
    )


@bp.get("/statistics.<any(csv, ods):kind>")
def figures_download(kind: str) -> Response:
    """Give the page's figures as one CSV (section, group, grade, councils) or an ODS."""
    _, on = _as_of()
    if on is None:
        abort(400)
    with read() as conn:
        sheets = figure_tables(national_statistics(conn, on, ledger().policy))
    name = f"statistics-{on.isoformat()}.{kind}"
    if kind == "ods":
        return ods_download(name, sheets)
    rows = [
        [title, row[0], header[i], value]
        for title, header, body in sheets
        for row in body
        for i, value in enumerate(row[1:], start=1)
    ]
    return csv_download(name, ["table", "group", "column", "councils"], rows)


@bp.get("/ratings.<any(csv, ods):kind>")
def ratings_download(kind: str) -> Response:
    """Give every council's current ratings, one row per council, as CSV or ODS."""
    with read() as conn:
        found = ratings(conn, policy=ledger().policy)
    titles = _titles()
    areas = sorted({a for r in found for a in r.grades}, key=lambda a: titles.get(a, a))
    header = [*RATING_COLUMNS, *(titles.get(a, a) for a in areas)]
    rows = [
        [
            *(r.council, r.name, r.region, r.council_type, FRAMEWORKS[r.framework].title),
            *(inspection_type(r.inspection_type).label, r.published_on.isoformat()),
            r.headline or NO_HEADLINE,
            *(r.grades.get(a, "") for a in areas),
        ]
        for r in found
    ]
    name = f"ratings-{ledger().today().isoformat()}.{kind}"
    if kind == "ods":
        return ods_download(name, [("Ratings", header, rows)])
    return csv_download(name, header, rows)
