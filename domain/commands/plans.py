"""Commands on action plans: submission, actions, progress, completion."""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import date
from uuid import UUID

from domain.action_plan import ActionPlan, action_plan_id
from domain.actors import Actor
from domain.store import Store
from domain.unit_of_work import command


class PlanCommands(Store):
    """The commands and queries about action plans."""

    @command
    def submit_action_plan(
        self, actor: Actor, inspection: UUID, summary: str, expected_version: int | None = None
    ) -> None:
        """Submit or update the council's written action plan."""
        with self._changing_plan(inspection, expected_version, actor) as plan:
            plan.submit(actor, summary, self.today())

    @command
    def add_action(
        self,
        actor: Actor,
        inspection: UUID,
        area: str,
        recommendation: str,
        description: str,
        owner: str,
        due_on: date,
        expected_version: int | None = None,
    ) -> str:
        """Add an action to the plan; return its reference."""
        with self._changing_plan(inspection, expected_version, actor) as plan:
            return plan.add_action(
                actor, area, recommendation, description, owner, due_on, self.today()
            )

    @command
    def update_action_progress(
        self,
        actor: Actor,
        inspection: UUID,
        action_id: str,
        note: str,
        evidence: list[str],
        expected_version: int | None = None,
    ) -> None:
        """Record progress on an action."""
        with self._changing_plan(inspection, expected_version, actor) as plan:
            plan.update_progress(actor, action_id, note, evidence, self.today())

    @command
    def complete_action(
        self,
        actor: Actor,
        inspection: UUID,
        action_id: str,
        evidence: list[str],
        expected_version: int | None = None,
    ) -> None:
        """Mark an action complete."""
        with self._changing_plan(inspection, expected_version, actor) as plan:
            plan.complete_action(actor, action_id, evidence, self.today())

    @command
    def complete_action_plan(
        self, actor: Actor, inspection: UUID, expected_version: int | None = None
    ) -> None:
        """Close a plan whose actions are all complete."""
        with self._changing_plan(inspection, expected_version, actor) as plan:
            plan.complete(actor, self.today())

    def action_plan(self, actor: Actor, inspection: UUID) -> ActionPlan:
        """Return the action plan answering an inspection, if the actor may see it."""
        return self._get(ActionPlan, action_plan_id(inspection), reader=actor)

    def _changing_plan(
        self, inspection: UUID, expected_version: int | None, actor: Actor
    ) -> AbstractContextManager[ActionPlan]:
        return self._changing(ActionPlan, action_plan_id(inspection), expected_version, actor)
