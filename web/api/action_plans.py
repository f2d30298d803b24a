"""Action plans: the council's written plan, its actions, progress and completion."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.action_plan import action_plan_id
from web.api import schemas
from web.api.auth import actor
from web.api.operations import answer, blueprint, ledger, reads, writes
from web.api.preconditions import expected_version
from web.api.representations import ActionPlanOut, action_plan_out

bp = blueprint("action-plans", "Action plans answering published inspections")
PLAN = "/inspections/<uuid:inspection_id>/action-plan"


def current(inspection_id: UUID, status: int = 200) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Answer with the plan as it stands now."""
    plan = ledger().aggregate(action_plan_id(inspection_id))
    location = f"/inspections/{inspection_id}/action-plan"
    return answer(action_plan_out(plan), plan.version, status, location)


@bp.route(PLAN, methods=["GET"])
@reads(bp, ActionPlanOut, versioned=True)
def get_plan(inspection_id: UUID) -> Any:
    """Return the plan answering an inspection; the ETag is its version."""
    plan = ledger().action_plan(actor(), inspection_id)
    return answer(action_plan_out(plan), plan.version)


@bp.route(PLAN + "/submission", methods=["POST"])
@writes(bp, ActionPlanOut, schemas.SubmitActionPlan)
def submit(body: dict[str, Any], inspection_id: UUID) -> Any:
    """Submit or update the written plan (an officer of the council)."""
    ledger().submit_action_plan(
        actor(), inspection_id, body["summary"], expected_version=expected_version()
    )
    return current(inspection_id)


@bp.route(PLAN + "/actions", methods=["POST"])
@writes(bp, ActionPlanOut, schemas.AddAction, status=201)
def add_action(body: dict[str, Any], inspection_id: UUID) -> Any:
    """Add an action with its owner and due date."""
    ledger().add_action(actor(), inspection_id, **body, expected_version=expected_version())
    return current(inspection_id, 201)


@bp.route(PLAN + "/actions/<action_id>/progress", methods=["POST"])
@writes(bp, ActionPlanOut, schemas.ActionProgress)
def progress(body: dict[str, Any], inspection_id: UUID, action_id: str) -> Any:
    """Record progress on an action, with evidence."""
    ledger().update_action_progress(
        actor(),
        inspection_id,
        action_id,
        body["note"],
        body["evidence"],
        expected_version=expected_version(),
    )
    return current(inspection_id)


@bp.route(PLAN + "/actions/<action_id>/completion", methods=["POST"])
@writes(bp, ActionPlanOut, schemas.Evidence)
def complete_action(body: dict[str, Any], inspection_id: UUID, action_id: str) -> Any:
    """Mark an action complete."""
    ledger().complete_action(
        actor(), inspection_id, action_id, body["evidence"], expected_version=expected_version()
    )
    return current(inspection_id)


@bp.route(PLAN + "/completion", methods=["POST"])
@writes(bp, ActionPlanOut)
def complete_plan(inspection_id: UUID) -> Any:
    """Close a plan whose actions are all complete."""
    ledger().complete_action_plan(actor(), inspection_id, expected_version=expected_version())
    return current(inspection_id)
