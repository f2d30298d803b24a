"""What a challenge may touch and who may decide it (DOMAIN.md §5): which judgments a decision
may revise, and the independence of each stage from the judgment and from earlier stages."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from domain import limits
from domain import permissions as can
from domain.actors import Actor, Role
from domain.errors import (
    AdjudicatorEvidenceMissing,
    AdjudicatorNotNamed,
    InvalidInput,
    ReviewNotIndependent,
    RevisionOfOwnJudgment,
    RevisionOutsideChallenge,
)
from domain.inspection import Inspection
from domain.rules import OVERALL

SUBJECTS = ("judgment", "finding", "report")
NOT_UPHELD, PARTIALLY_UPHELD, UPHELD = "not upheld", "partially upheld", "upheld"
OUTCOMES = (NOT_UPHELD, PARTIALLY_UPHELD, UPHELD)


def check_decision(
    outcome: str,
    reasons: str,
    evidence: list[str],
    revisions: Mapping[str, str],
    withdraw_report: bool,
) -> None:
    """Refuse a decision with an unknown outcome, no reasons, or changes it may not make."""
    if outcome not in OUTCOMES:
        raise InvalidInput(f"Outcome must be one of: {', '.join(OUTCOMES)}")
    if outcome == NOT_UPHELD and (revisions or withdraw_report):
        raise InvalidInput("A challenge that is not upheld changes no judgment")
    if revisions and withdraw_report:
        raise InvalidInput("Either revise judgments or withdraw the report, not both")
    if not reasons.strip():
        raise InvalidInput("A decision needs its reasons")
    limits.REASONS.checked(reasons)
    limits.EVIDENCE.checked(evidence)
    limits.checked_revisions(revisions)


def challenged_areas(subject: str, reference: str, inspection: Inspection) -> set[str]:
    """Return the judgments a decision on this challenge may revise: every one for the whole
    report; the one challenged and the overall judgment that follows from it; for a finding,
    none."""
    if subject == "report":
        return set(inspection.judgments)
    if subject == "judgment":
        return {reference} | ({OVERALL} & set(inspection.judgments))
    return set()


def check_revision(
    subject: str, reference: str, inspection: Inspection, moderator: Actor, area: str
) -> None:
    """Refuse a revision outside the challenge, or of a judgment the deciding moderator made."""
    if subject != "report" and area not in challenged_areas(subject, reference, inspection):
        raise RevisionOutsideChallenge(
            f"A decision on a challenge to the {subject} {reference} cannot revise {area}"
        )
    if inspection.judgments.get(area, {}).get("made_by") == moderator.user:
        raise RevisionOfOwnJudgment(f"A moderator may not revise a judgment they made ({area})")


def revisable_areas(
    subject: str, reference: str, inspection: Inspection, moderator: Actor
) -> list[str]:
    """Return the judgments this moderator's decision may revise, in the framework's order."""
    areas = challenged_areas(subject, reference, inspection)
    made_by = {a: j["made_by"] for a, j in inspection.judgments.items() if a in areas}
    return [
        a
        for a in inspection.framework.area_keys()
        if made_by.get(a, moderator.user) != moderator.user
    ]


def check_lodging(
    inspection: Inspection, subject: str, reference: str, grounds: str, evidence: list[str]
) -> None:
    """Refuse a challenge to nothing it may challenge, or without its grounds."""
    check_subject(inspection, subject, reference)
    if not grounds.strip():
        raise InvalidInput("A challenge needs its grounds")
    limits.REFERENCE.checked(reference)
    limits.GROUNDS.checked(grounds)
    limits.EVIDENCE.checked(evidence)


def check_recommendation(outcome: str, recommendation: str) -> None:
    """Refuse an adjudicator's finding with an unknown outcome or no recommendation."""
    if outcome not in OUTCOMES:
        raise InvalidInput(f"Outcome must be one of: {', '.join(OUTCOMES)}")
    if not recommendation.strip():
        raise InvalidInput("Record what the adjudicator recommended")
    limits.RECOMMENDATION.checked(recommendation)


def check_subject(inspection: Inspection, subject: str, reference: str) -> None:
    """Refuse a challenge to anything but a judgment made, a finding recorded or the report."""
    if subject not in SUBJECTS:
        raise InvalidInput(
            f"A challenge is against a judgment, a finding or the report, not '{subject}'"
        )
    if subject == "judgment" and reference not in inspection.judgments:
        raise InvalidInput(f"No judgment was made in '{reference}'")
    if subject == "finding" and reference not in inspection.findings:
        raise InvalidInput(f"There is no finding '{reference}'")


def makers_of_challenged(subject: str, reference: str, inspection: Inspection) -> set[str]:
    """Return who made what is challenged: the judgment, the finding, or every judgment."""
    if subject == "finding":
        return {inspection.findings[reference]["recorded_by"]}
    return inspection.judgment_makers([reference] if subject == "judgment" else None)


def check_independent(
    actor: Actor,
    subject: str,
    reference: str,
    inspection: Inspection,
    steps: Iterable[Mapping[str, Any]],
    stage: str,
) -> None:
    """Refuse a decider who made what is challenged, or who decided an earlier stage."""
    if actor.user in makers_of_challenged(subject, reference, inspection):
        raise ReviewNotIndependent("A moderator may not decide a challenge to a judgment they made")
    earlier = [s for s in steps if s["step"] == "decided" and s["by"] == actor.user]
    if earlier:
        raise ReviewNotIndependent(
            f"The {stage.replace('_', ' ')} must be decided by a moderator other than the one "
            f"who decided the {earlier[0]['stage'].replace('_', ' ')} ({actor.user})"
        )


def adjudicator_named(
    actor: Actor,
    subject: str,
    reference: str,
    inspection: Inspection,
    adjudicator_name: str,
    evidence: list[str],
) -> str:
    """Return who the adjudicator was: an adjudicator account records its own finding; the
    lead inspectorate's moderator, if not involved, may key it in naming the adjudicator and
    citing the evidence (the adjudicator's letter)."""
    limits.ADJUDICATOR_NAME.checked(adjudicator_name)
    limits.EVIDENCE.checked(evidence)
    if actor.role == Role.ADJUDICATOR:
        return adjudicator_name.strip() or actor.user
    can.must_be_lead_moderator(actor, inspection.lead_agency, "record the adjudicator's finding")
    if actor.user in makers_of_challenged(subject, reference, inspection):
        raise ReviewNotIndependent(
            "A moderator may not key in the adjudicator's finding on a judgment they made"
        )
    if not adjudicator_name.strip():
        raise AdjudicatorNotNamed("Name the adjudicator whose finding this is")
    if not any(e.strip() for e in evidence):
        raise AdjudicatorEvidenceMissing(
            "Cite the evidence of the adjudicator's finding (for example, its letter's reference)"
        )
    return adjudicator_name.strip()
