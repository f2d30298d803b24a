"""The inspectorate's pages: schedule, fieldwork, judgments, report, publication, decisions."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from flask import Blueprint, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue

from domain import permissions as can
from domain.actors import Role, agency_name
from domain.errors import LedgerError
from domain.events import JudgmentInput, Narrative
from domain.frameworks import framework_for
from domain.inspection import Inspection
from domain.scheduling import departure
from projections.queries import council_rows
from projections.schedule import filtered
from projections.schedule import schedule as schedule_rows
from web.auth import actor, roles
from web.errors import handle_refusals
from web.forms import lines
from web.forms_inspection import (
    ChooseCouncilForm,
    FindingForm,
    ScheduleFilterForm,
    ScheduleForm,
    grade_fields,
    judgments_form,
)
from web.pages.common import (
    council_names,
    day,
    framework_title,
    ledger,
    read,
    submit_flow,
    type_label,
)
from web.pages.concerns import linkable_concerns

bp = handle_refusals(Blueprint("inspectorate", __name__))
INSPECTORATE = (Role.INSPECTOR, Role.MODERATOR)


def _councils() -> list[tuple[str, str]]:
    with read() as conn:
        rows = council_rows(conn).values()
    return [("", "Choose a council")] + sorted(
        ((r["code"], r["name"]) for r in rows), key=lambda c: c[1]
    )


@bp.get("/inspections/new")
@roles(*INSPECTORATE)
def choose_council() -> ResponseReturnValue:
    """Ask which council is to be inspected (step 1 of scheduling)."""
    form = ChooseCouncilForm(request.args, meta={"csrf": False})
    form.council.choices = _councils()
    if request.args and form.validate():
        return schedule_for(form.council.data)
    status = 400 if form.errors else 200
    return render_template(
        "inspections/choose_council.html", form=form, title="Schedule an inspection"
    ), status


def proposal(code: str) -> dict[str, object]:
    """Propose a type and start date from the council's history (DOMAIN.md §7)."""
    today = ledger().today()
    with read() as conn:
        entry = next(
            (e for e in schedule_rows(conn, today, ledger().policy) if e["council"] == code), None
        )
    soonest = today + timedelta(days=21 + (7 - today.weekday()) % 7)
    due_from = entry["due_from"] if entry else None
    starts = (
        max(soonest, due_from + timedelta(days=(7 - due_from.weekday()) % 7))
        if due_from
        else soonest
    )
    type_key = entry["called_for"] if entry else "standard"
    return {
        "entry": entry,
        "previous_grade": entry["last_grade"] if entry else None,
        "visits_since": entry["visits_since"] if entry else (),
        "type": type_key,
        "starts_on": starts,
        "framework": _framework_name(type_key, starts),
    }


def _framework_name(type_key: str, starts: date) -> str:
    try:
        return framework_for(type_key, starts).title
    except LedgerError:
        return "none applies"


@bp.get("/schedule")
@roles(*INSPECTORATE, Role.AUDITOR, Role.ADMINISTRATOR)
def overview() -> ResponseReturnValue:
    """Show, per current council, the next graded inspection's window and what is overdue."""
    with read() as conn:
        rows = schedule_rows(conn, ledger().today(), ledger().policy)
    form = ScheduleFilterForm(request.args)
    form.region.choices = [("", "All regions")] + [
        (r, r) for r in sorted({row["region"] for row in rows if row["region"]})
    ]
    if request.args and not form.validate():
        chosen, status = rows, 400
    else:
        chosen, status = filtered(rows, form.region.data, bool(form.overdue.data)), 200
    return render_template(
        "inspections/overview.html",
        title="Inspection schedule",
        form=form,
        rows=chosen,
        overdue=sum(1 for r in chosen if r["overdue"]),
        can_schedule=actor().role in INSPECTORATE,
        policy=ledger().policy,
    ), status


@bp.route("/inspections/new/<code>", methods=["GET", "POST"])
@roles(*INSPECTORATE)
def schedule(code: str) -> ResponseReturnValue:
    return schedule_for(code)


