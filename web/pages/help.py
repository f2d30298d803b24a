"""Help and the service's own pages: the frameworks explained, accessibility, privacy, cookies,
contact (no sign-in)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, render_template

from domain.actors import agency_name
from domain.frameworks import FRAMEWORKS, Framework
from domain.inspection_types import inspection_type

bp = Blueprint("help", __name__)

PAGES = {
    "accessibility": "Accessibility statement",
    "privacy": "Privacy notice",
    "cookies": "Cookies",
    "contact": "Contact and feedback",
}


def explained(chosen: Framework) -> dict[str, Any]:
    """Say a framework as a reader needs it, from its data: dates, who, what, how graded."""
    return {
        "key": chosen.key,
        "title": chosen.title,
        "from": chosen.applies_from,
        "to": chosen.applies_to,
        "continued": {inspection_type(t).label: d for t, d in chosen.continued_to.items()},
        "lead": agency_name(chosen.lead_agency),
        "partners": [agency_name(p) for p in chosen.partners if p != chosen.lead_agency],
        "types": [(inspection_type(t).label, str(n)) for t, n in chosen.types.items()],
        "areas": list(chosen.titles().values()),
        "scale": list(chosen.scale.grades) if chosen.graded else [],
        "rules": [rule.describe(chosen.titles()) for rule in chosen.rules],
        "headline": chosen.headline_rule.describe(),
        "rates_council": chosen.rates_council,
    }


@bp.get("/help")
def frameworks() -> str:
    """Explain each inspection framework the ledger records, from the frameworks' own data."""
    return render_template(
        "help/frameworks.html",
        title="How inspections are judged",
        frameworks=[explained(f) for f in FRAMEWORKS.values()],
    )


@bp.get("/<any(accessibility, privacy, cookies, contact):name>")
def page(name: str) -> str:
    """Show one of the service's own pages."""
    return render_template(
        f"help/{name}.html",
        title=PAGES[name],
        contact=current_app.config.get("CONTACT_EMAIL", "inspection-ledger@example.gov.uk"),
    )
