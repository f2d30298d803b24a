"""Inspection types (DOMAIN.md §4): what each is, how long on site, how notice is given."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from domain.errors import InvalidInput


class Notice(StrEnum):
    """How the council learns of an inspection."""

    MONDAY_BEFORE = "phone call on the Monday of the week before"
    UNANNOUNCED = "unannounced"
    AGREED = "agreed in advance"
    WORKING_DAYS = "working days' notice"


@dataclass(frozen=True)
class InspectionType:
    key: str
    label: str
    graded: bool
    on_site_working_days: int
    outcome: str


STANDARD = InspectionType("standard", "Standard inspection", True, 10, "graded report")
SHORT = InspectionType("short", "Short inspection", True, 5, "graded report")
FOCUSED_VISIT = InspectionType("focused_visit", "Focused visit", False, 2, "letter, no grades")
MONITORING_VISIT = InspectionType(
    "monitoring_visit", "Monitoring visit", False, 2, "letter, no grades"
)
JTAI = InspectionType(
    "jtai", "Joint targeted area inspection", False, 10, "joint letter, no grades"
)
SCCIF_FULL = InspectionType(
    "sccif_full", "Full inspection of a regulated setting", True, 2, "graded report"
)
ACTION_PLANNING_VISIT = InspectionType(
    "action_planning_visit",
    "Action-planning visit",
    False,
    2,
    "no grades: how the council's improvement plan will be checked",
)
YOUTH_JUSTICE = InspectionType(
    "youth_justice",
    "Inspection of youth justice services",
    True,
    5,
    "report rating each standard and the service overall",
)
AREA_SEND = InspectionType(
    "area_send",
    "Area SEND inspection",
    True,  # it records one outcome (not a grade) through the same judgment step
    5,
    "report with one of three outcomes, no grades",
)

INSPECTION_TYPES: dict[str, InspectionType] = {
    t.key: t
    for t in (
        STANDARD,
        SHORT,
        FOCUSED_VISIT,
        MONITORING_VISIT,
        ACTION_PLANNING_VISIT,
        JTAI,
        SCCIF_FULL,
        YOUTH_JUSTICE,
        AREA_SEND,
    )
}


def inspection_type(key: str) -> InspectionType:
    """Return the inspection type with this key, or refuse an unknown one."""
    try:
        return INSPECTION_TYPES[key]
    except KeyError:
        known = ", ".join(INSPECTION_TYPES)
        raise InvalidInput(f"Unknown inspection type '{key}' (known: {known})") from None
