"""One inspection's story told through the real aggregates: inspection, challenge, action plan."""

from __future__ import annotations

import random
from datetime import date, timedelta

from benchmarks.fake_clock import CLOCK
from domain.action_plan import ActionPlan
from domain.actors import Actor
from domain.challenge import NOT_UPHELD, UPHELD, Challenge
from domain.events import JudgmentInput, LedgerAggregate, Narrative
from domain.frameworks import Framework, framework_for
from domain.inspection import Inspection
from domain.inspection_types import inspection_type
from domain.policy import DEFAULT_POLICY
from domain.rules import OVERALL

ADMIN = Actor("bench.admin", "administrator", "LEDGER")
MODERATOR = Actor("bench.moderator", "moderator", "OFSTED")
SECOND_MODERATOR = Actor("bench.moderator2", "moderator", "OFSTED")
ADJUDICATOR = Actor("bench.adjudicator", "adjudicator", "ICASO")
INSPECTORS = {
    a: Actor(f"bench.{a.lower()}", "inspector", a) for a in ("OFSTED", "CQC", "HMICFRS", "HMIP")
}
POLICY = DEFAULT_POLICY
IMPORTED_BEFORE = date(2018, 1, 1)  # SIF-era history arrives as imported published outcomes


def home_urn(council: str) -> str:
    """Return the URN of the council's own children's home (E09000002 -> SC900002)."""
    return f"SC{int(council[1:3]) % 10}{council[-5:]}"


def subject(chosen: Framework, council: str) -> str:
    """Return the setting an inspection under `chosen` is of: the council's home, or none."""
    return "" if chosen.rates_council else home_urn(council)


def officer(council: str) -> Actor:
    """Return an officer of the council."""
    return Actor(f"bench.officer.{council}", "council_officer", council)


def _grades(chosen: Framework, rng: random.Random) -> list[JudgmentInput]:
    scale = chosen.scale.grades
    centre = rng.choices(range(len(scale)), weights=(2, 5, 3, 1)[: len(scale)])[0]
    areas = [a.key for a in chosen.areas if a.required or rng.random() < 0.5]
    grades = {
        a: scale[min(max(centre + rng.choice((-1, 0, 0, 1)), 0), len(scale) - 1)] for a in areas
    }
    if chosen.has_overall:  # the worst key grade satisfies every framework's limiting rules
        keys = [grades[a.key] for a in chosen.areas if a.counts_toward_overall and a.key in grades]
        grades[OVERALL] = chosen.scale.worst(keys)
    return [
        JudgmentInput(a, g, Narrative(["Stable workforce"], [f"Improve {a}"], [f"Strengthen {a}"]))
        for a, g in grades.items()
    ]


def _better(chosen: Framework, grades: dict[str, str]) -> dict[str, str]:
    scale = chosen.scale.grades
    return {a: scale[max(scale.index(g) - 1, 0)] for a, g in grades.items()}


def imported(
    council: str, type_key: str, starts_on: date, rng: random.Random
) -> list[LedgerAggregate]:
    """Return a published outcome imported from history."""
    chosen = framework_for(type_key, starts_on)
    published = starts_on + timedelta(days=42)
    CLOCK.at(published + timedelta(days=rng.randint(400, 1500)))  # imported years later
    judgments = _grades(chosen, rng) if inspection_type(type_key).graded and chosen.graded else []
    return [
        Inspection.import_published(
            ADMIN,
            council,
            type_key,
            chosen.key,
            starts_on,
            published,
            judgments,
            "",
            "history.csv",
            published,
            subject(chosen, council),
        )
    ]


def live(council: str, type_key: str, starts_on: date, rng: random.Random) -> list[LedgerAggregate]:
    """Return an inspection run through its lifecycle, with any challenge and action plan."""
    chosen = framework_for(type_key, starts_on)
    lead = INSPECTORS[chosen.lead_agency]
    CLOCK.at(starts_on - timedelta(days=28))
    inspection = Inspection.schedule(
        lead,
        council,
        type_key,
        chosen.key,
        starts_on,
        CLOCK.day,
        POLICY,
        reason="generated",
        setting_urn=subject(chosen, council),
    )
    CLOCK.at(starts_on)
    inspection.start_on_site(lead, CLOCK.day)
    priority = type_key == "focused_visit" and rng.random() < 0.3
    for agency in inspection.agencies:
        for n in range(rng.randint(1, 2)):
            narrative = Narrative(["Committed staff"], ["Supervision"], [f"Audit practice {n}"])
            inspection.record_finding(
                INSPECTORS[agency], agency, "Practice varies", narrative, priority
            )
    if inspection.graded:
        inspection.record_judgments(lead, _grades(chosen, rng))
    CLOCK.at(starts_on + timedelta(days=10))
    inspection.complete_judgments(lead, CLOCK.day)
    CLOCK.at(starts_on + timedelta(days=21))
    inspection.issue_draft(lead, CLOCK.day, POLICY)
    CLOCK.at(CLOCK.day + timedelta(days=1))
    inspection.comment_on_draft(officer(council), "Two factual corrections", CLOCK.day, True)
    CLOCK.at(CLOCK.day + timedelta(days=1))
    inspection.issue_final_report(MODERATOR, CLOCK.day, POLICY)
    story: list[LedgerAggregate] = [inspection]
    if inspection.withholds_publication and inspection.graded and rng.random() < 0.06:
        story.append(_challenge(inspection, rng))
    if inspection.status == "final report issued":
        window = inspection.challenge_window_ends
        assert window is not None
        withheld = inspection.withholds_publication
        CLOCK.at(
            max(CLOCK.day + timedelta(5), window + timedelta(1))
            if withheld
            else CLOCK.day + timedelta(1)
        )
        inspection.publish(MODERATOR, CLOCK.day)
        if inspection.graded and not inspection.withholds_publication and rng.random() < 0.06:
            story.append(_challenge(inspection, rng))
    plan = _plan(inspection, rng) if inspection.status == "published" else None
    return story + ([plan] if plan else [])


