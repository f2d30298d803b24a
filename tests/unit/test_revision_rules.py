"""Which judgments a decision may revise: only those its challenge names, never the decider's."""

from __future__ import annotations

from datetime import date

import pytest

from domain.actors import Actor
from domain.challenge import UPHELD, Challenge
from domain.challenge_rules import check_revision, revisable_areas
from domain.errors import RevisionOfOwnJudgment, RevisionOutsideChallenge
from domain.events import Narrative
from domain.inspection import DRAFT_ISSUED, FINAL_ISSUED, ON_SITE, Inspection
from domain.policy import DEFAULT_POLICY
from tests.unit.builders import (
    INSPECTOR,
    MODERATOR,
    OFFICER,
    STEPS,
    cases,
    every_area,
    inspection_at,
)

OTHER_MODERATOR = Actor("may.moderator", "moderator", "OFSTED")
BETTER = "Outstanding"


def made_partly_by_the_moderator() -> Inspection:
    """A final report: the moderator made leaders and overall and recorded F1; the inspector the rest."""
    inspection = inspection_at(ON_SITE)
    inspection.record_finding(MODERATOR, "OFSTED", "Thresholds applied well", Narrative())
    areas = {j.area: j for j in every_area("ilacs_2023")}
    inspection.record_judgments(MODERATOR, [areas.pop("leaders"), areas.pop("overall")])
    inspection.record_judgments(INSPECTOR, list(areas.values()))
    inspection.complete_judgments(INSPECTOR, date(2025, 3, 14))
    for step in (DRAFT_ISSUED, FINAL_ISSUED):
        STEPS[step](inspection, "Good")
    inspection.collect_events()
    return inspection


# fmt: off
RULES = cases(
    # sentence, subject, reference, decider, area, refusal (None: allowed)
    ("a judgment challenge revises the judgment challenged", "judgment", "care_leavers", MODERATOR, "care_leavers", None),
    ("and the overall judgment that follows from it", "judgment", "care_leavers", OTHER_MODERATOR, "overall", None),
    ("but not the overall judgment if the decider made it", "judgment", "care_leavers", MODERATOR, "overall", RevisionOfOwnJudgment),
    ("nor a judgment nobody challenged", "judgment", "care_leavers", OTHER_MODERATOR, "children_in_care", RevisionOutsideChallenge),
    ("nor, through another challenge, one the decider made", "judgment", "care_leavers", MODERATOR, "leaders", RevisionOutsideChallenge),
    ("a finding challenge revises no judgment", "finding", "F1", OTHER_MODERATOR, "leaders", RevisionOutsideChallenge),
    ("a report challenge revises any judgment", "report", "", OTHER_MODERATOR, "leaders", None),
    ("and the overall judgment", "report", "", OTHER_MODERATOR, "overall", None),
    ("but never one the decider made", "report", "", MODERATOR, "leaders", RevisionOfOwnJudgment),
)
# fmt: on


@pytest.mark.parametrize(("subject", "reference", "decider", "area", "refusal"), RULES)
def test_which_judgments_a_decision_may_revise(subject, reference, decider, area, refusal):
    inspection = made_partly_by_the_moderator()
    allowed = revisable_areas(subject, reference, inspection, decider)
    if refusal is None:
        check_revision(subject, reference, inspection, decider, area)
        assert area in allowed
    else:
        with pytest.raises(refusal, match=area):
            check_revision(subject, reference, inspection, decider, area)
        assert area not in allowed


def test_the_areas_open_to_revision_follow_the_record_s_order():
    inspection = made_partly_by_the_moderator()
    assert revisable_areas("report", "", inspection, MODERATOR) == [
        "help_and_protection",
        "children_in_care",
        "care_leavers",
    ]
    assert revisable_areas("judgment", "care_leavers", inspection, OTHER_MODERATOR) == [
        "care_leavers",
        "overall",
    ]
    assert revisable_areas("finding", "F1", inspection, OTHER_MODERATOR) == []


def test_a_decision_revising_an_unchallenged_judgment_is_refused_and_records_nothing():
    inspection = made_partly_by_the_moderator()
    challenge = Challenge.lodge(
        OFFICER, inspection, "judgment", "care_leavers", "Misread", [], inspection.final_report_on,
        DEFAULT_POLICY,
    )  # fmt: skip
    challenge.collect_events()
    with pytest.raises(RevisionOutsideChallenge, match="cannot revise leaders"):
        challenge.decide(
            MODERATOR, inspection, UPHELD, "Agreed", [], date(2030, 1, 7), {"leaders": BETTER}
        )
    assert challenge.collect_events() == [] and challenge.status == "under review"
