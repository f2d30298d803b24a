"""The Challenge aggregate: eras, stages, outcomes and who may decide, with no database."""

from __future__ import annotations

from datetime import date

import pytest

from domain.actors import Actor
from domain.challenge import (
    CLOSED,
    DECIDED,
    NOT_UPHELD,
    PARTIALLY_UPHELD,
    UNDER_REVIEW,
    UPHELD,
    Challenge,
)
from domain.errors import (
    DeadlinePassed,
    InvalidInput,
    LifecycleError,
    OverallOutsideKeyJudgments,
    PermissionDenied,
)
from domain.events import Narrative
from domain.inspection import DRAFT_ISSUED, FINAL_ISSUED, JUDGMENTS_MADE, ON_SITE, Inspection
from domain.policy import DEFAULT_POLICY
from domain.working_days import add_working_days
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

OTHER_MODERATOR = Actor("may.moderator", "moderator", "OFSTED")
ADJUDICATOR = Actor("ivy.adjudicator", "adjudicator", "ICASO")
OTHER_OFFICER = Actor("oti.officer", "council_officer", "E08000025")
ERAS = {STARTS_2022: "before 2023", STARTS_2025: "from 2023"}
DECIDED_ON, ESCALATED_ON = date(2030, 1, 7), date(2030, 1, 8)


def lodge(inspection, today=None, actor=OFFICER, subject="judgment", reference="leaders",
          grounds="Evidence ignored") -> Challenge:  # fmt: skip
    """Lodge the council's challenge to the leaders judgment, or as the arguments say."""
    day, evidence = today or inspection.final_report_on, ["Audit of 40 cases"]
    return Challenge.lodge(
        actor, inspection, subject, reference, grounds, evidence, day, DEFAULT_POLICY
    )


def lodged(starts_on: date = STARTS_2025) -> tuple[Inspection, Challenge]:
    inspection = inspection_at(FINAL_ISSUED, starts_on)
    challenge = lodge(inspection)
    challenge.collect_events()
    return inspection, challenge


def decide(challenge, inspection, outcome=NOT_UPHELD, actor=MODERATOR, **options) -> None:
    reasons, evidence = "Reviewed the case files", ["Case file 12"]
    challenge.decide(actor, inspection, outcome, reasons, evidence, DECIDED_ON, **options)


def escalate(challenge: Challenge) -> None:
    era = next(e for e in DEFAULT_POLICY.challenge_eras if e.name == challenge.era)
    challenge.escalate(OFFICER, "The review ignored our evidence", ESCALATED_ON, era)


def recommend(challenge: Challenge, inspection: Inspection, outcome: str = UPHELD) -> None:
    challenge.record_adjudicator_recommendation(
        ADJUDICATOR, inspection, outcome, "Apologise for the delay", date(2030, 2, 3)
    )


def names(aggregate) -> list[str]:
    return [type(event).__name__ for event in aggregate.collect_events()]


# fmt: off
WINDOWS = cases(
    ("before 2023 ten working days and three stages", STARTS_2022, 10,
     ["formal_review", "internal_review", "adjudicator"]),
    ("from 2023 two working days and straight to the adjudicator", STARTS_2025, 2,
     ["formal_review", "adjudicator"]),
)
# fmt: on


@pytest.mark.parametrize(("starts_on", "window", "stages"), WINDOWS)
def test_a_challenge_is_lodged_within_its_era_s_window(starts_on, window, stages):
    inspection = inspection_at(FINAL_ISSUED, starts_on)
    last_day = add_working_days(inspection.final_report_on, window)
    challenge = lodge(inspection, last_day)
    [event] = challenge.collect_events()
    assert (event.era, event.stages, event.on) == (ERAS[starts_on], stages, last_day)
    assert (event.actor, event.response_due) == (OFFICER, add_working_days(last_day, 30))
    assert (challenge.stage, challenge.status) == ("formal_review", UNDER_REVIEW)
    with pytest.raises(DeadlinePassed, match=f"{ERAS[starts_on]}.*{last_day.isoformat()}"):
        lodge(inspection, add_working_days(last_day, 1))


def test_a_lodged_challenge_records_who_when_why_and_the_evidence():
    inspection, challenge = lodged()
    [step] = challenge.steps
    assert (step["step"], step["stage"], step["by"]) == ("lodged", "formal_review", OFFICER.user)
    assert (step["on"], step["grounds"]) == (inspection.final_report_on, "Evidence ignored")
    assert step["evidence"] == ["Audit of 40 cases"]


