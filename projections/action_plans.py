"""Read model of action plans and their actions, with due dates for both sides to see."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Boolean, Column, Date, Integer, Table, Text
from sqlalchemy.orm import Session

from domain.action_plan import ActionPlan
from projections.base import LedgerProjection, handles, metadata
from projections.batch import Rows, rows_of
from projections.views import ReadModelView

plans = Table(
    "rm_action_plans",
    metadata,
    Column("id", Text, primary_key=True),
    Column("inspection_id", Text, nullable=False, unique=True),
    Column("council", Text, nullable=False, index=True),
    Column("kind", Text, nullable=False),
    Column("opened_on", Date, nullable=False),
    Column("due_on", Date, nullable=False),
    Column("submitted_on", Date),
    Column("submitted_late", Boolean, nullable=False, default=False),
    Column("completed_on", Date),
    Column("inadequate", Boolean, nullable=False),
    Column("recommendations", JSON, nullable=False),
)
actions = Table(
    "rm_actions",
    metadata,
    Column("plan_id", Text, primary_key=True),
    Column("action_id", Text, primary_key=True),
    Column("council", Text, nullable=False, index=True),
    Column("area", Text, nullable=False),
    Column("recommendation", Text, nullable=False),
    Column("description", Text, nullable=False),
    Column("owner", Text, nullable=False),
    Column("due_on", Date, nullable=False),
    Column("completed_on", Date),
    Column("updates", Integer, nullable=False, default=0),
    Column("last_update_on", Date),
)


class ActionPlansView(ReadModelView):
    model_tables = (plans, actions)


def _plan(event: Any) -> tuple[str]:
    return (str(event.originator_id),)


def _action(event: Any) -> tuple[str, str]:
    return (str(event.originator_id), event.action_id)


class ActionPlansProjection(LedgerProjection):
    name = "action_plans"

    def prefetch(self, events: list[Any], rows: Rows) -> None:
        ids = [str(e.originator_id) for e in events if self.handles(e)]
        rows.load(plans, 0, ids)
        touched = (ActionPlan.ProgressUpdated, ActionPlan.ActionCompleted)
        rows.load(actions, 0, (str(e.originator_id) for e in events if isinstance(e, touched)))

    @handles(ActionPlan.Opened)
    def opened(self, event: ActionPlan.Opened, session: Session) -> None:
        rows_of(session).insert(
            plans,
            id=str(event.originator_id),
            inspection_id=event.inspection_id,
            council=event.council,
            kind=event.kind,
            opened_on=event.opened_on,
            due_on=event.due_on,
            submitted_late=False,
            inadequate=event.inadequate,
            recommendations=list(event.recommendations),
        )

    @handles(ActionPlan.Submitted)
    def submitted(self, event: ActionPlan.Submitted, session: Session) -> None:
        plan = rows_of(session).get(plans, *_plan(event))
        if plan is not None and plan["submitted_on"] is None:
            rows_of(session).update(
                plans, _plan(event), submitted_on=event.on, submitted_late=event.late
            )

    @handles(ActionPlan.ActionAdded)
    def action_added(self, event: ActionPlan.ActionAdded, session: Session) -> None:
        plan = rows_of(session).get(plans, *_plan(event))
        if plan is None:
            raise LookupError(f"No action plan {event.originator_id} is recorded")
        rows_of(session).insert(
            actions,
            plan_id=str(event.originator_id),
            action_id=event.action_id,
            council=plan["council"],
            area=event.area,
            recommendation=event.recommendation,
            description=event.description,
            owner=event.owner,
            due_on=event.due_on,
            updates=0,
        )

    @handles(ActionPlan.ProgressUpdated)
    def progress(self, event: ActionPlan.ProgressUpdated, session: Session) -> None:
        action = rows_of(session).get(actions, *_action(event))
        if action is not None:
            rows_of(session).update(
                actions, _action(event), updates=action["updates"] + 1, last_update_on=event.on
            )

    @handles(ActionPlan.ActionCompleted)
    def action_completed(self, event: ActionPlan.ActionCompleted, session: Session) -> None:
        rows_of(session).update(actions, _action(event), completed_on=event.on)

    @handles(ActionPlan.Completed)
    def completed(self, event: ActionPlan.Completed, session: Session) -> None:
        rows_of(session).update(plans, _plan(event), completed_on=event.on)
