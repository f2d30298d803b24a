"""Builders shared by the domain tests: actors, an inspection at any stage, judgment sets."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.actors import Actor
from domain.events import JudgmentInput, Narrative
from domain.frameworks import framework, framework_for
from domain.inspection import (
    DRAFT_ISSUED,
    FINAL_ISSUED,
    JUDGMENTS_MADE,
    ON_SITE,
    PUBLISHED,
    SCHEDULED,
    Inspection,
)
from domain.policy import DEFAULT_POLICY
from domain.working_days import add_working_days

COUNCIL = "E09000002"
INSPECTOR = Actor("ian.inspector", "inspector", "OFSTED")
MODERATOR = Actor("mo.moderator", "moderator", "OFSTED")
OFFICER = Actor("olu.officer", "council_officer", COUNCIL)
STARTS_2025 = date(2025, 3, 3)  # ILACS 2023; reports fall in the 2023 challenge era
STARTS_2022 = date(2022, 3, 7)  # ILACS 2018; reports fall in the era before 2023
LATE = date(2030, 1, 7)  # long after every deadline
STAGES = (SCHEDULED, ON_SITE, JUDGMENTS_MADE, DRAFT_ISSUED, FINAL_ISSUED, PUBLISHED)


def next_working_day(day: date) -> date:
    return add_working_days(day, 1)


def cases(*rows: tuple) -> list:
    """Turn rows whose first item is a sentence into test cases with that sentence as id."""
    return [pytest.param(*values, id=name) for name, *values in rows]


def every_area(framework_key: str, grade: str = "Good") -> list[JudgmentInput]:
    """Grade every area of the framework (and overall, where it has one) alike."""
    return [
        JudgmentInput(area, grade, Narrative(recommendations=[f"Improve {area}"]))
        for area in framework(framework_key).area_keys()
    ]


def make_judgments(inspection: Inspection, grade: str = "Good") -> None:
    if inspection.graded:
        inspection.record_judgments(INSPECTOR, every_area(inspection.framework_key, grade))
    inspection.complete_judgments(INSPECTOR, inspection.starts_on + timedelta(days=11))


# How each stage is reached the usual way: (inspection, grade) -> None.
# fmt: off
STEPS = {
    ON_SITE: lambda i, grade: i.start_on_site(INSPECTOR, i.starts_on),
    JUDGMENTS_MADE: make_judgments,
    DRAFT_ISSUED: lambda i, grade: i.issue_draft(INSPECTOR, i.starts_on + timedelta(days=35),
                                                 DEFAULT_POLICY),
    FINAL_ISSUED: lambda i, grade: i.issue_final_report(MODERATOR, next_working_day(i.comments_due),
                                                        DEFAULT_POLICY),
    PUBLISHED: lambda i, grade: i.publish(MODERATOR, next_working_day(i.challenge_window_ends)),
}
# fmt: on


def scheduled(starts_on: date = STARTS_2025, type_key: str = "standard") -> Inspection:
    chosen = framework_for(type_key, starts_on).key
    notice_given = starts_on - timedelta(days=28)
    return Inspection.schedule(
        INSPECTOR, COUNCIL, type_key, chosen, starts_on, notice_given, DEFAULT_POLICY
    )


def inspection_at(
    stage: str, starts_on: date = STARTS_2025, type_key: str = "standard", grade: str = "Good"
) -> Inspection:
    """Return an inspection taken to `stage` the usual way, its events already collected."""
    inspection = scheduled(starts_on, type_key)
    for step in STAGES[1 : STAGES.index(stage) + 1]:
        STEPS[step](inspection, grade)
    inspection.collect_events()
    return inspection


def new_events(inspection: Inspection) -> list[str]:
    return [type(event).__name__ for event in inspection.collect_events()]


def jtai_on_site(agencies: tuple[str, ...] = ()) -> Inspection:
    """A JTAI of children at risk of exploitation, on site from 3 March 2025."""
    theme, starts, notice_given = (
        "children at risk of exploitation",
        date(2025, 3, 3),
        date(2025, 2, 3),
    )
    jtai = Inspection.schedule(
        INSPECTOR, COUNCIL, "jtai", "jtai", starts, notice_given, DEFAULT_POLICY, agencies, theme
    )
    jtai.start_on_site(INSPECTOR, starts)
    return jtai
