"""Fieldwork and judgments: on site, each agency's findings, graded judgments (DOMAIN.md §4)."""

from __future__ import annotations

from datetime import date

from domain import limits
from domain import permissions as can
from domain.actors import Actor, agency_name
from domain.errors import InvalidInput, LifecycleError
from domain.events import JudgmentInput, LedgerAggregate, Narrative
from domain.inspection.state import (
    DRAFT_ISSUED,
    JUDGMENTS_MADE,
    ON_SITE,
    SCHEDULED,
    InspectionState,
)
from domain.inspection_types import inspection_type


def _lists(narrative: Narrative) -> dict[str, list[str]]:
    return narrative.as_dict()


class Fieldwork(InspectionState):
    """What inspectors do on site: start fieldwork, record findings, make judgments."""

    class OnSiteStarted(LedgerAggregate.Event):
        on: date

        def apply(self, inspection: InspectionState) -> None:
            inspection.status = ON_SITE

    def start_on_site(self, actor: Actor, today: date) -> None:
        """Record that inspectors are on site."""
        can.must_be_lead_inspectorate(actor, self.lead_agency, "start fieldwork")
        self._require(SCHEDULED, doing="start fieldwork")
        if today < self.starts_on:
            raise LifecycleError(f"Fieldwork cannot start before {self.starts_on.isoformat()}")
        self.trigger_event(self.OnSiteStarted, actor=actor, on=today)

    class FindingRecorded(LedgerAggregate.Event):
        finding_id: str
        agency: str
        summary: str
        strengths: list[str]
        areas_for_improvement: list[str]
        recommendations: list[str]
        priority_action: bool

        def apply(self, inspection: InspectionState) -> None:
            inspection.findings[self.finding_id] = {
                "agency": self.agency,
                "summary": self.summary,
                "strengths": self.strengths,
                "areas_for_improvement": self.areas_for_improvement,
                "recommendations": self.recommendations,
                "priority_action": self.priority_action,
                "recorded_by": self.actor.user,
                "recorded_at": self.timestamp,
            }

    def record_finding(
        self,
        actor: Actor,
        agency: str,
        summary: str,
        narrative: Narrative,
        priority_action: bool = False,
    ) -> str:
        """Record one agency's finding; each agency records only its own."""
        can.must_have_role(actor, ("inspector", "moderator"), "record findings")
        if agency not in self.agencies:
            raise InvalidInput(f"{agency_name(agency)} is not taking part in this inspection")
        can.must_belong_to(actor, (agency,), f"record {agency_name(agency)}'s findings")
        self._require(ON_SITE, JUDGMENTS_MADE, DRAFT_ISSUED, doing="record findings")
        if not summary.strip():
            raise InvalidInput("A finding needs a summary")
        limits.SUMMARY.checked(summary)
        limits.checked_narrative(narrative)
        if priority_action and self.type != "focused_visit":
            raise InvalidInput("Only a focused visit names areas for priority action")
        finding_id = f"F{len(self.findings) + 1}"
        self.trigger_event(
            self.FindingRecorded,
            actor=actor,
            finding_id=finding_id,
            agency=agency,
            summary=summary,
            priority_action=priority_action,
            **_lists(narrative),
        )
        return finding_id

    # --- judgments --------------------------------------------------------------------
    class JudgmentRecorded(LedgerAggregate.Event):
        area: str
        grade: str
        strengths: list[str]
        areas_for_improvement: list[str]
        recommendations: list[str]

        def apply(self, inspection: InspectionState) -> None:
            inspection.judgments[self.area] = {
                "grade": self.grade,
                "strengths": self.strengths,
                "areas_for_improvement": self.areas_for_improvement,
                "recommendations": self.recommendations,
                "made_by": self.actor.user,
                "challenge_id": None,
            }

    def record_judgments(self, actor: Actor, judgments: list[JudgmentInput]) -> None:
        """Record graded judgments, refusing any set that breaks the framework's rules."""
        can.must_be_lead_inspectorate(actor, self.lead_agency, "make judgments")
        self._require(ON_SITE, JUDGMENTS_MADE, DRAFT_ISSUED, doing="make judgments")
        if not inspection_type(self.type).graded:
            raise InvalidInput(f"A {inspection_type(self.type).label.lower()} has no grades")
        limits.checked_judgments(judgments)
        proposed = self.grades() | {j.area: j.grade for j in judgments}
        self.framework.check_grades(proposed)
        if self.status != ON_SITE:
            self.framework.check_complete(proposed)
        for judgment in judgments:
            self._record(actor, judgment)

    def _record(self, actor: Actor, judgment: JudgmentInput) -> None:
        self.trigger_event(
            self.JudgmentRecorded,
            actor=actor,
            area=judgment.area,
            grade=judgment.grade,
            **_lists(judgment.narrative),
        )

    class JudgmentsMade(LedgerAggregate.Event):
        on: date

        def apply(self, inspection: InspectionState) -> None:
            inspection.status = JUDGMENTS_MADE

    def complete_judgments(self, actor: Actor, today: date) -> None:
        """Close fieldwork once every area is graded within the rules."""
        can.must_be_lead_inspectorate(actor, self.lead_agency, "complete the judgments")
        self._require(ON_SITE, doing="complete the judgments")
        if self.graded:
            self.framework.check_complete(self.grades())
        self.trigger_event(self.JudgmentsMade, actor=actor, on=today)
