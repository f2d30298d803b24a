"""Every free-text input's limits, defined once: the API schemas, the forms, the importers and
the aggregates all check a value against the same `TextLimit`, so nothing the log accepts can
be refused later by a read model, a page or an export."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from domain.errors import InvalidInput
from domain.events import JudgmentInput, Narrative

MULTILINE_CONTROLS = frozenset("\n\r\t")  # text areas send CR LF; a tab is harmless


class TextRefused(InvalidInput):
    """A text value breaks its field's limits; `field` names the field."""

    rule = "text-limits"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class TextLimit:
    """The limits of one text field: its length and which characters it may hold."""

    field: str
    label: str
    max_length: int
    required: bool = False
    multiline: bool = True

    def problem(self, value: object) -> str | None:
        """Return why `value` is refused (a sentence naming the field), or None."""
        if not isinstance(value, str):
            return f"{self.label} must be text"
        if self.required and not value.strip():
            return f"Enter {self.label.lower()}"
        if len(value) > self.max_length:
            return f"{self.label} must be {self.max_length:,} characters or fewer"
        bad = next((c for c in value if not self.allows(c)), None)
        if bad is not None:
            return f"{self.label} must not contain the character U+{ord(bad):04X}"
        return None

    def allows(self, char: str) -> bool:
        """Refuse NUL, lone surrogates and control characters (but newline and tab)."""
        kind = unicodedata.category(char)
        if kind == "Cs":
            return False
        if kind == "Cc":
            return self.multiline and char in MULTILINE_CONTROLS
        return True

    def checked(self, value: str) -> str:
        """Return `value`, or raise `TextRefused` naming this field."""
        message = self.problem(value)
        if message:
            raise TextRefused(self.field, message)
        return value


@dataclass(frozen=True)
class ListLimit:
    """The limits of a list of text items (lines of evidence, strengths...)."""

    item: TextLimit
    max_items: int

    def problem(self, values: object) -> str | None:
        if not isinstance(values, list | tuple):
            return f"{self.item.label} must be a list"
        if len(values) > self.max_items:
            return f"{self.item.label}: give {self.max_items} items or fewer"
        return next((p for p in map(self.item.problem, values) if p), None)

    def checked(self, values: Iterable[str]) -> list[str]:
        items = list(values)
        message = self.problem(items)
        if message:
            raise TextRefused(self.item.field, message)
        return items


def line(field: str, label: str, max_length: int, required: bool = False) -> TextLimit:
    return TextLimit(field, label, max_length, required, multiline=False)


def prose(field: str, label: str, max_length: int = 4000, required: bool = False) -> TextLimit:
    return TextLimit(field, label, max_length, required, multiline=True)


def items(field: str, label: str, max_items: int = 50) -> ListLimit:
    return ListLimit(prose(field, label), max_items)


# --- the ledger's fields ------------------------------------------------------------------
COUNCIL_CODE = line("council", "Council code", 20, required=True)
USERNAME = line("username", "Username", 100, required=True)
COUNCIL_NAME = line("name", "Council name", 200, required=True)
SEARCH = line("q", "Council name", 100)  # a search, never stored
THEME = line("theme", "Theme", 200)
SCHEDULING_REASON = prose("reason", "Why this type", 1000)
SUMMARY = prose("summary", "Summary", required=True)
STRENGTHS = items("strengths", "Strengths")
AREAS_FOR_IMPROVEMENT = items("areas_for_improvement", "Areas for improvement")
RECOMMENDATIONS = items("recommendations", "Recommendations")
EVIDENCE = items("evidence", "Evidence")
JUDGMENT_AREA = line("area", "Judgment area", 60, required=True)
GRADE = line("grade", "Grade", 60, required=True)
MAX_JUDGMENTS = 20
COMMENT = prose("comment", "Comment", 20000)
REASON = prose("reason", "Reason", required=True)
REFERENCE = line("reference", "Reference", 60)
GROUNDS = prose("grounds", "Grounds", required=True)
REASONS = prose("reasons", "Reasons", required=True)
RECOMMENDATION = prose("recommendation", "Recommendation", required=True)
PLAN_SUMMARY = prose("summary", "Summary", 20000, required=True)
ACTION_AREA = line("area", "Area", 200)
ACTION_RECOMMENDATION = prose("recommendation", "Recommendation", 2000)
DESCRIPTION = prose("description", "Description", required=True)
OWNER = line("owner", "Owner", 200, required=True)
NOTE = prose("note", "Progress note", required=True)
DETAILS = prose("details", "Details")


def checked_revisions(revisions: Mapping[str, str]) -> dict[str, str]:
    """Return the revised grades by area, each key and value within its field's limits."""
    if len(revisions) > MAX_JUDGMENTS:
        raise TextRefused("revisions", f"Revise {MAX_JUDGMENTS} judgments or fewer")
    return {JUDGMENT_AREA.checked(a): GRADE.checked(g) for a, g in revisions.items()}


def checked_narrative(narrative: Narrative) -> Narrative:
    """Return the narrative, each of its lists within its limits."""
    STRENGTHS.checked(narrative.strengths)
    AREAS_FOR_IMPROVEMENT.checked(narrative.areas_for_improvement)
    RECOMMENDATIONS.checked(narrative.recommendations)
    return narrative


def checked_judgments(judgments: list[JudgmentInput]) -> list[JudgmentInput]:
    """Return the judgments, each area, grade and narrative within its limits."""
    if len(judgments) > MAX_JUDGMENTS:
        raise TextRefused("judgments", f"Give {MAX_JUDGMENTS} judgments or fewer")
    for judgment in judgments:
        JUDGMENT_AREA.checked(judgment.area)
        GRADE.checked(judgment.grade)
        checked_narrative(judgment.narrative)
    return judgments
