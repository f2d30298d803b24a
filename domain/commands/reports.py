"""Commands on an inspection's report: writing sections, answering the council's comments."""

from __future__ import annotations

from uuid import UUID

from domain.actors import Actor, Role
from domain.errors import NotFound
from domain.inspection import Inspection
from domain.inspection.document import Version
from domain.store import Store
from domain.unit_of_work import command


def may_read_working_copy(actor: Actor, inspection: Inspection) -> bool:
    """Say whether the actor may read the report not yet issued: the inspectorates taking
    part, auditors and administrators (the council reads only what was issued to it)."""
    if actor.role in (Role.AUDITOR, Role.ADMINISTRATOR):
        return True
    return actor.is_inspectorate and actor.organisation in inspection.agencies


class ReportCommands(Store):
    """The commands and queries about reports."""

    @command
    def write_report_section(
        self,
        actor: Actor,
        id: UUID,
        section: str,
        parts: dict[str, str],
        expected_version: int | None = None,
    ) -> None:
        """Record new text for one section of the report."""
        with self._changing(Inspection, id, expected_version, actor) as inspection:
            inspection.write_report_section(actor, section, parts)

    @command
    def answer_comment(
        self,
        actor: Actor,
        id: UUID,
        comment_id: str,
        accepted: bool,
        reason: str = "",
        parts: dict[str, str] | None = None,
        expected_version: int | None = None,
    ) -> None:
        """Answer a factual accuracy comment (accepted with the change, or not with a reason)."""
        with self._changing(Inspection, id, expected_version, actor) as inspection:
            inspection.answer_comment(actor, comment_id, accepted, reason, self.today(), parts)

    def report_version(self, actor: Actor, id: UUID, number: int | None = None) -> Version:
        """Return a frozen version of a report the actor may read (the latest if none named);
        a version that does not exist, or a report not issued, is not found."""
        inspection = self._get(Inspection, id, reader=actor)
        found = inspection.report_version(number)
        if found is None:
            raise NotFound(f"The report of inspection {id} has no version {number or 1}")
        return found
