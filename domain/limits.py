"""Every free-text input's limits, defined once: the API schemas, the forms, the importers and
the aggregates all check a value against the same `TextLimit`, so nothing the log accepts can
be refused later by a read model, a page or an export."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from domain.errors import InvalidInput
from domain.events import JudgmentInput, Narrative

# The characters no field may hold: control characters (category Cc: C0, DEL and C1) and lone
# surrogates (Cs); a text area's may hold its own controls (newline, carriage return, tab).
REFUSED = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
REFUSED_MULTILINE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


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
    pattern: str = ""  # a code's whole value must match it (when not blank)
    pattern_hint: str = ""  # how to say the pattern to a person ("SC followed by 6 digits")
    example: str = ""

    def problem(self, value: object) -> str | None:
        """Return why `value` is refused (a sentence naming the field), or None."""
        if not isinstance(value, str):
            return f"{self.label} must be text"
        if self.required and not value.strip():
            return f"Enter {self.label.lower()}"
        if len(value) > self.max_length:
            return f"{self.label} must be {self.max_length:,} characters or fewer"
        bad = (REFUSED_MULTILINE if self.multiline else REFUSED).search(value)
        if bad is not None:
            return f"{self.label} must not contain the character U+{ord(bad.group()):04X}"
        if self.pattern and value and not re.fullmatch(self.pattern, value):
            return f"{self.label} must be {self.pattern_hint}, like {self.example}"
        return None

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


def code(field: str, label: str, pattern: str, hint: str, example: str) -> TextLimit:
    """A code of a set form (a URN): one line, required, matching `pattern` whole."""
    return TextLimit(field, label, len(example), True, False, pattern, hint, example)


def items(field: str, label: str, max_items: int = 50) -> ListLimit:
    return ListLimit(prose(field, label), max_items)


# --- the ledger's fields ------------------------------------------------------------------
COUNCIL_CODE = line("council", "Council code", 20, required=True)
USERNAME = line("username", "Username", 100, required=True)
DISPLAY_NAME = line("display_name", "Full name", 200, required=True)
EMAIL = line("email", "Email address", 254, required=True)
ACCOUNT_REASON = prose("reason", "Reason", 1000, required=True)
ORGANISATION = line("organisation", "Organisation", 20, required=True)
PASSWORD = TextLimit("password", "Password", 256, required=True, multiline=False)
TWO_FACTOR_CODE = line("code", "Code", 40, required=True)
COUNCIL_NAME = line("name", "Council name", 200, required=True)
SEARCH = line("q", "Council name", 100)  # a search, never stored
THEME = line("theme", "Theme", 200)
# Ofsted's unique reference number of a regulated setting: SC and six digits (SC999001)
SETTING_URN = code(
    "setting_urn", "Setting URN", r"SC[0-9]{6}", "SC followed by 6 digits", "SC999001"
)
SETTING_NAME = line("setting_name", "Setting name", 200, required=True)
PROVIDER_NAME = line("provider", "Provider", 200)
SCHEDULING_REASON = prose("reason", "Why this type", 1000)
SUMMARY = prose("summary", "Summary", required=True)
STRENGTHS = items("strengths", "Strengths")
AREAS_FOR_IMPROVEMENT = items("areas_for_improvement", "Areas for improvement")
RECOMMENDATIONS = items("recommendations", "Recommendations")
EVIDENCE = items("evidence", "Evidence")
JUDGMENT_AREA = line("area", "Judgment area", 60, required=True)
GRADE = line("grade", "Grade", 100, required=True)  # area SEND outcomes are long
MAX_JUDGMENTS = 20
COMMENT = prose("comment", "Comment", 20000)
REASON = prose("reason", "Reason", required=True)
REFERENCE = line("reference", "Reference", 60)
GROUNDS = prose("grounds", "Grounds", required=True)
REASONS = prose("reasons", "Reasons", required=True)
RECOMMENDATION = prose("recommendation", "Recommendation", required=True)
ADJUDICATOR_NAME = line("adjudicator_name", "Adjudicator", 200)
PLAN_SUMMARY = prose("summary", "Summary", 20000, required=True)
ACTION_AREA = line("area", "Area", 200)
ACTION_RECOMMENDATION = prose("recommendation", "Recommendation", 2000)
DESCRIPTION = prose("description", "Description", required=True)
OWNER = line("owner", "Owner", 200, required=True)
NOTE = prose("note", "Progress note", required=True)
DETAILS = prose("details", "Details")
REPORT_SECTION = line("section", "Report section", 80)
REPORT_PARTS = {  # the parts of a report's section (domain/inspection/document.py)
    "text": prose("text", "Text", 20000),
    "working_well": prose("working_well", "What is working well", 20000),
    "needs_to_improve": prose("needs_to_improve", "What needs to improve", 20000),
    "recommendations": prose("recommendations", "Recommendations", 20000),
}
COMMENT_ID = line("comment_id", "Comment", 20, required=True)
ANSWER_REASON = prose("reason", "Reason", 4000)
# a concern (domain/concern.py): who raised it may stay anonymous; the concern itself is required
CONCERN_NAME = line("name", "Your name", 200)
CONCERN_EMAIL = line("email", "Your email address", 254)
CONCERN_TEXT = prose("concern", "Your concern", 10000, required=True)
CONCERN_INSPECTION = line("inspection_id", "Inspection", 36)
REASON_CONCERN = line("reason_concern", "The concern (its id) that brings the visit forward", 36)


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
