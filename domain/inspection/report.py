"""The report's steps: the draft, the council's factual accuracy check, the final report,
publication (DOMAIN.md §4)."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain import limits
from domain import permissions as can
from domain.actors import Actor
from domain.errors import (
    CommentsUnanswered,
    DeadlinePassed,
    InvalidInput,
    LifecycleError,
    PublicationWithheld,
)
from domain.events import LedgerAggregate
from domain.inspection.state import (
    DRAFT_ISSUED,
    FINAL_ISSUED,
    JUDGMENTS_MADE,
    PUBLISHED,
    InspectionState,
)
from domain.inspection.writing import Writing, freeze
from domain.joint import check_every_partner_found
from domain.policy import Policy
from domain.working_days import add_working_days


class Reporting(Writing):
    """From the draft the council checks to the published report."""

    class DraftIssued(LedgerAggregate.Event):
        on: date
        comments_due: date

        def apply(self, inspection: InspectionState) -> None:
            inspection.status = DRAFT_ISSUED
            inspection.draft_issued_on, inspection.comments_due = self.on, self.comments_due
            freeze(inspection, "draft", self.on, self.actor, self.originator_version)

    def issue_draft(self, actor: Actor, today: date, policy: Policy) -> None:
        """Send the draft report to the council for its factual accuracy check."""
        can.must_be_lead_inspectorate(actor, self.lead_agency, "issue the draft report")
        self._require(JUDGMENTS_MADE, doing="issue the draft report")
        found_by = (f["agency"] for f in self.findings.values())
        check_every_partner_found(self.framework, self.agencies, found_by)
        due = add_working_days(today, policy.factual_accuracy_working_days)
        self.trigger_event(self.DraftIssued, actor=actor, on=today, comments_due=due)

    class FactualAccuracyCommented(LedgerAggregate.Event):
        on: date
        comment: str
        complete: bool
        section: str  # the report section commented on; "" the whole report (v2)

        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["section"] = ""

        def apply(self, inspection: InspectionState) -> None:
            inspection.comments.append(
                {
                    "id": f"C{len(inspection.comments) + 1}",
                    "on": self.on,
                    "comment": self.comment,
                    "by": self.actor.user,
                    "section": self.section,
                    "answer": None,
                    "complete": self.complete,  # the council said its comments are complete
                }
            )
            inspection.comments_complete = inspection.comments_complete or self.complete

    def comment_on_draft(
        self, actor: Actor, comment: str, today: date, complete: bool = False, section: str = ""
    ) -> None:
        """Record the council's factual accuracy comment on a section (or the whole report),
        up to the end of the deadline day."""
        can.must_be_officer_of(actor, self.council, "comment on this draft")
        self._require(DRAFT_ISSUED, doing="comment on the draft")
        if section:
            self.report_section(limits.REPORT_SECTION.checked(section))
        assert self.comments_due is not None
        if today > self.comments_due:
            raise DeadlinePassed(
                f"Factual accuracy comments closed at the end of {self.comments_due.isoformat()}"
            )
        if self.comments_complete:
            raise LifecycleError("The council has already said its comments are complete")
        if not comment.strip() and not complete:
            raise InvalidInput("A factual accuracy comment cannot be empty")
        limits.COMMENT.checked(comment)
        self.trigger_event(
            self.FactualAccuracyCommented,
            actor=actor,
            on=today,
            comment=comment.strip(),
            complete=complete,
            section=section,
        )

    class FinalReportIssued(LedgerAggregate.Event):
        on: date
        era: str
        challenge_window_ends: date
        withholds_publication: bool

        def apply(self, inspection: InspectionState) -> None:
            inspection.status = FINAL_ISSUED
            inspection.final_report_on = self.on
            inspection.challenge_window_ends = self.challenge_window_ends
            inspection.withholds_publication = self.withholds_publication
            freeze(inspection, "final", self.on, self.actor, self.originator_version)

    def issue_final_report(self, actor: Actor, today: date, policy: Policy) -> None:
        """Approve the final report once the factual accuracy check is over."""
        can.must_be_lead_moderator(actor, self.lead_agency, "issue the final report")
        self._require(DRAFT_ISSUED, doing="issue the final report")
        assert self.comments_due is not None
        if today <= self.comments_due and not self.comments_complete:
            raise LifecycleError(
                f"The council may comment until the end of {self.comments_due.isoformat()}"
            )
        waiting = self.unanswered_section_comments()
        if waiting:
            raise CommentsUnanswered(
                "Answer every factual accuracy comment on a section first: " + ", ".join(waiting)
            )
        era = policy.challenge_era(today)
        window = add_working_days(today, era.lodge_within_working_days)
        self.trigger_event(
            self.FinalReportIssued,
            actor=actor,
            on=today,
            era=era.name,
            challenge_window_ends=window,
            withholds_publication=era.withholds_publication,
        )

    class Published(LedgerAggregate.Event):
        on: date
        source: str
        named: dict[str, str]  # username: name of each person the report names, as published (v2)

        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["named"] = {}

        def apply(self, inspection: InspectionState) -> None:
            inspection.status = PUBLISHED
            inspection.published_on = self.on
            inspection.final_report_on = inspection.final_report_on or self.on
            inspection.published_names = dict(self.named)

    def named_in_report(self) -> set[str]:
        """Return the usernames the report names: who issued each version, who wrote each
        section."""
        issued = {v.issued_by for v in self.report_versions}
        return issued | {s["by"] for s in self.report_sections.values() if s.get("by")}

    def publish(self, actor: Actor, today: date, named: dict[str, str] | None = None) -> None:
        """Publish the report: its judgments become the council's ratings from today. The names
        of the people it names (`named`) are published with it, kept in the log as published
        information: forgetting an account later does not unname them."""
        can.must_be_lead_moderator(actor, self.lead_agency, "publish the report")
        self._require(FINAL_ISSUED, doing="publish")
        assert self.challenge_window_ends is not None
        if self.withholds_publication and self.open_challenges:
            raise PublicationWithheld("Publication is withheld until the open challenge is decided")
        if self.withholds_publication and today <= self.challenge_window_ends:
            raise PublicationWithheld(
                "The council may challenge until the end of "
                f"{self.challenge_window_ends.isoformat()}"
            )
        self.trigger_event(self.Published, actor=actor, on=today, source="", named=named or {})
