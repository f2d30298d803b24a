"""Concern pages: "Raise a concern about children's services" (anyone, no sign-in), and the
inspectorate's list and triage. To anyone but the triaging inspectorate a concern is absent.

The public form is one page on purpose: answers kept between question pages would sit in the
server-side session, in plain text, in the database.
"""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from flask import Blueprint, abort, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm

from domain import permissions as can
from domain.actors import Actor
from domain.commands.concerns import RaisedConcern
from domain.concern import OUTCOMES, RELATIONSHIPS, RISKS, reference_of
from domain.errors import LedgerError
from projections.concerns import concern_rows, open_concerns
from projections.queries import council_rows
from web.auth import actor, staff_only
from web.errors import handle_refusals
from web.forms_concern import AssessForm, CloseForm, EraseForm, LinkForm, RaiseConcernForm
from web.pages.common import day, ledger, read, submit_flow

bp = handle_refusals(Blueprint("concern_pages", __name__))
NO_STORE = {"Cache-Control": "no-store"}
SKIPPED = ("csrf_token", "submit")
LABELS = {"relationships": RELATIONSHIPS, "risks": RISKS, "outcomes": OUTCOMES}


def _councils() -> list[tuple[str, str]]:
    with read() as conn:
        rows = council_rows(conn).values()
    named = sorted(((r["code"], r["name"]) for r in rows), key=lambda c: c[1])
    return [("", "Choose a council"), *named]


@bp.route("/raise-a-concern", methods=["GET", "POST"])
def raise_concern() -> ResponseReturnValue:
    """Ask for the concern; record it and confirm with its reference (no sign-in)."""
    form = RaiseConcernForm()
    form.council.choices = _councils()
    refusal: LedgerError | None = None
    if form.validate_on_submit():
        raised = RaisedConcern(
            form.council.data or "",
            (form.setting_urn.data or "").strip(),
            form.relationship.data or "",
            form.name.data or "",
            form.email.data or "",
            form.concern.data or "",
        )
        try:
            concern_id = ledger().raise_concern(raised)
        except LedgerError as error:
            refusal = error
        else:
            page = render_template(
                "concerns/raised.html", title="Concern sent", reference=reference_of(concern_id)
            )
            return page, 201, NO_STORE
    status = 422 if refusal else (400 if form.errors else 200)
    title = "Raise a concern about children's services"
    page = render_template("concerns/raise.html", form=form, refusal=refusal, title=title)
    return page, status, NO_STORE


def _inspectorate_only() -> str:
    """Return the signed-in person's inspectorate; to anyone else the pages are absent."""
    who = actor()
    if not can.may_read_concern(who, ledger().policy.concerns_inspectorate):
        abort(404)
    return who.organisation


@bp.get("/concerns")
@staff_only
def index() -> ResponseReturnValue:
    """List the inspectorate's concerns, open ones first, overdue acknowledgements marked."""
    agency = _inspectorate_only()
    with read() as conn:
        rows = concern_rows(conn, agency, ledger().today())
    overdue = sum(1 for r in rows if r["overdue"])
    return render_template(
        "concerns/index.html", title="Concerns", rows=rows, overdue=overdue, **LABELS
    )


@bp.get("/concerns/<uuid:id>")
@staff_only
def concern(id: UUID) -> ResponseReturnValue:
    """Show a concern, its personal data opened for this reader, and its triage steps."""
    opened = ledger().concern(actor(), id)
    forms = {"assess": AssessForm(), "link": LinkForm(), "close": CloseForm(), "erase": EraseForm()}
    page = render_template(
        "concerns/concern.html",
        title=f"Concern {reference_of(id)}",
        opened=opened,
        c=opened.concern,
        forms=forms,
        today=ledger().today(),
        **LABELS,
    )
    return page, 200, NO_STORE


def _step(id: UUID, form: FlaskForm, run: Callable[[], None], success: str) -> ResponseReturnValue:
    """Check the answers, then run the triage step and return to the concern."""
    ledger().concern(actor(), id)  # absent to anyone who may not see it
    back = url_for("concern_pages.concern", id=id)

    def command() -> str:
        run()
        return back

    def answers() -> list[tuple[str, str]]:
        return [(f.label.text, str(f.data)) for f in form if f.name not in SKIPPED]

    title = f"Concern {reference_of(id)}"
    return submit_flow(form, "concerns/step.html", answers, command, success, title, back=back)


@bp.post("/concerns/<uuid:id>/acknowledge")
@staff_only
def acknowledge(id: UUID) -> ResponseReturnValue:
    """Record the acknowledgement today."""
    return _step(
        id, FlaskForm(), lambda: ledger().acknowledge_concern(actor(), id), "Concern acknowledged"
    )


@bp.post("/concerns/<uuid:id>/assess")
@staff_only
def assess(id: UUID) -> ResponseReturnValue:
    """Record the risk."""
    form = AssessForm()
    return _step(
        id, form, lambda: ledger().assess_concern(actor(), id, form.risk.data), "Risk recorded"
    )


@bp.post("/concerns/<uuid:id>/link")
@staff_only
def link(id: UUID) -> ResponseReturnValue:
    """Link to an inspection, or keep as intelligence."""
    form = LinkForm()

    def run() -> None:
        ledger().link_concern(actor(), id, (form.inspection_id.data or "").strip())

    return _step(id, form, run, "Concern linked")


@bp.post("/concerns/<uuid:id>/close")
@staff_only
def close(id: UUID) -> ResponseReturnValue:
    """Close with an outcome."""
    form = CloseForm()
    return _step(
        id, form, lambda: ledger().close_concern(actor(), id, form.outcome.data), "Concern closed"
    )


@bp.post("/concerns/<uuid:id>/erase")
@staff_only
def erase(id: UUID) -> ResponseReturnValue:
    """Erase the personal data (a moderator)."""
    form = EraseForm()

    def run() -> None:
        ledger().erase_concern(actor(), id, form.reason.data or "")

    return _step(id, form, run, "Personal data erased")


def linkable_concerns(me: Actor, code: str) -> dict[str, str]:
    """Return the concerns about the council that the scheduler may give as the reason for
    bringing a visit forward (open, kept as intelligence, of their own inspectorate), by id:
    each named by its reference, date and risk, never by anything its person said."""
    if not can.may_read_concern(me, ledger().policy.concerns_inspectorate):
        return {}
    with read() as conn:
        found = open_concerns(conn, me.organisation, ledger().today())
    return {
        c["id"]: f"{c['reference']}, raised {day(c['raised_on'])}"
        + (f", {RISKS[c['risk']].lower()} risk" if c["risk"] else "")
        for c in found
        if c["council"] == code and c["intelligence"]
    }
