"""The Inspection aggregate: schedule, fieldwork, judgments, report, publication (DOMAIN.md §4)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any
from uuid import UUID

from domain import limits
from domain import permissions as can
from domain.actors import Actor
from domain.errors import InvalidInput, NoticeTooShort
from domain.events import JudgmentInput, LedgerAggregate, stable_id
from domain.frameworks import Framework, check_framework_fits, framework
from domain.inspection.document import Version
from domain.inspection.endings import Disputes
from domain.inspection.fieldwork import Fieldwork
from domain.inspection.report import Reporting
from domain.inspection.state import (
    CANCELLED,
    DRAFT_ISSUED,
    FINAL_ISSUED,
    JUDGMENTS_MADE,
    ON_SITE,
    OPEN_STATUSES,
    PUBLISHED,
    SCHEDULED,
    WITHDRAWN,
)
from domain.inspection_types import Notice, inspection_type
from domain.policy import Policy
from domain.rules import OVERALL
from domain.scheduling import check_proportionate
from domain.setting import check_subject
from domain.working_days import add_working_days, monday_of_week_before

# the source of the demo's invented inspections of real councils: pages mark them as such
DEMONSTRATION = "demonstration"

__all__ = [
    "CANCELLED",
    "DEMONSTRATION",
    "DRAFT_ISSUED",
    "FINAL_ISSUED",
    "JUDGMENTS_MADE",
    "ON_SITE",
    "OPEN_STATUSES",
    "PUBLISHED",
    "SCHEDULED",
    "WITHDRAWN",
    "Inspection",
    "inspection_id",
    "notice_date",
]


def inspection_id(subject: str, type_key: str, starts_on: date) -> UUID:
    """Return the id of the inspection of this type of this council (or setting, by its URN)
    starting on this day."""
    return stable_id("inspection", subject, type_key, starts_on.isoformat())


def notice_date(chosen: Framework, type_key: str, starts_on: date, policy: Policy) -> date:
    """Return the latest day the council may be told of an inspection starting on `starts_on`."""
    notice = chosen.types[type_key]
    if notice is Notice.MONDAY_BEFORE:
        return monday_of_week_before(starts_on)
    if notice is Notice.WORKING_DAYS:
        return add_working_days(starts_on, -policy.notice_working_days[type_key])
    return starts_on


class Inspection(Fieldwork, Reporting, Disputes, LedgerAggregate):
    """One inspection or visit of one council."""

    # The steps' events, named here so their topics stay `domain.inspection:Inspection.<Event>`.
    OnSiteStarted = Fieldwork.OnSiteStarted
    FindingRecorded = Fieldwork.FindingRecorded
    JudgmentRecorded = Fieldwork.JudgmentRecorded
    JudgmentsMade = Fieldwork.JudgmentsMade
    DraftIssued = Reporting.DraftIssued
    FactualAccuracyCommented = Reporting.FactualAccuracyCommented
    ReportSectionWritten = Reporting.ReportSectionWritten
    FactualAccuracyAnswered = Reporting.FactualAccuracyAnswered
    FinalReportIssued = Reporting.FinalReportIssued
    Published = Reporting.Published
    ChallengeOpened = Disputes.ChallengeOpened
    ChallengeResolved = Disputes.ChallengeResolved
    JudgmentRevised = Disputes.JudgmentRevised
    Cancelled = Disputes.Cancelled
    Withdrawn = Disputes.Withdrawn

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
        setting_urn: str  # the regulated setting inspected, or "" for the council's services (v3)

        class_version = 3

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["reason"] = ""

        @staticmethod
        def upcast_v2_v3(state: dict[str, Any]) -> None:
            state["setting_urn"] = ""

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
        setting_urn: str,
    ) -> None:
        self.council, self.type, self.framework_key = council, type, framework
        self.setting_urn = setting_urn
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
        self.report_sections: dict[str, dict[str, Any]] = {}
        self.report_versions: list[Version] = []
        self.published_names: dict[str, str] = {}

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
        visits_since: Iterable[str] = (),
        setting_urn: str = "",
        source: str = "",
    ) -> Inspection:
        """Schedule an inspection, giving the notice its type and framework require; a type
        other than the one the council's history (previous grade, visits since) calls for needs
        a reason. A framework that rates settings inspects the one `setting_urn` names, and only
        such a framework. `source` is "" for real work, or DEMONSTRATION for the demo's own."""
        if source not in ("", DEMONSTRATION):
            raise InvalidInput(f"An inspection is scheduled for real or as '{DEMONSTRATION}'")
        chosen = framework(framework_key)
        inspection_type(type_key)
        check_subject(chosen, setting_urn)
        reason = check_proportionate(type_key, previous_grade, reason, visits_since)
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
            actor,
            council,
            type_key,
            chosen,
            starts_on,
            notice_on,
            agencies,
            theme,
            source,
            reason,
            setting_urn,
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
        setting_urn: str = "",
    ) -> Inspection:
        limits.THEME.checked(theme)
        partners = sorted({chosen.lead_agency, *chosen.partners, *agencies})
        return cls._create(
            cls.Scheduled,
            id=inspection_id(setting_urn or council, type_key, starts_on),
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
            setting_urn=setting_urn,
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
        setting_urn: str = "",
    ) -> Inspection:
        """Record a published outcome from history, through the same framework rules."""
        can.must_be_administrator(actor, "import published history")
        chosen = framework(framework_key)
        check_subject(chosen, setting_urn)
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
            actor,
            council,
            type_key,
            chosen,
            starts_on,
            starts_on,
            (),
            theme,
            source,
            "",
            setting_urn,
        )
        for judgment in judgments:
            inspection._record(actor, judgment)
        inspection.trigger_event(
            cls.Published, actor=actor, on=published_on, source=source, named={}
        )
        return inspection

    def judgment_makers(self, areas: Iterable[str] | None = None) -> set[str]:
        """Return the users who made the given judgments (all, if none named)."""
        chosen = self.judgments if areas is None else {a: self.judgments[a] for a in areas}
        return {j["made_by"] for j in chosen.values()}

    def has_overall(self) -> bool:
        return OVERALL in self.judgments
