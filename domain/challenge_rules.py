"""Which judgments a decision on a challenge may revise (DOMAIN.md §5)."""

from __future__ import annotations

from domain.actors import Actor
from domain.errors import InvalidInput, RevisionOfOwnJudgment, RevisionOutsideChallenge
from domain.inspection import Inspection
from domain.rules import OVERALL

SUBJECTS = ("judgment", "finding", "report")


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