# fmt: off
REFUSED_LODGING = cases(
    ("another council's officer", {"actor": OTHER_OFFICER}, PermissionDenied, "E09000002"),
    ("an inspectorate", {"actor": MODERATOR}, PermissionDenied, "council officer"),
    ("an unknown subject", {"subject": "grade"}, InvalidInput, "not 'grade'"),
    ("a judgment never made", {"reference": "lscb"}, InvalidInput, "'lscb'"),
    ("an unknown finding", {"subject": "finding", "reference": "F9"}, InvalidInput, "'F9'"),
    ("no grounds", {"grounds": "  "}, InvalidInput, "grounds"),
)
# fmt: on


@pytest.mark.parametrize(("options", "error", "mention"), REFUSED_LODGING)
def test_a_challenge_that_cannot_stand_is_refused(options, error, mention):
    with pytest.raises(error, match=mention):
        lodge(inspection_at(FINAL_ISSUED), **options)


@pytest.mark.parametrize("stage", [JUDGMENTS_MADE, DRAFT_ISSUED])
def test_only_a_final_report_can_be_challenged(stage):
    with pytest.raises(LifecycleError, match=f"this one is {stage}"):
        lodge(inspection_at(stage), DECIDED_ON)


@pytest.mark.parametrize("outcome", [NOT_UPHELD, PARTIALLY_UPHELD, UPHELD])
def test_a_challenge_is_decided_with_one_of_three_outcomes(outcome):
    inspection, challenge = lodged()
    decide(challenge, inspection, outcome)
    [event] = challenge.collect_events()
    assert (event.outcome, event.stage, event.actor) == (outcome, "formal_review", MODERATOR)
    assert (event.reasons, event.evidence) == ("Reviewed the case files", ["Case file 12"])
    assert (challenge.status, challenge.outcome) == (DECIDED, outcome)
    assert challenge.steps[-1]["step"] == "decided"


# fmt: off
REFUSED_DECISIONS = cases(
    ("an outcome that does not exist", "maybe", {}, "Outcome must be one of"),
    ("not upheld yet revising a judgment", NOT_UPHELD, {"revisions": {"leaders": "Outstanding"}},
     "changes no judgment"),
    ("not upheld yet withdrawing the report", NOT_UPHELD, {"withdraw_report": True},
     "changes no judgment"),
    ("both revising and withdrawing", UPHELD,
     {"revisions": {"leaders": "Outstanding"}, "withdraw_report": True}, "not both"),
)
# fmt: on


@pytest.mark.parametrize(("outcome", "options", "mention"), REFUSED_DECISIONS)
def test_a_decision_that_contradicts_itself_is_refused(outcome, options, mention):
    inspection, challenge = lodged()
    with pytest.raises(InvalidInput, match=mention):
        decide(challenge, inspection, outcome, **options)
    assert challenge.collect_events() == [] and challenge.status == UNDER_REVIEW


def test_a_decision_needs_its_reasons():
    inspection, challenge = lodged()
    with pytest.raises(InvalidInput, match="reasons"):
        challenge.decide(MODERATOR, inspection, UPHELD, " ", [], DECIDED_ON)


@pytest.mark.parametrize("starts_on", ERAS, ids=ERAS.values())
def test_an_unsatisfied_council_escalates_stage_by_stage_to_the_adjudicator(starts_on):
    inspection, challenge = lodged(starts_on)
    visited = [challenge.stage]
    while challenge.stage != "adjudicator":
        first = len(visited) == 1  # each stage is decided by a moderator not yet involved
        decide(challenge, inspection, PARTIALLY_UPHELD if first else NOT_UPHELD,
               actor=MODERATOR if first else OTHER_MODERATOR)  # fmt: skip
        escalate(challenge)
        visited.append(challenge.stage)
    assert visited == challenge.stages
    assert challenge.response_due == add_working_days(ESCALATED_ON, 30)
    assert names(challenge)[-1] == "Escalated"


def test_the_adjudicator_can_recommend_but_not_revise_a_judgment():
    inspection, challenge = lodged()
    decide(challenge, inspection)
    escalate(challenge)
    with pytest.raises(LifecycleError, match="at the adjudicator stage"):
        decide(challenge, inspection, UPHELD, revisions={"leaders": "Outstanding"})
    recommend(challenge, inspection, UPHELD)
    assert names(challenge) == ["Decided", "Escalated", "AdjudicatorRecommended"]
    assert challenge.status == CLOSED and challenge.revisions == {}
    assert inspection.grades()["leaders"] == "Good" and inspection.collect_events() == []


def test_the_adjudicator_s_finding_is_recorded_only_at_the_adjudicator_stage():
    inspection, challenge = lodged()
    with pytest.raises(LifecycleError, match="not with the adjudicator"):
        recommend(challenge, inspection)


