"""Commands on challenges: lodging, deciding, escalating, the adjudicator's finding."""

from __future__ import annotations

from uuid import UUID

from domain.actors import Actor
from domain.challenge import Challenge
from domain.commands.endings import ChallengeClosing
from domain.inspection import Inspection
from domain.unit_of_work import command


class ChallengeCommands(ChallengeClosing):
    """The commands and queries about challenges."""

    @command
    def lodge_challenge(
        self,
        actor: Actor,
        id: UUID,
        subject: str,
        reference: str,
        grounds: str,
        evidence: list[str],
        expected_version: int | None = None,
    ) -> UUID:
        """Lodge a council's challenge against a judgment, finding or report."""
        inspection = self._get(Inspection, id, expected_version, to_change=True, reader=actor)
        challenge = Challenge.lodge(
            actor, inspection, subject, reference, grounds, evidence, self.today(), self.policy
        )
        inspection.open_challenge(actor, str(challenge.id))
        self._save(challenge, inspection)
        return challenge.id

    @command
    def decide_challenge(
        self,
        actor: Actor,
        id: UUID,
        outcome: str,
        reasons: str,
        evidence: list[str],
        revisions: dict[str, str] | None = None,
        withdraw_report: bool = False,
        expected_version: int | None = None,
    ) -> None:
        """Decide a challenge; an upheld one revises judgments or withdraws the report."""
        challenge = self._get(Challenge, id, expected_version, to_change=True, reader=actor)
        inspection = self._get(Inspection, UUID(challenge.inspection_id), to_change=True)
        today = self.today()
        challenge.decide(
            actor, inspection, outcome, reasons, evidence, today, revisions, withdraw_report
        )
        inspection.resolve_challenge(actor, str(id), outcome)
        if revisions:
            inspection.revise_judgments(actor, revisions, str(id), reasons, today)
        closed = []
        if withdraw_report:
            inspection.withdraw(actor, reasons, today, challenge_id=str(id))
            closed = self._open_challenges_closed(
                actor, inspection, "The report was withdrawn", keep=str(id)
            )
        self._save(challenge, inspection, *closed)

    @command
    def escalate_challenge(
        self, actor: Actor, id: UUID, grounds: str, expected_version: int | None = None
    ) -> None:
        """Take a decided challenge to its next stage."""
        with self._changing(Challenge, id, expected_version, actor) as challenge:
            era = next(e for e in self.policy.challenge_eras if e.name == challenge.era)
            challenge.escalate(actor, grounds, self.today(), era)

    @command
    def record_adjudicator_recommendation(
        self,
        actor: Actor,
        id: UUID,
        outcome: str,
        recommendation: str,
        adjudicator_name: str = "",
        evidence: list[str] | None = None,
        expected_version: int | None = None,
    ) -> None:
        """Record the adjudicator's finding on a challenge's handling (by the adjudicator, or
        keyed in by the lead inspectorate naming the adjudicator and citing the evidence)."""
        with self._changing(Challenge, id, expected_version, actor) as challenge:
            inspection = self._get(Inspection, UUID(challenge.inspection_id))
            challenge.record_adjudicator_recommendation(
                actor,
                inspection,
                outcome,
                recommendation,
                self.today(),
                adjudicator_name,
                evidence,
            )

    def challenge(self, actor: Actor, id: UUID) -> Challenge:
        """Return a challenge the actor may see."""
        return self._get(Challenge, id, reader=actor)
