"""Independent challenges (DOMAIN.md §5): each stage is decided by someone not yet involved,
and the adjudicator (ICASO) is an organisation of its own."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.actors import Actor, agency_name
from domain.challenge import NOT_UPHELD, PARTIALLY_UPHELD, Challenge
from domain.errors import (
    AdjudicatorEvidenceMissing,
    AdjudicatorNotNamed,
    InvalidInput,
    PermissionDenied,
    ReviewNotIndependent,
)
from domain.events import Narrative
from domain.inspection import DRAFT_ISSUED, FINAL_ISSUED, ON_SITE, Inspection
from domain.policy import DEFAULT_POLICY
from tests.unit.builders import (
    INSPECTOR,
    MODERATOR,
    OFFICER,
    STARTS_2022,
    STARTS_2025,
    STEPS,
    cases,
    every_area,
    inspection_at,
)

SECOND = Actor("may.moderator", "moderator", "OFSTED")
THIRD = Actor("mina.moderator", "moderator", "OFSTED")
ADJUDICATOR = Actor("ida.adjudicator", "adjudicator", "ICASO")
DAY = date(2030, 1, 7)
LETTER = ["ICASO letter 2030/017"]


def lodged(starts_on: date = STARTS_2022, inspection: Inspection | None = None):
    inspection = inspection or inspection_at(FINAL_ISSUED, starts_on)
    challenge = Challenge.lodge(
        OFFICER, inspection, "judgment", "leaders", "Evidence ignored", [],
        inspection.final_report_on, DEFAULT_POLICY,
    )  # fmt: skip
    return inspection, challenge


def decide(challenge, inspection, actor, outcome=NOT_UPHELD) -> None:
    challenge.decide(actor, inspection, outcome, "Reviewed the files", [], DAY)


def escalate(challenge) -> None:
    era = next(e for e in DEFAULT_POLICY.challenge_eras if e.name == challenge.era)
    challenge.escalate(OFFICER, "Not heard", DAY, era)


def at_internal_review():
    inspection, challenge = lodged()
    decide(challenge, inspection, MODERATOR, PARTIALLY_UPHELD)
    escalate(challenge)
    assert challenge.stage == "internal_review"
    return inspection, challenge


def with_adjudicator(inspection: Inspection | None = None):
    inspection, challenge = lodged(STARTS_2025, inspection)
    decide(challenge, inspection, SECOND)
    escalate(challenge)
    assert challenge.stage == "adjudicator"
    challenge.collect_events()
    return inspection, challenge


def leaders_judged_by_moderator(starts_on: date = STARTS_2025) -> Inspection:
    """A final report whose leaders judgment the (first) moderator made."""
    inspection = inspection_at(ON_SITE, starts_on)
    leaders, *rest = every_area(inspection.framework_key)
    inspection.record_judgments(MODERATOR, [leaders])
    inspection.record_judgments(INSPECTOR, rest)
    inspection.complete_judgments(INSPECTOR, starts_on + timedelta(days=11))
    inspection.record_finding(INSPECTOR, "OFSTED", "Thresholds applied well", Narrative())
    for step in (DRAFT_ISSUED, FINAL_ISSUED):
        STEPS[step](inspection, "Good")
    return inspection


def test_the_internal_review_is_refused_to_the_moderator_who_decided_the_formal_review():
    inspection, challenge = at_internal_review()
    with pytest.raises(ReviewNotIndependent, match="other than the one who decided the formal"):
        decide(challenge, inspection, MODERATOR)
    decide(challenge, inspection, SECOND)
    assert [s["by"] for s in challenge.steps if s["step"] == "decided"] == [
        MODERATOR.user,
        SECOND.user,
    ]


def test_the_internal_review_is_refused_to_the_moderator_who_made_the_judgment():
    inspection, challenge = lodged(STARTS_2022, leaders_judged_by_moderator(STARTS_2022))
    decide(challenge, inspection, SECOND, PARTIALLY_UPHELD)
    escalate(challenge)
    with pytest.raises(ReviewNotIndependent, match="judgment they made"):
        decide(challenge, inspection, MODERATOR)
    decide(challenge, inspection, THIRD)


def test_an_adjudicator_account_records_its_own_finding_named_after_it():
    inspection, challenge = with_adjudicator()
    challenge.record_adjudicator_recommendation(
        ADJUDICATOR, inspection, NOT_UPHELD, "Handled fairly", DAY
    )
    (event,) = challenge.collect_events()
    assert (event.actor, event.adjudicator_name, event.evidence) == (
        ADJUDICATOR,
        ADJUDICATOR.user,
        [],
    )
    assert challenge.steps[-1]["adjudicator"] == ADJUDICATOR.user


def test_a_finding_keyed_in_by_the_inspectorate_names_the_adjudicator_and_its_evidence():
    inspection, challenge = with_adjudicator()
    challenge.record_adjudicator_recommendation(
        THIRD, inspection, NOT_UPHELD, "Handled fairly", DAY, " ICASO: R. Adjudicator ", LETTER
    )
    (event,) = challenge.collect_events()
    assert (event.adjudicator_name, event.evidence) == ("ICASO: R. Adjudicator", LETTER)


# fmt: off
KEYED_IN_REFUSED = cases(
    ("without the adjudicator's name", MODERATOR, "", LETTER, AdjudicatorNotNamed,
     "adjudicator_name"),
    ("with a blank name", MODERATOR, "   ", LETTER, AdjudicatorNotNamed, "adjudicator_name"),
    ("without evidence", MODERATOR, "ICASO", [], AdjudicatorEvidenceMissing, "evidence"),
    ("with only blank evidence", MODERATOR, "ICASO", ["  "], AdjudicatorEvidenceMissing,
     "evidence"),
)
# fmt: on


@pytest.mark.parametrize(("actor", "name", "evidence", "error", "field"), KEYED_IN_REFUSED)
def test_a_finding_keyed_in_without_the_adjudicator_or_evidence_is_refused_naming_the_field(
    actor, name, evidence, error, field
):
    inspection, challenge = with_adjudicator()
    with pytest.raises(error) as refusal:
        challenge.record_adjudicator_recommendation(
            actor, inspection, NOT_UPHELD, "Fair", DAY, name, evidence
        )
    assert refusal.value.field == field and challenge.collect_events() == []


def test_the_moderator_who_made_the_judgment_may_not_key_in_the_adjudicator_s_finding():
    inspection, challenge = with_adjudicator(leaders_judged_by_moderator())
    with pytest.raises(ReviewNotIndependent, match="judgment they made"):
        challenge.record_adjudicator_recommendation(
            MODERATOR, inspection, NOT_UPHELD, "Fair", DAY, "ICASO", LETTER
        )


def test_an_adjudicator_decides_no_review_of_the_inspectorate():
    inspection, challenge = lodged()
    with pytest.raises(PermissionDenied, match="moderator"):
        decide(challenge, inspection, ADJUDICATOR)


# fmt: off
MISPLACED = cases(
    ("an adjudicator outside ICASO", "adjudicator", "OFSTED"),
    ("a moderator inside ICASO", "moderator", "ICASO"),
    ("an auditor inside ICASO", "auditor", "ICASO"),
)
# fmt: on


@pytest.mark.parametrize(("role", "organisation"), MISPLACED)
def test_the_adjudicator_role_belongs_to_icaso_alone(role, organisation):
    with pytest.raises(InvalidInput):
        Actor("someone", role, organisation)


def test_icaso_appears_by_its_full_name():
    assert agency_name("ICASO") == (
        "Independent Complaints Adjudication Service for Ofsted (ICASO)"
    )


def test_an_old_adjudicator_event_is_upcast_with_no_name_and_no_evidence():
    state = {"outcome": NOT_UPHELD}
    Challenge.AdjudicatorRecommended.upcast_v1_v2(state)
    assert state == {"outcome": NOT_UPHELD, "adjudicator_name": "", "evidence": []}
    assert Challenge.AdjudicatorRecommended.class_version == 2