# fmt: off
REFUSED_ESCALATIONS = cases(
    ("before any decision", [], "this one is under review"),
    ("after an upheld decision", [UPHELD], "upheld challenge cannot be escalated"),
    ("after the adjudicator", [NOT_UPHELD, "escalate", "recommend"], "this one is closed"),
)
# fmt: on


@pytest.mark.parametrize(("history", "mention"), REFUSED_ESCALATIONS)
def test_a_challenge_is_escalated_only_after_a_decision_the_council_disputes(history, mention):
    inspection, challenge = lodged()
    for step in history:
        if step == "escalate":
            escalate(challenge)
        elif step == "recommend":
            recommend(challenge, inspection, NOT_UPHELD)
        else:
            decide(challenge, inspection, step)
    with pytest.raises(LifecycleError, match=mention):
        escalate(challenge)


def test_only_the_council_that_lodged_it_escalates_and_with_grounds():
    inspection, challenge = lodged()
    decide(challenge, inspection)
    era = DEFAULT_POLICY.challenge_eras[-1]
    with pytest.raises(PermissionDenied):
        challenge.escalate(OTHER_OFFICER, "Not ours", ESCALATED_ON, era)
    with pytest.raises(InvalidInput, match="grounds"):
        challenge.escalate(OFFICER, " ", ESCALATED_ON, era)


def partly_made_by_moderator() -> Inspection:
    """A final report whose finding F1 and leaders judgment the moderator made."""
    inspection = inspection_at(ON_SITE)
    inspection.record_finding(MODERATOR, "OFSTED", "Thresholds applied well", Narrative())
    leaders, *rest = every_area("ilacs_2023")
    inspection.record_judgments(MODERATOR, [leaders])
    inspection.record_judgments(INSPECTOR, rest)
    inspection.complete_judgments(INSPECTOR, date(2025, 3, 14))
    for step in (DRAFT_ISSUED, FINAL_ISSUED):
        STEPS[step](inspection, "Good")
    return inspection


# fmt: off
OWN_WORK = cases(
    ("not the judgment they made", "judgment", "leaders", False),
    ("not the finding they recorded", "finding", "F1", False),
    ("not a report with a judgment they made", "report", "", False),
    ("but a judgment someone else made", "judgment", "care_leavers", True),
)
# fmt: on


@pytest.mark.parametrize(("subject", "reference", "may_decide"), OWN_WORK)
def test_a_moderator_may_not_decide_a_challenge_to_their_own_work(subject, reference, may_decide):
    inspection = partly_made_by_moderator()
    challenge = lodge(inspection, subject=subject, reference=reference)
    if may_decide:
        decide(challenge, inspection)
    else:
        with pytest.raises(PermissionDenied, match="judgment they made"):
            decide(challenge, inspection)
        decide(challenge, inspection, actor=OTHER_MODERATOR)
    assert challenge.status == DECIDED


def test_an_upheld_challenge_revises_a_judgment_with_a_new_event_naming_it():
    inspection = inspection_at(FINAL_ISSUED, grade="Requires improvement to be good")
    inspection.revise_judgments(MODERATOR, {"leaders": "Good"}, "c1", "Upheld", DECIDED_ON)
    [event] = inspection.collect_events()
    assert (type(event).__name__, event.area, event.challenge_id) == (
        "JudgmentRevised",
        "leaders",
        "c1",
    )
    assert (event.previous_grade, event.grade) == ("Requires improvement to be good", "Good")
    leaders = inspection.judgments["leaders"]
    assert (leaders["grade"], leaders["challenge_id"]) == ("Good", "c1")
    assert leaders["revised_on"] == DECIDED_ON
    assert leaders["made_by"] == INSPECTOR.user  # the revision names the challenge, not a maker


# fmt: off
REFUSED_REVISIONS = cases(
    ("an area never judged", {"lscb": "Good"}, InvalidInput, "lscb"),
    ("a revision that breaks the framework's rules", {"overall": "Outstanding"},
     OverallOutsideKeyJudgments, "Overall effectiveness"),
)
# fmt: on


@pytest.mark.parametrize(("revisions", "error", "mention"), REFUSED_REVISIONS)
def test_a_revision_must_still_keep_the_framework_s_rules(revisions, error, mention):
    inspection = inspection_at(FINAL_ISSUED)
    with pytest.raises(error, match=mention):
        inspection.revise_judgments(MODERATOR, revisions, "c1", "Upheld", DECIDED_ON)
    assert inspection.collect_events() == []
