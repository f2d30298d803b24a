"""Public pages of regulated settings: the list with filters, one setting's rating and history."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template, request

from domain.frameworks import FRAMEWORKS
from domain.grades import FOUR_POINT
from domain.setting import SETTING_TYPES
from projections.setting_queries import NOT_RATED, setting_history, setting_row, setting_rows
from web.errors import handle_refusals
from web.pages.common import read

bp = handle_refusals(Blueprint("setting_pages", __name__))


@bp.app_template_filter("setting_type_label")
def setting_type_label(key: str) -> str:
    return SETTING_TYPES.get(key, key)


@bp.app_template_filter("ledger_setting_option")
def setting_option(item: tuple[str, str], chosen: str | None) -> dict[str, Any]:
    """Return a GOV.UK select item for a setting type (its key and label)."""
    key, label = item
    return {"value": key, "text": label, "selected": key == chosen}


@bp.get("/settings")
def index() -> str:
    """List the regulated settings and the grade each holds, filtered by type and grade."""
    chosen = {k: request.args.get(k, "").strip() or None for k in ("type", "grade")}
    with read() as conn:
        rows = setting_rows(conn, **chosen)
    return render_template(
        "settings/index.html",
        title="Ratings of regulated settings",
        rows=rows,
        chosen=chosen,
        types=SETTING_TYPES,
        grades=[*FOUR_POINT.grades, NOT_RATED],
    )


@bp.get("/settings/<urn>")
def setting(urn: str) -> str:
    """Show a setting: who runs it, where, the rating that stands and its published reports."""
    with read() as conn:
        found = setting_row(conn, urn.upper())
        if found is None:
            abort(404)
        history = setting_history(conn, found["urn"])
    current = next((h for h in history if h["inspection_id"] == found["rated_by"]), None)
    return render_template(
        "settings/setting.html",
        title=str(found["name"]),
        setting=found,
        current=current,
        history=history,
        titles={key: f.titles() for key, f in FRAMEWORKS.items()},
    )
