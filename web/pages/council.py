"""The council's pages: factual accuracy, challenges, the action plan as a task list."""

from __future__ import annotations

from uuid import UUID

from flask import Blueprint, render_template, request, url_for
from flask.typing import ResponseReturnValue

from domain import permissions as can
from domain.actors import Role
from domain.errors import NotFound
from domain.rules import OVERALL
from web.auth import actor, roles, staff_only
from web.errors import handle_refusals
from web.forms import ConfirmForm, lines
from web.forms_council import (
    ActionForm,
    ChallengeForm,
    CommentForm,
    EscalateForm,
    PlanForm,
    ProgressForm,
)
from web.pages.common import allowed, confirm_flow, day, ledger, submit_flow

bp = handle_refusals(Blueprint("council", __name__))
OFFICER = (Role.COUNCIL_OFFICER,)


@bp.route("/inspections/<uuid:id>/comments/new", methods=["GET", "POST"])
@roles(*OFFICER)
def comment(id: UUID) -> ResponseReturnValue:
    """Comment on a draft report's factual accuracy before the deadline."""
    me = actor()
    found = ledger().inspection(me, id)
    can.must_be_officer_of(me, found.council, "comment on this draft")
    form = CommentForm(data={"section": request.args.get("section", "")})
    form.section.choices = [("", "The whole report")] + [
        (s.key, s.title) for s in found.report_outline()
    ]
    form.refusal_anchor = "comment"
    titles = {choice.value: choice.label for choice in form.section.choices}

    def answers() -> list[tuple[str, str]]:
        return [
            ("About", titles.get(form.section.data or "", "")),
            ("Comment", form.comment.data),
            ("All comments made", "Yes" if form.complete.data else "No"),
        ]

    def run() -> str:
        ledger().comment_on_draft(
            me, id, form.comment.data or "", bool(form.complete.data), form.section.data or ""
        )
        return url_for("workspace.inspection", id=id)

    return submit_flow(
        form,
        "council/comment.html",
        answers,
        run,
        "Comment sent to the inspectorate",
        "Comment on the draft report",
        inspection=found,
    )


def _targets(inspection) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    titles = inspection.framework.titles()
    judged = [
        (f"judgment:{a}", f"Judgment: {titles.get(a, a)} ({j['grade']})")
        for a, j in inspection.judgments.items()
    ]
    found = [
        (f"finding:{ref}", f"Finding {ref}: {f['summary'][:80]}")
        for ref, f in inspection.findings.items()
    ]
    return [("", "Choose what you challenge")] + judged + found + [("report:", "The whole report")]


@bp.route("/inspections/<uuid:id>/challenges/new", methods=["GET", "POST"])
@roles(*OFFICER)
def challenge(id: UUID) -> ResponseReturnValue:
    """Lodge a challenge against a judgment, a finding or the report."""
    me = actor()
    found = ledger().inspection(me, id)
    can.must_be_officer_of(me, found.council, "challenge this inspection")
    form = ChallengeForm()
    form.target.choices = _targets(found)
    form.refusal_anchor = "target"
    labels = {choice.value: choice.label for choice in form.target.choices}

    def answers() -> list[tuple[str, str]]:
        return [
            ("Challenging", labels.get(form.target.data, "")),
            ("Grounds", form.grounds.data),
            ("Evidence", "; ".join(lines(form.evidence.data))),
        ]

    def run() -> str:
        subject, _, reference = form.target.data.partition(":")
        new = ledger().lodge_challenge(
            me, id, subject, reference, form.grounds.data, lines(form.evidence.data)
        )
        return url_for("workspace.challenge", id=new)

    return submit_flow(
        form,
        "council/challenge.html",
        answers,
        run,
        "Challenge lodged",
        "Lodge a challenge",
        inspection=found,
    )


@bp.route("/challenges/<uuid:id>/escalate", methods=["GET", "POST"])
@roles(*OFFICER)
def escalate(id: UUID) -> ResponseReturnValue:
    """Take a decided challenge to its next stage."""
    me = actor()
    found = ledger().challenge(me, id)
    can.must_be_officer_of(me, found.council, "escalate this challenge")
    form = EscalateForm()

    def run() -> str:
        ledger().escalate_challenge(me, id, form.grounds.data)
        return url_for("workspace.challenge", id=id)

    return submit_flow(
        form,
        "council/escalate.html",
        lambda: [("Grounds", form.grounds.data)],
        run,
        "Challenge escalated",
        "Escalate a challenge",
        challenge=found,
    )


