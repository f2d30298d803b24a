"""The ActionPlan aggregate: the council's answer to an inspection (DOMAIN.md §6)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

from domain import limits
from domain import permissions as can
from domain.actors import Actor
from domain.errors import InvalidInput, LifecycleError
from domain.events import LedgerAggregate, stable_id
from domain.policy import Policy
from domain.working_days import add_working_days


def action_plan_id(inspection_id: UUID) -> UUID:
    """Return the id of the action plan that answers this inspection."""
    return stable_id("action-plan", inspection_id)


def add_months(day: date, months: int) -> date:
    """Return the same day of the month `months` later (clamped to the month's end)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


class ActionPlan(LedgerAggregate):
    """A council's plan: actions, progress and completion, with its deadlines."""

    class Opened(LedgerAggregate.Created):
        inspection_id: str
        council: str
        kind: str
        opened_on: date
        due_on: date
        recommendations: list[str]
        inadequate: bool

    def __init__(
        self,
        actor: Actor,
        inspection_id: str,
        council: str,
        kind: str,
        opened_on: date,
        due_on: date,
        recommendations: list[str],
        inadequate: bool,
    ) -> None:
        self.inspection_id, self.council, self.kind = inspection_id, council, kind
        self.opened_on, self.due_on, self.inadequate = opened_on, due_on, inadequate
        self.recommendations = list(recommendations)
        self.submitted_on: date | None = None
        self.summary = ""
        self.actions: dict[str, dict[str, Any]] = {}
        self.completed_on: date | None = None

    @classmethod
    def open(
        cls,
        actor: Actor,
        inspection_id: UUID,
        council: str,
        kind: str,
        published_on: date,
        recommendations: list[str],
        inadequate: bool,
        policy: Policy,
    ) -> ActionPlan:
        """Open the plan a published inspection calls for, with its due date in working days."""
        if actor.role != "administrator":
            can.must_have_role(actor, ("moderator",), "open an action plan")
        days = {
            "inspection": policy.action_plan_working_days,
            "focused_visit": policy.focused_visit_plan_working_days,
        }[kind]
        return cls._create(
            cls.Opened,
            id=action_plan_id(inspection_id),
            actor=actor,
            inspection_id=str(inspection_id),
            council=council,
            kind=kind,
            opened_on=published_on,
            due_on=add_working_days(published_on, days),
            recommendations=recommendations,
            inadequate=inadequate,
        )

    def monitoring_visits_due(self, policy: Policy) -> list[date]:
        """Return the monitoring visits an Inadequate council can expect until re-inspection."""
        if not self.inadequate:
            return []
        first = self.due_on + timedelta(weeks=policy.first_monitoring_visit_weeks_after_plan)
        until = add_months(self.opened_on, 12 * policy.reinspection_of_inadequate_years)
        visits, step = [], 0
        while (visit := add_months(first, step * policy.monitoring_visit_interval_months)) < until:
            visits.append(visit)
            step += 1
        return visits

    def is_overdue(self, today: date) -> bool:
        """Say whether the plan is late: unsubmitted after its due date."""
        return self.submitted_on is None and today > self.due_on

    def overdue_actions(self, today: date) -> list[str]:
        """Return the ids of actions past their due date and not complete."""
        return [
            i for i, a in self.actions.items() if a["completed_on"] is None and today > a["due_on"]
        ]

    def _require_open(self, actor: Actor, doing: str) -> None:
        can.must_be_officer_of(actor, self.council, doing)
        if self.completed_on is not None:
            raise LifecycleError("The action plan is complete")

    class Submitted(LedgerAggregate.Event):
        on: date
        summary: str
        late: bool

        def apply(self, plan: ActionPlan) -> None:
            plan.submitted_on = plan.submitted_on or self.on
            plan.summary = self.summary

    def submit(self, actor: Actor, summary: str, today: date) -> None:
        """Submit (or resubmit, updated) the written plan."""
        self._require_open(actor, "submit this action plan")
        if not summary.strip():
            raise InvalidInput("The plan needs a summary")
        limits.PLAN_SUMMARY.checked(summary)
        self.trigger_event(
            self.Submitted,
            actor=actor,
            on=today,
            summary=summary.strip(),
            late=self.submitted_on is None and today > self.due_on,
        )

    class ActionAdded(LedgerAggregate.Event):
        action_id: str
        area: str
        recommendation: str
        description: str
        owner: str
        due_on: date

        def apply(self, plan: ActionPlan) -> None:
            plan.actions[self.action_id] = {
                "area": self.area,
                "recommendation": self.recommendation,
                "description": self.description,
                "owner": self.owner,
                "due_on": self.due_on,
                "progress": [],
                "completed_on": None,
            }

    def add_action(
        self,
        actor: Actor,
        area: str,
        recommendation: str,
        description: str,
        owner: str,
        due_on: date,
        today: date,
    ) -> str:
        """Add an action answering a recommendation, with an owner and due date."""
        self._require_open(actor, "add actions to this plan")
        missing = [n for n, v in (("description", description), ("owner", owner)) if not v.strip()]
        if missing:
            raise InvalidInput(f"An action needs its {' and '.join(missing)}")
        limits.ACTION_AREA.checked(area)
        limits.ACTION_RECOMMENDATION.checked(recommendation)
        limits.DESCRIPTION.checked(description)
        limits.OWNER.checked(owner)
        if due_on < today:
            raise InvalidInput(f"An action cannot be due in the past ({due_on.isoformat()})")
        action_id = f"A{len(self.actions) + 1}"
        self.trigger_event(
            self.ActionAdded,
            actor=actor,
            action_id=action_id,
            area=area,
            recommendation=recommendation,
            description=description.strip(),
            owner=owner.strip(),
            due_on=due_on,
        )
        return action_id

    class ProgressUpdated(LedgerAggregate.Event):
        action_id: str
        note: str
        evidence: list[str]
        on: date

        def apply(self, plan: ActionPlan) -> None:
            plan.actions[self.action_id]["progress"].append(
                {"on": self.on, "note": self.note, "evidence": self.evidence}
            )

    def _action(self, action_id: str) -> dict[str, Any]:
        if action_id not in self.actions:
            raise InvalidInput(f"The plan has no action '{action_id}'")
        return self.actions[action_id]

    def update_progress(
        self, actor: Actor, action_id: str, note: str, evidence: list[str], today: date
    ) -> None:
        """Record progress on an action, with its evidence."""
        self._require_open(actor, "update this plan")
        if self._action(action_id)["completed_on"] is not None:
            raise LifecycleError(f"Action {action_id} is already complete")
        if not note.strip():
            raise InvalidInput("A progress update needs a note")
        limits.NOTE.checked(note)
        limits.EVIDENCE.checked(evidence)
        self.trigger_event(
            self.ProgressUpdated,
            actor=actor,
            action_id=action_id,
            note=note.strip(),
            evidence=list(evidence),
            on=today,
        )

    class ActionCompleted(LedgerAggregate.Event):
        action_id: str
        on: date
        evidence: list[str]

        def apply(self, plan: ActionPlan) -> None:
            plan.actions[self.action_id]["completed_on"] = self.on

    def complete_action(
        self, actor: Actor, action_id: str, evidence: list[str], today: date
    ) -> None:
        """Mark an action complete, citing the evidence."""
        self._require_open(actor, "update this plan")
        if self._action(action_id)["completed_on"] is not None:
            raise LifecycleError(f"Action {action_id} is already complete")
        limits.EVIDENCE.checked(evidence)
        self.trigger_event(
            self.ActionCompleted,
            actor=actor,
            action_id=action_id,
            on=today,
            evidence=list(evidence),
        )

    class Completed(LedgerAggregate.Event):
        on: date

        def apply(self, plan: ActionPlan) -> None:
            plan.completed_on = self.on

    def complete(self, actor: Actor, today: date) -> None:
        """Close the plan once it is submitted and every action is complete."""
        self._require_open(actor, "complete this plan")
        if self.submitted_on is None:
            raise LifecycleError("Submit the plan before completing it")
        open_actions = [i for i, a in self.actions.items() if a["completed_on"] is None]
        if open_actions:
            raise LifecycleError(f"Actions still open: {', '.join(open_actions)}")
        self.trigger_event(self.Completed, actor=actor, on=today)
