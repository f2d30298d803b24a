"""The inspectorate's one-button steps (fieldwork to publication), cancelling, decisions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from flask import url_for
from flask.typing import ResponseReturnValue

from domain import permissions as can
from domain.actors import Role
from domain.challenge_rules import revisable_areas
from web.auth import actor, roles
from web.forms import ConfirmForm, lines
from web.forms_inspection import (
    AdjudicatorForm,
    CancelForm,
    WithdrawForm,
    decide_form,
    grade_fields,
)
from web.pages.common import confirm_flow, ledger, submit_flow
from web.pages.inspectorate import INSPECTORATE, _inspection, bp
from web.pages.names import person

LEAD, MODERATOR = can.must_be_lead_inspectorate, can.must_be_lead_moderator
# Each step: title, explanation, success banner, command, and who may take it (the same rule
# the aggregate checks), so the confirm page is not shown to anyone it would refuse.
STEPS: dict[str, tuple[str, str, str, Callable[..., object], Callable[..., None]]] = {
    "start": (
        "Start fieldwork",
        "Record that inspectors are on site from today.",
        "Fieldwork started",
        lambda led, a, i: led.start_on_site(a, i),
        LEAD,
    ),
    "complete": (
        "Complete the judgments",
        "Close fieldwork: every judgment area must be graded within the framework's rules.",
        "Judgments completed",
        lambda led, a, i: led.complete_judgments(a, i),
        LEAD,
    ),
    "draft": (
        "Issue the draft report",
        "Send the draft report to the council for its factual accuracy check.",
        "Draft report issued to the council",
        lambda led, a, i: led.issue_draft(a, i),
        LEAD,
    ),
    "final": (
        "Issue the final report",
        "Approve the final report now the factual accuracy check is over; "
        "the council's challenge window opens.",
        "Final report issued",
        lambda led, a, i: led.issue_final_report(a, i),
        MODERATOR,
    ),
    "publish": (
        "Publish the report",
        "Publish the report: its judgments become the council's ratings from today.",
        "Report published",
        lambda led, a, i: led.publish(a, i),
        MODERATOR,
    ),
}


def _step(id: UUID, step: str) -> ResponseReturnValue:
    title, explanation, success, command, may = STEPS[step]
    found, me = _inspection(id), actor()
    may(me, found.lead_agency, title.lower())

    def run() -> str:
        command(ledger(), me, id)
        return url_for("workspace.inspection", id=id)

    return confirm_flow(
        ConfirmForm(),
        "inspections/step.html",
        run,
        success,
        title,
        inspection=found,
        explanation=explanation,
    )


def _register_steps() -> None:
    for step in STEPS:

        def view(id: UUID, step: str = step) -> ResponseReturnValue:
            return _step(id, step)

        view.__name__ = step
        view.__doc__ = f"Confirm, then {STEPS[step][0].lower()}."
        bp.add_url_rule(
            f"/inspections/<uuid:id>/{step}",
            step,
            roles(*INSPECTORATE)(view),
            methods=["GET", "POST"],
        )


_register_steps()


ENDINGS = {
    "cancel": ("Cancel the inspection", "Inspection cancelled", CancelForm, "cancel_inspection"),
    "withdraw": ("Withdraw the report", "Report withdrawn", WithdrawForm, "withdraw_inspection"),
}


@bp.route("/inspections/<uuid:id>/<any(cancel, withdraw):ending>", methods=["GET", "POST"])
@roles(*INSPECTORATE)
def end(id: UUID, ending: str) -> ResponseReturnValue:
    """Cancel an inspection before its final report, or withdraw its final report: with a reason."""
    title, success, form_class, command = ENDINGS[ending]
    found, me = _inspection(id), actor()
    can.must_be_lead_moderator(me, found.lead_agency, title.lower())
    form = form_class()

    def run() -> str:
        getattr(ledger(), command)(me, id, form.reason.data)
        return url_for("workspace.inspection", id=id)

    return submit_flow(
        form,
        "inspections/ending.html",
        lambda: [("Reason", form.reason.data)],
        run,
        success,
        title,
        inspection=found,
        heading=title,
    )


def _for_lead_moderator(me: Any, id: UUID, doing: str) -> tuple[Any, Any]:
    """Load a challenge and its inspection, refusing anyone but the lead moderator."""
    challenge = ledger().challenge(me, id)
    found = ledger().inspection(me, UUID(challenge.inspection_id))
    can.must_be_lead_moderator(me, found.lead_agency, doing)
    return challenge, found


@bp.route("/challenges/<uuid:id>/decide", methods=["GET", "POST"])
@roles(*INSPECTORATE)
def decide(id: UUID) -> ResponseReturnValue:
    """Decide a challenge: the outcome, reasons, and any revised judgments or withdrawal."""
    me = actor()
    challenge, found = _for_lead_moderator(me, id, "decide a challenge")
    may_revise = revisable_areas(challenge.subject, challenge.reference, found, me)
    form = decide_form(found.framework, {a: found.grades()[a] for a in may_revise})
    titles = found.framework.titles()
    form.refusal_anchor = "outcome"

    def revisions() -> dict[str, str]:
        return {
            f.name.removeprefix("revise_"): f.data for f in grade_fields(form, "revise_") if f.data
        }

    def answers() -> list[tuple[str, str]]:
        changes = "; ".join(f"{titles.get(a, a)}: {g}" for a, g in revisions().items())
        return [
            ("Outcome", form.outcome.data.capitalize()),
            ("Reasons", form.reasons.data),
            ("Evidence", "; ".join(lines(form.evidence.data))),
            ("Revised judgments", changes),
            ("Withdraw the report", "Yes" if form.withdraw_report.data else "No"),
        ]

    def run() -> str:
        ledger().decide_challenge(
            me,
            id,
            form.outcome.data,
            form.reasons.data,
            lines(form.evidence.data),
            revisions(),
            bool(form.withdraw_report.data),
        )
        return url_for("workspace.challenge", id=id)

    return submit_flow(
        form,
        "inspections/decide.html",
        answers,
        run,
        "Decision recorded",
        "Decide a challenge",
        challenge=challenge,
        inspection=found,
        titles=titles,
        revise=grade_fields(form, "revise_"),
    )


@bp.route("/challenges/<uuid:id>/adjudicator", methods=["GET", "POST"])
@roles(*INSPECTORATE, Role.ADJUDICATOR)
def adjudicator(id: UUID) -> ResponseReturnValue:
    """Record the adjudicator's finding on how a challenge was handled (no grade changes): the
    adjudicator's own, or keyed in by the lead moderator naming the adjudicator and evidence."""
    me = actor()
    if me.role == Role.ADJUDICATOR:
        challenge = ledger().challenge(me, id)
    else:
        challenge, _ = _for_lead_moderator(me, id, "record the adjudicator's finding")
    form = AdjudicatorForm()
    form.refusal_anchor = "outcome"

    def run() -> str:
        ledger().record_adjudicator_recommendation(
            me,
            id,
            form.outcome.data,
            form.recommendation.data,
            form.adjudicator_name.data or "",
            lines(form.evidence.data),
        )
        return url_for("workspace.challenge", id=id)

    return submit_flow(
        form,
        "inspections/adjudicator.html",
        lambda: [
            ("Adjudicator found", form.outcome.data.capitalize()),
            ("Recommendation", form.recommendation.data),
            ("Adjudicator", form.adjudicator_name.data or person(me)),
            ("Evidence", "; ".join(lines(form.evidence.data))),
        ],
        run,
        "Adjudicator's finding recorded",
        "Record the adjudicator's finding",
        challenge=challenge,
        keyed_in=me.role != Role.ADJUDICATOR,
    )
