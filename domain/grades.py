"""Grade scales: each framework names the scale its judgments use."""

from __future__ import annotations

from dataclasses import dataclass

from domain.errors import GradeNotOnScale

OUTSTANDING = "Outstanding"
GOOD = "Good"
REQUIRES_IMPROVEMENT = "Requires improvement to be good"
ADEQUATE = "Adequate"
INADEQUATE = "Inadequate"
NOT_JUDGED = "Not judged"  # Ofsted made no judgment: there was nothing to judge (SIF '-')


def judged(grades: list[str]) -> list[str]:
    """Return the grades that are judgments made (not 'not judged')."""
    return [g for g in grades if g != NOT_JUDGED]


@dataclass(frozen=True)
class GradeScale:
    """An ordered list of grades, best first."""

    name: str
    grades: tuple[str, ...]
    noun: str = "grade"  # what one value is called: a grade, or a published outcome

    def rank(self, grade: str) -> int:
        """Return the grade's rank, 1 for the best."""
        self.check(grade)
        return self.grades.index(grade) + 1

    def check(self, grade: str) -> None:
        """Refuse a grade that is not on this scale."""
        if grade not in self.grades:
            allowed = ", ".join(self.grades)
            raise GradeNotOnScale(f"'{grade}' is not a grade of the {self.name} scale ({allowed})")

    def best(self, grades: list[str]) -> str:
        """Return the best of the given grades, passing over any area not judged."""
        return min(judged(grades), key=self.rank)

    def worst(self, grades: list[str]) -> str:
        """Return the worst of the given grades, passing over any area not judged."""
        return max(judged(grades), key=self.rank)


FOUR_POINT = GradeScale("four-point", (OUTSTANDING, GOOD, REQUIRES_IMPROVEMENT, INADEQUATE))
FOUR_POINT_BEFORE_2013 = GradeScale(
    "four-point (before 2013)", (OUTSTANDING, GOOD, ADEQUATE, INADEQUATE)
)
PEEL_FIVE_POINT = GradeScale(
    "PEEL five-point", (OUTSTANDING, GOOD, ADEQUATE, REQUIRES_IMPROVEMENT, INADEQUATE)
)
