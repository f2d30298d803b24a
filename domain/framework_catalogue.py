"""Ofsted's frameworks as data (DOMAIN.md §3): one entry per framework, rules named in it."""

from __future__ import annotations

from datetime import date

from domain.framework_model import Framework, JudgmentArea
from domain.inspection_types import Notice
from domain.rules import (
    CapsOverall,
    InadequateWhenAnyJudgmentInadequate,
    LimitingJudgment,
    OverallWithinKeyJudgments,
)

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
    "action_planning_visit": Notice.AGREED,
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
    inspects_settings=True,
    rules=(
        LimitingJudgment(("helped_and_protected",)),
        CapsOverall(
            "leaders_and_managers",
            when="Inadequate",
            no_better_than="Requires improvement to be good",
        ),
    ),
)

OFSTED_FRAMEWORKS = (SIF, ILACS_2018, ILACS_2023, ILACS_2026, JTAI, SCCIF)
