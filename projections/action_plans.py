"""Read model of action plans and their actions, with due dates for both sides to see."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, Date, Integer, String, Table, select, update
from sqlalchemy.orm import Session

from domain.action_plan import ActionPlan
from projections.base import LedgerProjection, ReadModelView, handles, metadata

plans = Table(
    "rm_action_plans",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("inspection_id", String(36), nullable=False, unique=True),
    Column("council", String(20), nullable=False, index=True),
    Column("kind", String(20), nullable=False),
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
    Column("plan_id", String(36), primary_key=True),
    Column("action_id", String(10), primary_key=True),
    Column("council", String(20), nullable=False, index=True),
    Column("area", String(200), nullable=False),
    Column("recommendation", String(2000), nullable=False),
    Column("description", String(4000), nullable=False),
    Column("owner", String(200), nullable=False),
    Column("due_on", Date, nullable=False),
    Column("completed_on", Date),
    Column("updates", Integer, nullable=False, default=0),
    Column("last_update_on", Date),
)


class ActionPlansView(ReadModelView):
    model_tables = (plans, actions)


def _plan(event: object) -> object:
    return plans.c.id == str(event.originator_id)  # type: ignore[attr-defined]


def _action(event: object, action_id: str) -> object:
    return (actions.c.plan_id == str(event.originator_id)) & (actions.c.action_id == action_id)  # type: ignore[attr-defined]


class ActionPlansProjection(LedgerProjection):
    name = "action_plans"

    @handles(ActionPlan.Opened)
    def opened(self, event: ActionPlan.Opened, session: Session) -> None:
        session.execute(
            plans.insert().values(
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
        )

    @handles(ActionPlan.Submitted)
    def submitted(self, event: ActionPlan.Submitted, session: Session) -> None:
        first = session.execute(select(plans.c.submitted_on).where(_plan(event))).scalar()
        if first is None:
            session.execute(
                update(plans)
                .where(_plan(event))
                .values(submitted_on=event.on, submitted_late=event.late)
            )

    @handles(ActionPlan.ActionAdded)
    def action_added(self, event: ActionPlan.ActionAdded, session: Session) -> None:
        council = session.execute(select(plans.c.council).where(_plan(event))).scalar_one()
        session.execute(
            actions.insert().values(
                plan_id=str(event.originator_id),
                action_id=event.action_id,
                council=council,
                area=event.area,
                recommendation=event.recommendation,
                description=event.description,
                owner=event.owner,
                due_on=event.due_on,
                updates=0,
            )
        )

    @handles(ActionPlan.ProgressUpdated)
    def progress(self, event: ActionPlan.ProgressUpdated, session: Session) -> None:
        session.execute(
            update(actions)
            .where(_action(event, event.action_id))
            .values(updates=actions.c.updates + 1, last_update_on=event.on)
        )

    @handles(ActionPlan.ActionCompleted)
    def action_completed(self, event: ActionPlan.ActionCompleted, session: Session) -> None:
        session.execute(
            update(actions).where(_action(event, event.action_id)).values(completed_on=event.on)
        )

    @handles(ActionPlan.Completed)
    def completed(self, event: ActionPlan.Completed, session: Session) -> None:
        session.execute(update(plans).where(_plan(event)).values(completed_on=event.on))