@bp.get("/inspections/<uuid:id>/action-plan")
@staff_only
def plan(id: UUID) -> str:
    """Show the action plan as a GOV.UK task list: the summary, each action and its progress."""
    me = actor()
    found = ledger().action_plan(me, id)
    inspection = ledger().inspection(me, id)
    today = ledger().today()
    return render_template(
        "council/plan.html",
        title="Action plan",
        plan=found,
        inspection=inspection,
        today=today,
        overdue=found.overdue_actions(today),
        editable=found.completed_on is None
        and allowed(lambda: can.must_be_officer_of(me, found.council, "edit")),
        overall=OVERALL,
    )


def _officer_plan(id: UUID):  # type: ignore[no-untyped-def]
    me = actor()
    found = ledger().action_plan(me, id)
    can.must_be_officer_of(me, found.council, "change this action plan")
    return me, found


@bp.route("/inspections/<uuid:id>/action-plan/summary", methods=["GET", "POST"])
@roles(*OFFICER)
def submit_plan(id: UUID) -> ResponseReturnValue:
    """Submit (or update) the written action plan."""
    me, found = _officer_plan(id)
    form = PlanForm(data={"summary": found.summary})

    def run() -> str:
        ledger().submit_action_plan(me, id, form.summary.data)
        return url_for("council.plan", id=id)

    return submit_flow(
        form,
        "council/plan_summary.html",
        lambda: [("Summary", form.summary.data)],
        run,
        "Action plan submitted",
        "Submit the action plan",
        plan=found,
        inspection_id=id,
    )


@bp.route("/inspections/<uuid:id>/action-plan/actions/new", methods=["GET", "POST"])
@roles(*OFFICER)
def add_action(id: UUID) -> ResponseReturnValue:
    """Add an action answering a recommendation, with an owner and a due date."""
    me, found = _officer_plan(id)
    form = ActionForm()
    form.recommendation.choices = (
        [("", "Choose a recommendation")]
        + [(r, r) for r in found.recommendations]
        + [("Other", "Another recommendation or concern")]
    )
    form.refusal_anchor = "due_on"

    def answers() -> list[tuple[str, str]]:
        return [
            ("Recommendation", form.recommendation.data),
            ("Area", form.area.data),
            ("Action", form.description.data),
            ("Owner", form.owner.data),
            ("Due", day(form.due_on.data)),
        ]

    def run() -> str:
        ledger().add_action(
            me,
            id,
            form.area.data,
            form.recommendation.data,
            form.description.data,
            form.owner.data,
            form.due_on.data,
        )
        return url_for("council.plan", id=id)

    return submit_flow(
        form,
        "council/action.html",
        answers,
        run,
        "Action added",
        "Add an action",
        plan=found,
        inspection_id=id,
    )


@bp.route("/inspections/<uuid:id>/action-plan/actions/<action_id>", methods=["GET", "POST"])
@roles(*OFFICER)
def progress(id: UUID, action_id: str) -> ResponseReturnValue:
    """Record progress on an action, and complete it when done."""
    me, found = _officer_plan(id)
    if action_id not in found.actions:
        raise NotFound(f"The plan has no action '{action_id}'")
    form = ProgressForm()

    def answers() -> list[tuple[str, str]]:
        return [
            ("Progress", form.note.data),
            ("Evidence", "; ".join(lines(form.evidence.data))),
            ("Complete", "Yes" if form.complete.data else "No"),
        ]

    def run() -> str:
        ledger().update_action_progress(
            me, id, action_id, form.note.data, lines(form.evidence.data)
        )
        if form.complete.data:
            ledger().complete_action(me, id, action_id, lines(form.evidence.data))
        return url_for("council.plan", id=id)

    return submit_flow(
        form,
        "council/progress.html",
        answers,
        run,
        f"Progress on action {action_id} recorded",
        "Update an action",
        plan=found,
        action=found.actions[action_id],
        action_id=action_id,
        inspection_id=id,
    )


@bp.route("/inspections/<uuid:id>/action-plan/complete", methods=["GET", "POST"])
@roles(*OFFICER)
def complete_plan(id: UUID) -> ResponseReturnValue:
    """Close a plan whose actions are all complete."""
    me, found = _officer_plan(id)

    def run() -> str:
        ledger().complete_action_plan(me, id)
        return url_for("council.plan", id=id)

    return confirm_flow(
        ConfirmForm(),
        "council/plan_complete.html",
        run,
        "Action plan completed",
        "Complete the action plan",
        plan=found,
        inspection_id=id,
    )
