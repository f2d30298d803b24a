"""DfE intervention on a council: recorded by an administrator or an Ofsted moderator."""

from __future__ import annotations

from flask import Blueprint, url_for
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import SubmitField

from domain import limits
from domain.actors import Role
from domain.council import INTERVENTIONS
from web.auth import actor, roles
from web.errors import handle_refusals
from web.forms import date_field, radios, textarea
from web.pages.common import ledger, submit_flow

bp = handle_refusals(Blueprint("interventions", __name__))


class InterventionForm(FlaskForm):
    kind = radios("What did the DfE do?", list(INTERVENTIONS.items()), "Choose what the DfE did")
    on = date_field(
        "When?",
        "Enter the date",
        "The date must be a real date",
        description="For example, 2 3 2026",
    )
    details = textarea("Details (optional)", limit=limits.DETAILS)
    submit = SubmitField("Continue", widget=GovSubmitInput())


@bp.route("/councils/<code>/interventions/new", methods=["GET", "POST"])
@roles(Role.MODERATOR, Role.ADMINISTRATOR)
def record(code: str) -> ResponseReturnValue:
    """Record a DfE intervention (adviser, notice, direction, commissioner, or its end)."""
    me, council = actor(), ledger().council(code)
    form = InterventionForm()
    form.refusal_anchor = "kind"

    def run() -> str:
        ledger().record_intervention(
            me, code, form.kind.data, form.on.data, form.details.data or ""
        )
        return url_for("public.council", code=code)

    return submit_flow(
        form,
        "council/intervention.html",
        lambda: [
            ("What the DfE did", INTERVENTIONS[form.kind.data]),
            ("When", form.on.data.strftime("%-d %B %Y")),
            ("Details", form.details.data or ""),
        ],
        run,
        "DfE intervention recorded",
        f"Record a DfE intervention: {council.name}",
        council=council,
    )