def schedule_for(code: str) -> ResponseReturnValue:
    """Schedule an inspection of one council, with the proposal shown and prefilled."""
    names = council_names()
    if code not in names:
        abort(404)
    proposed = proposal(code)
    previous = proposed["previous_grade"]
    form = ScheduleForm(data={"type": proposed["type"], "starts_on": proposed["starts_on"]})
    me = actor()
    form.refusal_anchor = "starts_on"
    linkable = linkable_concerns(me, code)
    form.reason_concern.choices = [("", "No"), *linkable.items()]

    def answers() -> list[tuple[str, str]]:
        chosen = form.framework.data or _framework_name(form.type.data, form.starts_on.data)
        return (
            [
                ("Council", names[code]),
                ("Type of inspection", type_label(form.type.data)),
                ("Fieldwork starts", day(form.starts_on.data)),
                ("Framework", framework_title(chosen)),
                ("Theme", form.theme.data or ""),
                ("Other inspectorates", ", ".join(map(agency_name, form.partners.data or []))),
            ]
            + ([("Why this type?", form.reason.data)] if needs_reason() else [])
            + ([("Setting URN", form.setting_urn.data)] if form.setting_urn.data else [])
            + (
                [("Brought forward by", linkable[form.reason_concern.data])]
                if form.reason_concern.data
                else []
            )
        )

    def needs_reason() -> bool:
        return departure(form.type.data, previous, proposed["visits_since"]) is not None

    def run() -> str:
        form.refusal_anchor = "reason" if needs_reason() else "starts_on"
        new = ledger().schedule_inspection(
            me,
            code,
            form.type.data,
            form.starts_on.data,
            form.framework.data or None,
            agencies=tuple(form.partners.data or ()),
            theme=(form.theme.data or "").strip(),
            previous_grade=previous,
            reason=form.reason.data or "",
            visits_since=proposed["visits_since"],
            setting_urn=(form.setting_urn.data or "").strip(),
            reason_concern=form.reason_concern.data or "",
        )
        return url_for("workspace.inspection", id=new)

    return submit_flow(
        form,
        "inspections/schedule.html",
        answers,
        run,
        f"Inspection of {names[code]} scheduled",
        "Schedule an inspection",
        council=names[code],
        code=code,
        proposal=proposed,
        needs_reason=needs_reason,
    )


def _inspection(id: UUID) -> Inspection:
    return ledger().inspection(actor(), id)


@bp.route("/inspections/<uuid:id>/findings/new", methods=["GET", "POST"])
@roles(*INSPECTORATE)
def finding(id: UUID) -> ResponseReturnValue:
    """Record one participating agency's finding."""
    found, me = _inspection(id), actor()
    form = FindingForm(data={"agency": me.organisation})
    form.agency.choices = [(a, agency_name(a)) for a in found.agencies]
    if found.type != "focused_visit":
        del form.priority_action
    if me.organisation not in found.agencies:
        can.must_belong_to(me, found.agencies, "record findings on this inspection")

    def answers() -> list[tuple[str, str]]:
        return [
            ("Agency", agency_name(form.agency.data)),
            ("Summary", form.summary.data),
            ("Strengths", "; ".join(lines(form.strengths.data))),
            ("Areas for improvement", "; ".join(lines(form.areas_for_improvement.data))),
            ("Recommendations", "; ".join(lines(form.recommendations.data))),
        ] + (
            [("Area for priority action", "Yes" if form.priority_action.data else "No")]
            if "priority_action" in form
            else []
        )

    def run() -> str:
        narrative = Narrative(
            lines(form.strengths.data),
            lines(form.areas_for_improvement.data),
            lines(form.recommendations.data),
        )
        priority = bool(form.priority_action.data) if "priority_action" in form else False
        ledger().record_finding(me, id, form.agency.data, form.summary.data, narrative, priority)
        return url_for("workspace.inspection", id=id)

    return submit_flow(
        form,
        "inspections/finding.html",
        answers,
        run,
        "Finding recorded",
        "Record a finding",
        inspection=found,
    )


@bp.route("/inspections/<uuid:id>/judgments", methods=["GET", "POST"])
@roles(*INSPECTORATE)
def judgments(id: UUID) -> ResponseReturnValue:
    """Make graded judgments; a set breaking the framework's rules is refused by name."""
    found, me = _inspection(id), actor()
    can.must_be_lead_inspectorate(me, found.lead_agency, "make judgments")
    current = found.grades()
    form = judgments_form(found.framework, current)
    titles = found.framework.titles()
    form.refusal_anchor = "grade_overall" if "overall" in titles else f"grade_{next(iter(titles))}"

    def chosen() -> list[JudgmentInput]:
        made = []
        for key in titles:
            grade, recs = form[f"grade_{key}"].data, lines(form[f"recommendations_{key}"].data)
            if grade and (grade != current.get(key) or recs):
                made.append(JudgmentInput(key, grade, Narrative(recommendations=recs)))
        return made

    def answers() -> list[tuple[str, str]]:
        return [
            (
                titles[j.area],
                j.grade
                + (
                    "; recommendations: " + "; ".join(j.narrative.recommendations)
                    if j.narrative.recommendations
                    else ""
                ),
            )
            for j in chosen()
        ]

    def run() -> str:
        ledger().record_judgments(me, id, chosen())
        return url_for("workspace.inspection", id=id)

    return submit_flow(
        form,
        "inspections/judgments.html",
        answers,
        run,
        "Judgments recorded",
        "Make judgments",
        inspection=found,
        rules=[r.describe(found.framework.titles()) for r in found.framework.rules],
        groups={f"grade_{a.key}": a.group for a in found.framework.areas},
        grades=grade_fields(form, "grade_"),
        recommendations=grade_fields(form, "recommendations_"),
    )
