"""Commands on councils: registration, abolition, interventions."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from domain.actors import Actor
from domain.council import Council, council_id
from domain.store import Store
from domain.unit_of_work import command


class CouncilCommands(Store):
    """The commands and queries about councils."""

    def register_council(self, actor: Actor, code: str, name: str, details: dict[str, str]) -> UUID:
        """Register a council, or do nothing if it is already registered."""
        if self.exists(council_id(code)):
            return council_id(code)
        council = Council.register(actor, code, name, details)
        self._save(council)
        return council.id

    @command
    def abolish_council(self, actor: Actor, code: str, on: date, successors: list[str]) -> None:
        """Record a council's abolition by reorganisation."""
        with self._changing(Council, council_id(code), None, actor) as council:
            council.abolish(actor, on, successors)

    @command
    def record_intervention(
        self,
        actor: Actor,
        code: str,
        kind: str,
        on: date,
        details: str,
        expected_version: int | None = None,
    ) -> None:
        """Record a DfE intervention on a council."""
        with self._changing(Council, council_id(code), expected_version, actor) as council:
            council.record_intervention(actor, kind, on, details)

    def council(self, code: str) -> Council:
        """Return the council with this code, or refuse an unknown one."""
        return self._get(Council, council_id(code))

    def councils(self) -> list[Council]:
        """Return every registered council, by name."""
        councils = [
            self._get(Council, e.originator_id) for e in self.events_of_type(Council.Registered)
        ]
        return sorted(councils, key=lambda c: c.name)
