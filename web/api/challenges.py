"""Challenges to judgments, findings and reports; decisions, escalation, the adjudicator."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from web.api import schemas
from web.api.auth import actor
from web.api.operations import answer, blueprint, ledger, reads, writes
from web.api.preconditions import expected_version
from web.api.representations import ChallengeOut, challenge_out

bp = blueprint("challenges", "Councils' challenges and the inspectorates' decisions")


def current(challenge_id: UUID, status: int = 200) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Answer with the challenge as it stands now."""
    challenge = ledger().aggregate(challenge_id)
    return answer(
        challenge_out(challenge), challenge.version, status, f"/challenges/{challenge_id}"
    )


@bp.route("/inspections/<uuid:inspection_id>/challenges", methods=["POST"])
@writes(bp, ChallengeOut, schemas.LodgeChallenge, status=201)
def lodge(body: dict[str, Any], inspection_id: UUID) -> Any:
    """Lodge the council's challenge; If-Match carries the inspection's ETag."""
    created = ledger().lodge_challenge(
        actor(),
        inspection_id,
        body["subject"],
        body["reference"],
        body["grounds"],
        body["evidence"],
        expected_version=expected_version(),
    )
    return current(created, 201)


@bp.route("/challenges/<uuid:challenge_id>", methods=["GET"])
@reads(bp, ChallengeOut, versioned=True)
def get_challenge(challenge_id: UUID) -> Any:
    """Return a challenge with every step; the ETag is its version."""
    challenge = ledger().challenge(actor(), challenge_id)
    return answer(challenge_out(challenge), challenge.version)


@bp.route("/challenges/<uuid:challenge_id>/decision", methods=["POST"])
@writes(bp, ChallengeOut, schemas.DecideChallenge)
def decide(body: dict[str, Any], challenge_id: UUID) -> Any:
    """Decide a challenge (a moderator who made none of the judgments challenged)."""
    ledger().decide_challenge(
        actor(),
        challenge_id,
        body["outcome"],
        body["reasons"],
        body["evidence"],
        body["revisions"] or None,
        body["withdraw_report"],
        expected_version=expected_version(),
    )
    return current(challenge_id)


@bp.route("/challenges/<uuid:challenge_id>/escalation", methods=["POST"])
@writes(bp, ChallengeOut, schemas.Escalate)
def escalate(body: dict[str, Any], challenge_id: UUID) -> Any:
    """Take a decided challenge to its next stage (the council)."""
    ledger().escalate_challenge(
        actor(), challenge_id, body["grounds"], expected_version=expected_version()
    )
    return current(challenge_id)


@bp.route("/challenges/<uuid:challenge_id>/adjudicator-recommendation", methods=["POST"])
@writes(bp, ChallengeOut, schemas.AdjudicatorRecommendation)
def adjudicator_recommendation(body: dict[str, Any], challenge_id: UUID) -> Any:
    """Record the adjudicator's finding on the handling; no grade changes. An adjudicator
    (ICASO) records its own; the lead inspectorate's moderator keying it in names the adjudicator
    (`adjudicator_name`) and cites the `evidence` (the adjudicator's letter)."""
    ledger().record_adjudicator_recommendation(
        actor(),
        challenge_id,
        body["outcome"],
        body["recommendation"],
        body["adjudicator_name"],
        body["evidence"],
        expected_version=expected_version(),
    )
    return current(challenge_id)
