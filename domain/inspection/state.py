"""What every step of an inspection reads: its statuses and state (DOMAIN.md §4)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from domain.errors import LifecycleError
from domain.frameworks import Framework, framework
from domain.inspection.document import Section, Version, sections_of
from domain.inspection_types import inspection_type

if TYPE_CHECKING:
    from domain.events import LedgerAggregate as _Steps
else:
    _Steps = object

SCHEDULED, ON_SITE, JUDGMENTS_MADE = "scheduled", "on site", "judgments made"
DRAFT_ISSUED, FINAL_ISSUED, PUBLISHED = "draft issued", "final report issued", "published"
CANCELLED, WITHDRAWN = "cancelled", "withdrawn"
OPEN_STATUSES = (SCHEDULED, ON_SITE, JUDGMENTS_MADE, DRAFT_ISSUED, FINAL_ISSUED)


class InspectionState(_Steps):
    """The state an inspection's steps read; `domain.inspection.Inspection` holds it.

    Each group of steps (fieldwork, report, disputes) is a mixin of this class declaring its
    events beside its commands; `Inspection` names every event in its own body so that stored
    topics stay `domain.inspection:Inspection.<Event>`."""

    council: str
    type: str
    framework_key: str
    status: str
    starts_on: date
    lead_agency: str
    agencies: list[str]
    findings: dict[str, dict[str, Any]]
    judgments: dict[str, dict[str, Any]]
    draft_issued_on: date | None
    comments_due: date | None
    comments: list[dict[str, Any]]
    comments_complete: bool
    final_report_on: date | None
    challenge_window_ends: date | None
    withholds_publication: bool
    open_challenges: list[str]
    published_on: date | None
    ended_reason: str
    report_sections: dict[str, dict[str, Any]]  # section key -> its parts, last author, time
    report_versions: list[Version]  # 1: the draft; then the final report
    published_names: dict[str, str]  # username: name, of those the published report names

    @property
    def framework(self) -> Framework:
        return framework(self.framework_key)

    @property
    def graded(self) -> bool:
        return inspection_type(self.type).graded and self.framework.graded

    def grades(self) -> dict[str, str]:
        """Return the grade that stands now in each judged area."""
        return {area: j["grade"] for area, j in self.judgments.items()}

    def report_outline(self) -> list[Section]:
        """Return the sections this inspection's report has."""
        return sections_of(self.framework, self.graded, self.agencies)

    def _require(self, *statuses: str, doing: str) -> None:
        if self.status not in statuses:
            raise LifecycleError(f"Cannot {doing}: the inspection is {self.status}")
