"""Rules a framework imposes on a set of judgments: small objects, checked before an event."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from domain.errors import (
    LimitingJudgmentBroken,
    OverallBetterThanCap,
    OverallOutsideKeyJudgments,
)
from domain.grades import INADEQUATE, GradeScale, judged

OVERALL = "overall"


class JudgmentRule(Protocol):
    """A rule checks the grades given so far and raises a FrameworkRuleBroken if broken."""

    @property
    def name(self) -> str:
        """The rule's name, as error messages and documentation give it."""
        ...

    def check(
        self, grades: Mapping[str, str], scale: GradeScale, titles: Mapping[str, str]
    ) -> None:
        """Raise if the grades break this rule; stay silent if they keep it or cannot yet tell."""
        ...

    def describe(self, titles: Mapping[str, str]) -> str:
        """Say the rule in plain English, naming areas by their titles."""
        ...


@dataclass(frozen=True)
class OverallWithinKeyJudgments:
    """Overall effectiveness lies between the best and the worst of the key judgments."""

    key_areas: tuple[str, ...]
    name: str = "overall-within-key-judgments"

    def describe(self, titles: Mapping[str, str]) -> str:
        return (
            "Overall effectiveness can be no better than the best, and no worse than the worst, "
            f"of {_names(self.key_areas, titles)}."
        )

    def check(
        self, grades: Mapping[str, str], scale: GradeScale, titles: Mapping[str, str]
    ) -> None:
        overall = grades.get(OVERALL)
        # The range only widens as key judgments arrive: until all are in, we cannot yet tell.
        if overall is None or any(a not in grades for a in self.key_areas):
            return
        # it lies within the key judgments made: one not judged widens nothing
        given = judged([grades[a] for a in self.key_areas])
        if not given:
            return
        best, worst = scale.best(given), scale.worst(given)
        if not scale.rank(best) <= scale.rank(overall) <= scale.rank(worst):
            raise OverallOutsideKeyJudgments(
                f"Overall effectiveness '{overall}' must lie between the best ('{best}') "
                f"and the worst ('{worst}') of the key judgments"
            )


@dataclass(frozen=True)
class LimitingJudgment:
    """If the limiting area is graded Inadequate, overall effectiveness must be Inadequate."""

    areas: tuple[str, ...]
    name: str = "limiting-judgment"

    def describe(self, titles: Mapping[str, str]) -> str:
        areas = _names(self.areas, titles, "or")
        return f"If {areas} is Inadequate, overall effectiveness is Inadequate."

    def check(
        self, grades: Mapping[str, str], scale: GradeScale, titles: Mapping[str, str]
    ) -> None:
        overall = grades.get(OVERALL)
        if overall is None or overall == INADEQUATE:
            return
        for area in self.areas:
            if grades.get(area) == INADEQUATE:
                raise LimitingJudgmentBroken(
                    f"'{titles[area]}' is Inadequate, a limiting judgment: "
                    f"overall effectiveness must be Inadequate, not '{overall}'"
                )


@dataclass(frozen=True)
class CapsOverall:
    """If the area is graded `when`, overall effectiveness is no better than `no_better_than`."""

    area: str
    when: str
    no_better_than: str
    name: str = "overall-capped-by-judgment"

    def describe(self, titles: Mapping[str, str]) -> str:
        return (
            f"If {titles[self.area]} is {self.when}, overall effectiveness can be no better "
            f"than {self.no_better_than}."
        )

    def check(
        self, grades: Mapping[str, str], scale: GradeScale, titles: Mapping[str, str]
    ) -> None:
        overall = grades.get(OVERALL)
        if overall is None or grades.get(self.area) != self.when:
            return
        if scale.rank(overall) < scale.rank(self.no_better_than):
            raise OverallBetterThanCap(
                f"'{titles[self.area]}' is {self.when}: overall effectiveness can be "
                f"no better than '{self.no_better_than}', not '{overall}'"
            )


def _names(areas: tuple[str, ...], titles: Mapping[str, str], joiner: str = "and") -> str:
    names = [f"'{titles[a]}'" for a in areas]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {joiner} {names[-1]}"


class HeadlineRule(Protocol):
    """How a framework's judgments give the one grade lists, statistics and monitoring use."""

    def headline(self, grades: Mapping[str, str], inadequate_when_any: bool) -> str | None:
        """Return the headline grade, or None where the judgments give no single one."""
        ...

    def describe(self) -> str:
        """Say how the headline grade is found, in plain English."""
        ...


@dataclass(frozen=True)
class OverallIsHeadline:
    """The headline is overall effectiveness (SIF, ILACS 2018 and 2023, SCCIF)."""

    def headline(self, grades: Mapping[str, str], inadequate_when_any: bool) -> str | None:
        return grades.get(OVERALL)

    def describe(self) -> str:
        return "The overall effectiveness judgment."


@dataclass(frozen=True)
class InadequateWhenAnyJudgmentInadequate:
    """No overall judgment (ILACS 2026): Inadequate when any judgment is (a policy setting),
    otherwise no single headline grade: every judgment is shown instead."""

    def headline(self, grades: Mapping[str, str], inadequate_when_any: bool) -> str | None:
        return INADEQUATE if inadequate_when_any and INADEQUATE in grades.values() else None

    def describe(self) -> str:
        return (
            "There is no overall judgment: every judgment is shown, and the council is counted "
            "Inadequate when any judgment is Inadequate."
        )
