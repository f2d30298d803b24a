"""What a framework is (DOMAIN.md §3): its areas, scale, overall judgment, rules and dates.

The entries themselves are data in `domain.framework_catalogue` (Ofsted's) and
`domain.partner_frameworks` (led or shared by other inspectorates)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from domain.errors import (
    JudgmentRequired,
    JudgmentsIncomplete,
    NoOverallJudgmentInFramework,
    UngradedInspection,
    UnknownJudgmentArea,
)
from domain.grades import FOUR_POINT, NOT_JUDGED, GradeScale
from domain.inspection_types import Notice
from domain.policy import Policy
from domain.rules import OVERALL, HeadlineRule, JudgmentRule, OverallIsHeadline


@dataclass(frozen=True)
class JudgmentArea:
    key: str
    title: str
    part_of: str | None = None  # a graded sub-judgment names the judgment it belongs to
    counts_toward_overall: bool = True
    required: bool = True  # a judgment every complete set must make
    may_go_unjudged: bool = False  # Ofsted made no judgment where there was nothing to judge
    group: str = ""  # the domain a standard belongs to (HMI Probation's domains)


@dataclass(frozen=True)
class Framework:
    key: str
    title: str
    applies_from: date
    applies_to: date | None
    types: Mapping[str, Notice]  # the inspection types run under it, with how notice is given
    areas: tuple[JudgmentArea, ...] = ()
    has_overall: bool = False
    scale: GradeScale = FOUR_POINT
    rules: tuple[JudgmentRule, ...] = ()
    partners: tuple[str, ...] = ()  # agencies that each record findings (JTAI)
    finding_from_every_partner: bool = False  # the joint letter waits for each partner's finding
    lead_agency: str = "OFSTED"
    # types that ran on past applies_to, to this start date (SIF re-inspections into 2018)
    continued_to: Mapping[str, date] = field(default_factory=dict)
    headline_rule: HeadlineRule = OverallIsHeadline()
    rates_council: bool = True  # False: it rates a setting or another service, never the
    # council's children's services
    overall_title: str = "Overall effectiveness"  # the published name of the overall judgment
    inspects_settings: bool = False  # True: each inspection is of a regulated setting (SCCIF)

    @property
    def graded(self) -> bool:
        return bool(self.areas)

    def applies_on(self, day: date) -> bool:
        """Say whether the framework was in force on this day."""
        return self.applies_from <= day and (self.applies_to is None or day <= self.applies_to)

    def runs(self, type_key: str, day: date) -> bool:
        """Say whether an inspection of this type starting on this day falls under the framework."""
        last = self.continued_to.get(type_key, self.applies_to)
        return type_key in self.types and self.applies_from <= day and (last is None or day <= last)

    def area_keys(self) -> tuple[str, ...]:
        """Return every gradable key, overall last where the framework has one."""
        keys = tuple(a.key for a in self.areas)
        return (*keys, OVERALL) if self.has_overall else keys

    def title_of(self, area: str) -> str:
        """Return the published wording of an area (or of the overall judgment)."""
        return self.titles().get(area, area)

    def titles(self) -> dict[str, str]:
        titles = {a.key: a.title for a in self.areas}
        if self.has_overall:
            titles[OVERALL] = self.overall_title
        return titles

    def headline(self, grades: Mapping[str, str], policy: Policy) -> str | None:
        """Return the one grade lists, statistics, monitoring and plans use (None: no single)."""
        inadequate_when_any = policy.ilacs_2026_inadequate_when_any_judgment_inadequate
        return self.headline_rule.headline(grades, inadequate_when_any)

    def check_area(self, area: str) -> None:
        """Refuse an area the framework does not judge."""
        if not self.graded:
            raise UngradedInspection(f"{self.title} makes no graded judgments")
        if area == OVERALL and not self.has_overall:
            raise NoOverallJudgmentInFramework(
                f"{self.title} makes no {self.overall_title.lower()} judgment"
            )
        if area not in self.titles():
            known = ", ".join(self.area_keys())
            raise UnknownJudgmentArea(
                f"{self.title} has no judgment area '{area}' (areas: {known})"
            )

    def may_go_unjudged(self, area: str) -> bool:
        """Say whether the area may be left 'not judged' where there was nothing to judge."""
        return area in {a.key for a in self.areas if a.may_go_unjudged}

    def check_grade(self, area: str, grade: str) -> None:
        """Refuse a grade off the scale, or 'not judged' for an area that must be judged."""
        self.check_area(area)
        if grade != NOT_JUDGED:
            self.scale.check(grade)
        elif not self.may_go_unjudged(area):
            raise JudgmentRequired(f"'{self.title_of(area)}' must be judged under {self.title}")

    def check_grades(self, grades: Mapping[str, str]) -> None:
        """Refuse grades that break any of the framework's rules (partial sets allowed)."""
        for area, grade in grades.items():
            self.check_grade(area, grade)
        for rule in self.rules:
            rule.check(grades, self.scale, self.titles())

    def check_complete(self, grades: Mapping[str, str]) -> None:
        """Refuse a set of judgments that leaves an area ungraded."""
        self.check_grades(grades)
        optional = {a.key for a in self.areas if not a.required}
        missing = [
            self.title_of(a) for a in self.area_keys() if a not in grades and a not in optional
        ]
        if missing:
            raise JudgmentsIncomplete("Judgments still to be made: " + "; ".join(missing))