def _challenge(inspection: Inspection, rng: random.Random) -> Challenge:
    council = officer(inspection.council)
    CLOCK.at(CLOCK.day + timedelta(days=1 if inspection.withholds_publication else 0))
    # a challenge to the whole report: an upheld one may revise every judgment (one area's
    # challenge may revise only that area and the overall judgment)
    challenge = Challenge.lodge(
        council, inspection, "report", "", "Evidence was misread", ["Audit"], CLOCK.day, POLICY
    )
    inspection.open_challenge(council, str(challenge.id))
    CLOCK.at(CLOCK.day + timedelta(days=12))
    roll = rng.random()
    outcome = UPHELD if roll < 0.3 else NOT_UPHELD
    withdraw = outcome == UPHELD and roll < 0.05
    revisions = (
        {} if outcome != UPHELD or withdraw else _better(inspection.framework, inspection.grades())
    )
    challenge.decide(
        SECOND_MODERATOR,
        inspection,
        outcome,
        "Reviewed the evidence",
        [],
        CLOCK.day,
        revisions,
        withdraw,
    )
    inspection.resolve_challenge(SECOND_MODERATOR, str(challenge.id), outcome)
    if revisions:
        inspection.revise_judgments(
            SECOND_MODERATOR, revisions, str(challenge.id), "Upheld", CLOCK.day
        )
    if withdraw:
        inspection.withdraw(SECOND_MODERATOR, "Upheld on appeal", CLOCK.day, str(challenge.id))
    if outcome == NOT_UPHELD:
        _escalate_to_the_end(challenge, inspection, council)
    return challenge


def _escalate_to_the_end(challenge: Challenge, inspection: Inspection, council: Actor) -> None:
    era = next(e for e in POLICY.challenge_eras if e.name == challenge.era)
    while challenge.status == "decided":
        CLOCK.at(CLOCK.day + timedelta(days=5))
        challenge.escalate(council, "We disagree", CLOCK.day, era)
        CLOCK.at(CLOCK.day + timedelta(days=20))
        if challenge.stage == "adjudicator":
            challenge.record_adjudicator_recommendation(
                ADJUDICATOR, inspection, NOT_UPHELD, "Handled properly", CLOCK.day
            )
        else:
            challenge.decide(MODERATOR, inspection, NOT_UPHELD, "Reviewed again", [], CLOCK.day)


def _plan(inspection: Inspection, rng: random.Random) -> ActionPlan | None:
    priority = [f for f in inspection.findings.values() if f["priority_action"]]
    if inspection.graded:
        kind, items = "inspection", [*inspection.judgments.values(), *inspection.findings.values()]
    elif priority:
        kind, items = "focused_visit", priority
    else:
        return None
    assert inspection.published_on is not None
    recommendations = [r for item in items for r in item["recommendations"]]
    inadequate = inspection.grades().get(OVERALL) == "Inadequate"
    plan = ActionPlan.open(
        MODERATOR,
        inspection.id,
        inspection.council,
        kind,
        inspection.published_on,
        recommendations,
        inadequate,
        POLICY,
    )
    council = officer(inspection.council)
    CLOCK.at(inspection.published_on + timedelta(days=rng.randint(60, 110)))
    plan.submit(council, "Our plan", CLOCK.day)
    for recommendation in recommendations[: rng.randint(2, 5)]:
        due = CLOCK.day + timedelta(days=180)
        action = plan.add_action(
            council, "practice", recommendation, "Do it", "Director", due, CLOCK.day
        )
        for _ in range(rng.randint(1, 3)):
            CLOCK.at(CLOCK.day + timedelta(days=30))
            plan.update_progress(council, action, "Progressing", ["Tracker"], CLOCK.day)
        plan.complete_action(council, action, ["Audit"], CLOCK.day)
    plan.complete(council, CLOCK.day)
    return plan
