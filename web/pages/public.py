"""Public pages: every council and its published history (no sign-in)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template

from domain.errors import NotFound
from domain.rules import OVERALL
from domain.services import Ledger
from web.history import council_history, find_council

bp = Blueprint("public", __name__)


def ledger() -> Ledger:
    app_ledger: Ledger = current_app.extensions["ledger"]
    return app_ledger


@bp.get("/healthz")
def healthz() -> dict[str, str]:
    """Say the process is up."""
    return {"status": "ok"}


@bp.get("/")
def index() -> str:
    """List every council."""
    councils = [c for c in ledger().councils() if c.abolished_on is None]
    return render_template("index.html", councils=councils)


@bp.get("/councils/<code>")
def council(code: str) -> str:
    """Show a council's published inspections and grades."""
    try:
        found = find_council(ledger(), code)
    except NotFound:
        abort(404)
    rows = [r for r in council_history(ledger(), found.code) if r["published_on"]]
    return render_template("council.html", council=found, rows=rows, overall=OVERALL)
