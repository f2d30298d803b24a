"""Writing the report a section at a time, answering the council's comments, and freezing a
version when the draft or the final report is issued (DOMAIN.md §9)."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain import limits
from domain import permissions as can
from domain.actors import Actor, Role
from domain.errors import InvalidInput, LifecycleError, UnknownReportSection
from domain.events import LedgerAggregate
from domain.inspection.document import Section, Version, content_of
from domain.inspection.state import DRAFT_ISSUED, JUDGMENTS_MADE, ON_SITE, InspectionState

WRITABLE = (ON_SITE, JUDGMENTS_MADE, DRAFT_ISSUED)


def tidy(text: str) -> str:
    """Return text as the report keeps it: newlines as LF, no blank edges."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def freeze(inspection: InspectionState, stage: str, on: date, by: Actor, version: int) -> None:
    """Append the report as it stands now as its next version (draft or final)."""
    number = len(inspection.report_versions) + 1
    first = inspection.report_versions[0].issued_by if inspection.report_versions else by.user
    header = {
        "inspection_id": str(inspection.id),
        "council": inspection.council,
        "type": inspection.type,
        "framework": inspection.framework_key,
        "lead_agency": inspection.lead_agency,
        "version": number,
        "stage": stage,
        "issued_on": on.isoformat(),
        "issued_by": by.user,
        "lead_inspector": first,  # who issued the draft: the report names them
    }
    content = content_of(
        header,
        inspection.report_outline(),
        inspection.report_sections,
        inspection.judgments,
        inspection.findings,
    )
    inspection.report_versions.append(
        Version(number, stage, on.isoformat(), by.user, version, content)
    )


class Writing(InspectionState):
    """The report's text: its sections, the council's comments on them and their answers."""

    def report_section(self, key: str) -> Section:
        """Return one section, or refuse a key the report does not have."""
        found = next((s for s in self.report_outline() if s.key == key), None)
        if found is None:
            known = ", ".join(s.key for s in self.report_outline())
            raise UnknownReportSection(f"The report has no section '{key}' (sections: {known})")
        return found

    def report_version(self, number: int | None = None) -> Version | None:
        """Return a frozen version (the latest if no number is given), or None."""
        if number is None:
            return self.report_versions[-1] if self.report_versions else None
        if 1 <= number <= len(self.report_versions):
            return self.report_versions[number - 1]
        return None

    def working_copy(self) -> dict[str, Any]:
        """Return the report as it stands now, not yet frozen as a version."""
        header = {"inspection_id": str(self.id), "version": None, "stage": "working copy"}
        outline = self.report_outline()
        return content_of(header, outline, self.report_sections, self.judgments, self.findings)

    class ReportSectionWritten(LedgerAggregate.Event):
        section: str
        parts: dict[str, str]

        def apply(self, inspection: InspectionState) -> None:
            written = inspection.report_sections.get(self.section, {"parts": {}})
            parts = {**written["parts"], **self.parts}
            inspection.report_sections[self.section] = {
                "parts": parts,
                "by": self.actor.user,
                "at": self.timestamp,
            }

    def write_report_section(self, actor: Actor, key: str, parts: dict[str, str]) -> None:
        """Record new text for one section; its author is the acting inspector."""
        section = self.report_section(key)
        self.check_may_write(actor, section)
        self._require(*WRITABLE, doing="write the report")
        changed = self._changed_parts(section, parts)
        self.trigger_event(self.ReportSectionWritten, actor=actor, section=key, parts=changed)

    def check_may_write(self, actor: Actor, section: Section) -> None:
        """Refuse anyone but the lead inspectorate (a partner's section: that partner)."""
        if section.agency is None:
            can.must_be_lead_inspectorate(actor, self.lead_agency, "write this report")
            return
        can.must_have_role(actor, (Role.INSPECTOR, Role.MODERATOR), "write this report")
        can.must_belong_to(actor, (section.agency,), f"write the section '{section.title}'")

    def _changed_parts(self, section: Section, parts: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(parts) - set(section.parts))
        if unknown:
            raise InvalidInput(
                f"The section '{section.title}' has no part {', '.join(unknown)} "
                f"(parts: {', '.join(section.parts)})"
            )
        now = self.working_section(section.key)
        changed = {
            p: tidy(limits.REPORT_PARTS[p].checked(t))
            for p, t in parts.items()
            if tidy(limits.REPORT_PARTS[p].checked(t)) != now.get(p, "")
        }
        if not changed:
            raise InvalidInput(f"The section '{section.title}' is unchanged")
        return changed

    def working_section(self, key: str) -> dict[str, str]:
        """Return the text of each part of a section as it stands now."""
        found = next(s for s in self.working_copy()["sections"] if s["key"] == key)
        return dict(found["parts"])

    class FactualAccuracyAnswered(LedgerAggregate.Event):
        on: date
        comment_id: str
        accepted: bool
        reason: str

        def apply(self, inspection: InspectionState) -> None:
            comment = next(c for c in inspection.comments if c["id"] == self.comment_id)
            comment["answer"] = {
                "accepted": self.accepted,
                "reason": self.reason,
                "by": self.actor.user,
                "on": self.on,
            }

    def answer_comment(
        self,
        actor: Actor,
        comment_id: str,
        accepted: bool,
        reason: str,
        today: date,
        parts: dict[str, str] | None = None,
    ) -> None:
        """Answer a factual accuracy comment: accepted with the change made, or not accepted
        with a reason. An accepted comment on a section changes that section in the same save."""
        can.must_be_lead_inspectorate(actor, self.lead_agency, "answer factual accuracy comments")
        self._require(DRAFT_ISSUED, doing="answer a factual accuracy comment")
        comment = self._comment(comment_id)
        reason = tidy(limits.ANSWER_REASON.checked(reason))
        if not accepted and not reason:
            raise InvalidInput("Give the reason the comment is not accepted")
        if accepted and comment["section"] and not parts:
            raise InvalidInput("An accepted comment needs the change made to its section")
        if accepted and not comment["section"] and not reason:
            raise InvalidInput("Say what was changed in the report")
        if parts and not comment["section"]:
            raise InvalidInput("A comment on the whole report: change its sections one by one")
        if accepted and parts:
            self.write_report_section(actor, comment["section"], parts)
        self.trigger_event(
            self.FactualAccuracyAnswered,
            actor=actor,
            on=today,
            comment_id=comment_id,
            accepted=accepted,
            reason=reason,
        )

    def _comment(self, comment_id: str) -> dict[str, Any]:
        comment = next((c for c in self.comments if c["id"] == comment_id), None)
        if comment is None or not comment["comment"]:
            raise InvalidInput(f"There is no factual accuracy comment {comment_id} to answer")
        if comment["answer"] is not None:
            raise LifecycleError(f"Comment {comment_id} has already been answered")
        return comment

    def unanswered_section_comments(self) -> list[str]:
        """Return the comments on a section that still wait for an answer."""
        return [c["id"] for c in self.comments if c["section"] and c["comment"] and not c["answer"]]
