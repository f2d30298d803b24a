"""The Inspection aggregate: schedule, fieldwork, judgments, report, publication (DOMAIN.md §4)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any
from uuid import UUID

from domain import limits
from domain import permissions as can
from domain.actors import Actor, agency_name
from domain.errors import (
    DeadlinePassed,
    InvalidInput,
    LifecycleError,
    NoReportToWithdraw,
    NoticeTooShort,
    PublicationWithheld,
)
from domain.events import JudgmentInput, LedgerAggregate, Narrative, stable_id
from domain.frameworks import Framework, check_framework_fits, framework
from domain.inspection_types import Notice, inspection_type
from domain.joint import check_every_partner_found
from domain.policy import Policy
from domain.rules import OVERALL
from domain.scheduling import check_proportionate
from domain.working_days import add_working_days, monday_of_week_before

SCHEDULED, ON_SITE, JUDGMENTS_MADE = "scheduled", "on site", "judgments made"
DRAFT_ISSUED, FINAL_ISSUED, PUBLISHED = "draft issued", "final report issued", "published"
CANCELLED, WITHDRAWN = "cancelled", "withdrawn"
OPEN_STATUSES = (SCHEDULED, ON_SITE, JUDGMENTS_MADE, DRAFT_ISSUED, FINAL_ISSUED)


def inspection_id(council: str, type_key: str, starts_on: date) -> UUID:
    """Return the id of the inspection of this type at this council starting on this day."""
    return stable_id("inspection", council, type_key, starts_on.isoformat())


def notice_date(chosen: Framework, type_key: str, starts_on: date, policy: Policy) -> date:
    """Return the latest day the council may be told of an inspection starting on `starts_on`."""
    notice = chosen.types[type_key]
    if notice is Notice.MONDAY_BEFORE:
        return monday_of_week_before(starts_on)
    if notice is Notice.WORKING_DAYS:
        return add_working_days(starts_on, -policy.notice_working_days[type_key])
    return starts_on


def _lists(narrative: Narrative) -> dict[str, list[str]]:
    return narrative.as_dict()


class Inspection(LedgerAggregate):
    """One inspection or visit of one council."""

    class Scheduled(LedgerAggregate.Created):
        council: str
        type: str
        framework: str
        starts_on: date
        notice_on: date
        lead_agency: str
        agencies: list[str]
        theme: str
        source: str
        reason: str  # why a type other than the one the history calls for (v2)

        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["reason"] = ""

    def __init__(
        self,
        actor: Actor,
        council: str,
        type: str,
        framework: str,
        starts_on: date,
        notice_on: date,
        lead_agency: str,
        agencies: list[str],
        theme: str,
        source: str,
        reason: str,
    ) -> None:
        self.council, self.type, self.framework_key = council, type, framework
        self.scheduling_reason = reason
        self.starts_on, self.notice_on, self.theme, self.source = (
            starts_on,
            notice_on,
            theme,
            source,
        )
        self.lead_agency, self.agencies = lead_agency, list(agencies)
        self.status = SCHEDULED
        self.scheduled_by = actor
        self.findings: dict[str, dict[str, Any]] = {}
        self.judgments: dict[str, dict[str, Any]] = {}
        self.draft_issued_on: date | None = None
        self.comments_due: date | None = None
        self.comments: list[dict[str, Any]] = []
        self.comments_complete = False
        self.final_report_on: date | None = None
        self.challenge_window_ends: date | None = None
        self.withholds_publication = False
        self.open_challenges: list[str] = []
        self.published_on: date | None = None
        self.ended_reason = ""

    # --- scheduling -------------------------------------------------------------------
    @classmethod
    def schedule(
        cls,
        actor: Actor,
        council: str,
        type_key: str,
        framework_key: str,
        starts_on: date,
        today: date,
        policy: Policy,
        agencies: Iterable[str] = (),
        theme: str = "",
        previous_grade: str | None = None,
        reason: str = "",
    ) -> Inspection:
        """Schedule an inspection, giving the notice its type and framework require; a type
        other than the one the council's previous grade calls for needs a reason."""
        chosen = framework(framework_key)
        inspection_type(type_key)
        reason = check_proportionate(type_key, previous_grade, reason)
        check_framework_fits(chosen, type_key, starts_on)
        can.must_be_lead_inspectorate(actor, chosen.lead_agency, "schedule this inspection")
        horizon = policy.scheduling_horizon(today)
        if starts_on > horizon:
            raise InvalidInput(
                f"An inspection can be scheduled up to {horizon.isoformat()} "
                f"({policy.scheduling_horizon_years} years ahead); {starts_on.isoformat()} is later"
            )
        notice_on = notice_date(chosen, type_key, starts_on, policy)
        if today > notice_on:
            raise NoticeTooShort(
                f"A {inspection_type(type_key).label.lower()} starting {starts_on.isoformat()} "
                f"needs notice ({chosen.types[type_key]}) by {notice_on.isoformat()}; "
                f"today is {today.isoformat()}"
            )
        return cls._schedule(
            actor, council, type_key, chosen, starts_on, notice_on, agencies, theme, "", reason
        )

    @classmethod
    def _schedule(
        cls,
        actor: Actor,
        council: str,
        type_key: str,
        chosen: Framework,
        starts_on: date,
        notice_on: date,
        agencies: Iterable[str],
        theme: str,
        source: str,
        reason: str = "",
    ) -> Inspection:
        limits.THEME.checked(theme)
        partners = sorted({chosen.lead_agency, *chosen.partners, *agencies})
        return cls._create(
            cls.Scheduled,
            id=inspection_id(council, type_key, starts_on),
            actor=actor,
            council=council,
            type=type_key,
            framework=chosen.key,
            starts_on=starts_on,
            notice_on=notice_on,
            lead_agency=chosen.lead_agency,
            agencies=partners,
            theme=theme,
            source=source,
            reason=reason,
        )

    @classmethod
    def import_published(
        cls,
        actor: Actor,
        council: str,
        type_key: str,
        framework_key: str,
        starts_on: date,
        published_on: date,
        judgments: list[JudgmentInput],
        theme: str,
        source: str,
        today: date,
    ) -> Inspection:
        """Record a published outcome from history, through the same framework rules."""
        can.must_be_administrator(actor, "import published history")
        chosen = framework(framework_key)
        check_framework_fits(chosen, type_key, starts_on)
        if published_on < starts_on:
            raise InvalidInput(
                f"Publication date {published_on.isoformat()} is before the start "
                f"{starts_on.isoformat()}"
            )
        if published_on > today:
            raise InvalidInput(
                f"Publication date {published_on.isoformat()} is after today "
                f"({today.isoformat()}): only what has been published can be imported"
            )
        limits.checked_judgments(judgments)
        if inspection_type(type_key).graded:
            chosen.check_complete({j.area: j.grade for j in judgments})
        elif judgments:
            raise InvalidInput(f"A {inspection_type(type_key).label.lower()} has no grades")
        inspection = cls._schedule(
            actor, council, type_key, chosen, starts_on, starts_on, (), theme, source
        )
        for judgment in judgments:
            inspection._record(actor, judgment)
        inspection.trigger_event(cls.Published, actor=actor, on=published_on, source=source)
        return inspection

    @property
    def framework(self) -> Framework:
        return framework(self.framework_key)

    @property
    def graded(self) -> bool:
        return inspection_type(self.type).graded and self.framework.graded

    def grades(self) -> dict[str, str]:
        """Return the grade that stands now in each judged area."""
        return {area: j["grade"] for area, j in self.judgments.items()}

    def _require(self, *statuses: str, doing: str) -> None:
        if self.status not in statuses:
            raise LifecycleError(f"Cannot {doing}: the inspection is {self.status}")

    # --- fieldwork --------------------------------------------------------------------
    class OnSiteStarted(LedgerAggregate.Event):
        on: date

        def apply(self, inspection: Inspection) -> None:
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

        def apply(self, inspection: Inspection) -> None:
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

        def apply(self, inspection: Inspection) -> None:
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

        def apply(self, inspection: Inspection) -> None:
            inspection.status = JUDGMENTS_MADE

    def complete_judgments(self, actor: Actor, today: date) -> None:
        """Close fieldwork once every area is graded within the rules."""
        can.must_be_lead_inspectorate(actor, self.lead_agency, "complete the judgments")
        self._require(ON_SITE, doing="complete the judgments")
        if self.graded:
            self.framework.check_complete(self.grades())
        self.trigger_event(self.JudgmentsMade, actor=actor, on=today)

    # --- report -----------------------------------------------------------------------
    class DraftIssued(LedgerAggregate.Event):
        on: date
        comments_due: date

        def apply(self, inspection: Inspection) -> None:
            inspection.status = DRAFT_ISSUED
            inspection.draft_issued_on, inspection.comments_due = self.on, self.comments_due

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

        def apply(self, inspection: Inspection) -> None:
            inspection.comments.append(
                {"on": self.on, "comment": self.comment, "by": self.actor.user}
            )
            inspection.comments_complete = inspection.comments_complete or self.complete

    def comment_on_draft(
        self, actor: Actor, comment: str, today: date, complete: bool = False
    ) -> None:
        """Record the council's factual accuracy comment, up to the end of the deadline day."""
        can.must_be_officer_of(actor, self.council, "comment on this draft")
        self._require(DRAFT_ISSUED, doing="comment on the draft")
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
        )

    class FinalReportIssued(LedgerAggregate.Event):
        on: date
        era: str
        challenge_window_ends: date
        withholds_publication: bool

        def apply(self, inspection: Inspection) -> None:
            inspection.status = FINAL_ISSUED
            inspection.final_report_on = self.on
            inspection.challenge_window_ends = self.challenge_window_ends
            inspection.withholds_publication = self.withholds_publication

    def issue_final_report(self, actor: Actor, today: date, policy: Policy) -> None:
        """Approve the final report once the factual accuracy check is over."""
        can.must_be_lead_moderator(actor, self.lead_agency, "issue the final report")
        self._require(DRAFT_ISSUED, doing="issue the final report")
        assert self.comments_due is not None
        if today <= self.comments_due and not self.comments_complete:
            raise LifecycleError(
                f"The council may comment until the end of {self.comments_due.isoformat()}"
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

        def apply(self, inspection: Inspection) -> None:
            inspection.status = PUBLISHED
            inspection.published_on = self.on
            inspection.final_report_on = inspection.final_report_on or self.on

    def publish(self, actor: Actor, today: date) -> None:
        """Publish the report: its judgments become the council's ratings from today."""
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
        self.trigger_event(self.Published, actor=actor, on=today, source="")

    # --- challenges and their consequences --------------------------------------------
    class ChallengeOpened(LedgerAggregate.Event):
        challenge_id: str

        def apply(self, inspection: Inspection) -> None:
            inspection.open_challenges.append(self.challenge_id)

    class ChallengeResolved(LedgerAggregate.Event):
        challenge_id: str
        outcome: str

        def apply(self, inspection: Inspection) -> None:
            inspection.open_challenges.remove(self.challenge_id)

    def open_challenge(self, actor: Actor, challenge_id: str) -> None:
        """Note a challenge lodged against this inspection."""
        self._require(FINAL_ISSUED, PUBLISHED, doing="challenge it")
        self.trigger_event(self.ChallengeOpened, actor=actor, challenge_id=challenge_id)

    def resolve_challenge(self, actor: Actor, challenge_id: str, outcome: str) -> None:
        """Note that a challenge's first decision has been made."""
        if challenge_id in self.open_challenges:
            self.trigger_event(
                self.ChallengeResolved, actor=actor, challenge_id=challenge_id, outcome=outcome
            )

    class JudgmentRevised(LedgerAggregate.Event):
        area: str
        grade: str
        previous_grade: str
        challenge_id: str
        reason: str
        effective_on: date

        def apply(self, inspection: Inspection) -> None:
            judgment = inspection.judgments[self.area]
            judgment.update(
                grade=self.grade, challenge_id=self.challenge_id, revised_on=self.effective_on
            )

    def revise_judgments(
        self, actor: Actor, revisions: dict[str, str], challenge_id: str, reason: str, today: date
    ) -> None:
        """Revise judgments because a challenge was upheld; the originals stay in the log."""
        can.must_be_lead_moderator(actor, self.lead_agency, "revise a judgment")
        self._require(FINAL_ISSUED, PUBLISHED, doing="revise a judgment")
        unknown = [a for a in revisions if a not in self.judgments]
        if unknown:
            raise InvalidInput(f"No judgment was made in {', '.join(unknown)}")
        self.framework.check_complete(self.grades() | revisions)
        for area, grade in revisions.items():
            self.trigger_event(
                self.JudgmentRevised,
                actor=actor,
                area=area,
                grade=grade,
                previous_grade=self.judgments[area]["grade"],
                challenge_id=challenge_id,
                reason=reason,
                effective_on=today,
            )

    # --- ending early -----------------------------------------------------------------
    class Cancelled(LedgerAggregate.Event):
        on: date
        reason: str

        def apply(self, inspection: Inspection) -> None:
            inspection.status, inspection.ended_reason = CANCELLED, self.reason

    def cancel(self, actor: Actor, reason: str, today: date) -> None:
        """Cancel an inspection before publication, with a reason."""
        can.must_be_lead_moderator(actor, self.lead_agency, "cancel an inspection")
        self._require(*OPEN_STATUSES, doing="cancel")
        if not reason.strip():
            raise InvalidInput("Give a reason for cancelling")
        limits.REASON.checked(reason)
        self._close_open_challenges(actor)
        self.trigger_event(self.Cancelled, actor=actor, on=today, reason=reason.strip())

    def _close_open_challenges(self, actor: Actor) -> None:
        """Note that the challenges still open end with the inspection."""
        for challenge_id in list(self.open_challenges):
            self.trigger_event(
                self.ChallengeResolved, actor=actor, challenge_id=challenge_id, outcome="closed"
            )

    class Withdrawn(LedgerAggregate.Event):
        on: date
        reason: str
        challenge_id: str | None

        def apply(self, inspection: Inspection) -> None:
            inspection.status, inspection.ended_reason = WITHDRAWN, self.reason

    def withdraw(
        self, actor: Actor, reason: str, today: date, challenge_id: str | None = None
    ) -> None:
        """Withdraw the final report: before publication, or after it because a challenge was
        upheld. An inspection with no final report has nothing to withdraw (it is cancelled)."""
        can.must_be_lead_moderator(actor, self.lead_agency, "withdraw a report")
        if self.status == PUBLISHED and challenge_id is None:
            raise LifecycleError("A published report is withdrawn only by an upheld challenge")
        if self.status in OPEN_STATUSES and self.status != FINAL_ISSUED:
            raise NoReportToWithdraw(
                f"Only a final report can be withdrawn; this inspection is {self.status} "
                "(cancel it instead)"
            )
        self._require(FINAL_ISSUED, PUBLISHED, doing="withdraw")
        if not reason.strip():
            raise InvalidInput("Give a reason for withdrawing")
        limits.REASON.checked(reason)
        self._close_open_challenges(actor)
        self.trigger_event(
            self.Withdrawn, actor=actor, on=today, reason=reason.strip(), challenge_id=challenge_id
        )

    def judgment_makers(self, areas: Iterable[str] | None = None) -> set[str]:
        """Return the users who made the given judgments (all, if none named)."""
        chosen = self.judgments if areas is None else {a: self.judgments[a] for a in areas}
        return {j["made_by"] for j in chosen.values()}

    def has_overall(self) -> bool:
        return OVERALL in self.judgments
