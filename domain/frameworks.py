"""Inspection frameworks as data (DOMAIN.md §3): areas, scale, overall, rules, dates."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from domain.errors import (
    InvalidInput,
    JudgmentRequired,
    JudgmentsIncomplete,
    NoFrameworkApplies,
    NoOverallJudgmentInFramework,
    UngradedInspection,
    UnknownJudgmentArea,
)
from domain.grades import FOUR_POINT, NOT_JUDGED, GradeScale
from domain.inspection_types import Notice
from domain.policy import Policy
from domain.rules import (
    OVERALL,
    CapsOverall,
    HeadlineRule,
    InadequateWhenAnyJudgmentInadequate,
    JudgmentRule,
    LimitingJudgment,
    OverallIsHeadline,
    OverallWithinKeyJudgments,
)


@dataclass(frozen=True)
class JudgmentArea:
    key: str
    title: str
    part_of: str | None = None  # a graded sub-judgment names the judgment it belongs to
    counts_toward_overall: bool = True
    required: bool = True  # a judgment every complete set must make
    may_go_unjudged: bool = False  # Ofsted made no judgment where there was nothing to judge


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
    rates_council: bool = True  # False: it rates a setting, never its council's services

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
        """Return the published wording of an area (or overall effectiveness)."""
        return self.titles().get(area, area)

    def titles(self) -> dict[str, str]:
        titles = {a.key: a.title for a in self.areas}
        if self.has_overall:
            titles[OVERALL] = "Overall effectiveness"
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
                f"{self.title} makes no overall effectiveness judgment"
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


SIF_KEY_AREAS = ("help_and_protection", "looked_after", "leadership")
ILACS_KEY_AREAS = ("leaders", "help_and_protection", "children_in_care")
ILACS_2023_KEY_AREAS = (*ILACS_KEY_AREAS, "care_leavers")
LEADERS = JudgmentArea(
    "leaders", "The impact of leaders on social work practice with children and families"
)
HELP_AND_PROTECTION = JudgmentArea(
    "help_and_protection", "The experiences and progress of children who need help and protection"
)
CHILDREN_IN_CARE = JudgmentArea(
    "children_in_care", "The experiences and progress of children in care"
)
CARE_LEAVERS = JudgmentArea("care_leavers", "The experiences and progress of care leavers")
ILACS_TYPES = {
    "standard": Notice.MONDAY_BEFORE,
    "short": Notice.MONDAY_BEFORE,
    "focused_visit": Notice.WORKING_DAYS,
    "monitoring_visit": Notice.AGREED,
}

SIF = Framework(
    key="sif",
    title="Single inspection framework (SIF)",
    applies_from=date(2013, 11, 1),
    applies_to=date(2017, 12, 31),
    types={"standard": Notice.UNANNOUNCED, "monitoring_visit": Notice.AGREED},
    # re-inspections of councils judged Inadequate under SIF went on into 2018 (last published Aug)
    continued_to={"standard": date(2018, 6, 30)},
    areas=(
        JudgmentArea("help_and_protection", "Children who need help and protection"),
        JudgmentArea(
            "looked_after", "Children looked after and achieving permanence", may_go_unjudged=True
        ),
        JudgmentArea(
            "adoption_performance",
            "Adoption performance",
            part_of="looked_after",
            counts_toward_overall=False,
            may_go_unjudged=True,
        ),
        JudgmentArea(
            "care_leavers",
            "The experiences and progress of care leavers",
            part_of="looked_after",
            counts_toward_overall=False,
            may_go_unjudged=True,
        ),
        JudgmentArea("leadership", "Leadership, management and governance"),
        JudgmentArea(
            "lscb",
            "Review of the Local Safeguarding Children Board",
            counts_toward_overall=False,
            required=False,
        ),
    ),
    has_overall=True,
    rules=(LimitingJudgment(SIF_KEY_AREAS), OverallWithinKeyJudgments(SIF_KEY_AREAS)),
)
ILACS_2018 = Framework(
    key="ilacs_2018",
    title="ILACS 2018",
    applies_from=date(2018, 1, 1),
    applies_to=date(2022, 12, 31),
    types=ILACS_TYPES,
    areas=(
        LEADERS,
        HELP_AND_PROTECTION,
        JudgmentArea(
            "children_in_care", "The experiences and progress of children in care and care leavers"
        ),
    ),
    has_overall=True,
    rules=(OverallWithinKeyJudgments(ILACS_KEY_AREAS),),
)
ILACS_2023 = Framework(
    key="ilacs_2023",
    title="ILACS 2023",
    applies_from=date(2023, 1, 1),
    applies_to=date(2026, 3, 31),
    types=ILACS_TYPES,
    areas=(LEADERS, HELP_AND_PROTECTION, CHILDREN_IN_CARE, CARE_LEAVERS),
    has_overall=True,
    rules=(OverallWithinKeyJudgments(ILACS_2023_KEY_AREAS),),
)
ILACS_2026 = Framework(
    key="ilacs_2026",
    title="ILACS 2026",
    applies_from=date(2026, 4, 1),
    applies_to=None,
    types=ILACS_TYPES,
    areas=(LEADERS, HELP_AND_PROTECTION, CHILDREN_IN_CARE, CARE_LEAVERS),
    has_overall=False,
    headline_rule=InadequateWhenAnyJudgmentInadequate(),
)
JTAI = Framework(
    key="jtai",
    title="Joint targeted area inspection (JTAI)",
    applies_from=date(2015, 4, 1),
    applies_to=None,
    types={"jtai": Notice.WORKING_DAYS},
    partners=("OFSTED", "CQC", "HMICFRS", "HMIP"),
    finding_from_every_partner=True,
)
SCCIF = Framework(
    key="sccif",
    title="Social care common inspection framework (SCCIF)",
    applies_from=date(2017, 4, 1),
    applies_to=None,
    types={"sccif_full": Notice.UNANNOUNCED},
    areas=(
        JudgmentArea(
            "experiences_and_progress",
            "Overall experiences and progress of children and young people",
        ),
        JudgmentArea(
            "helped_and_protected", "How well children and young people are helped and protected"
        ),
        JudgmentArea("leaders_and_managers", "The effectiveness of leaders and managers"),
    ),
    has_overall=True,
    rates_council=False,
    rules=(
        LimitingJudgment(("helped_and_protected",)),
        CapsOverall(
            "leaders_and_managers",
            when="Inadequate",
            no_better_than="Requires improvement to be good",
        ),
    ),
)

FRAMEWORKS: dict[str, Framework] = {
    f.key: f for f in (SIF, ILACS_2018, ILACS_2023, ILACS_2026, JTAI, SCCIF)
}


def framework(key: str) -> Framework:
    """Return the framework with this key, or refuse an unknown one."""
    try:
        return FRAMEWORKS[key]
    except KeyError:
        raise InvalidInput(f"Unknown framework '{key}' (known: {', '.join(FRAMEWORKS)})") from None


def framework_for(type_key: str, starts_on: date) -> Framework:
    """Choose the framework in force (before one whose type ran on past its end) for this type."""
    running = [f for f in FRAMEWORKS.values() if f.runs(type_key, starts_on)]
    running.sort(key=lambda f: not f.applies_on(starts_on))
    if running:
        return running[0]
    raise NoFrameworkApplies(
        f"No framework runs a '{type_key}' inspection starting on {starts_on.isoformat()}"
    )


def check_framework_fits(chosen: Framework, type_key: str, starts_on: date) -> None:
    """Refuse a framework that does not run this type of inspection on this day."""
    if type_key not in chosen.types:
        raise NoFrameworkApplies(f"{chosen.title} does not run '{type_key}' inspections")
    if not chosen.runs(type_key, starts_on):
        last = chosen.continued_to.get(type_key, chosen.applies_to)
        raise NoFrameworkApplies(
            f"{chosen.title} did not apply on {starts_on.isoformat()} "
            f"(it applies from {chosen.applies_from.isoformat()}"
            + (f" to {last.isoformat()})" if last else ")")
        )
