"""The Challenge aggregate: a council disputes a judgment, a finding or a report (DOMAIN.md §5)."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain import limits
from domain import permissions as can
from domain.actors import Actor
from domain.challenge_rules import (
    NOT_UPHELD,
    OUTCOMES,
    PARTIALLY_UPHELD,
    UPHELD,
    adjudicator_named,
    check_decision,
    check_independent,
    check_lodging,
    check_recommendation,
    check_revision,
)
from domain.errors import DeadlinePassed, InvalidInput, LifecycleError
from domain.events import LedgerAggregate
from domain.inspection import FINAL_ISSUED, PUBLISHED, Inspection
from domain.policy import ChallengeEra, Policy
from domain.working_days import add_working_days

__all__ = ["NOT_UPHELD", "OUTCOMES", "PARTIALLY_UPHELD", "UPHELD", "Challenge"]
ADJUDICATOR = "adjudicator"
UNDER_REVIEW, DECIDED, CLOSED = "under review", "decided", "closed"


class Challenge(LedgerAggregate):
    """One council's challenge, from lodging through each review stage to its outcome."""

    class Lodged(LedgerAggregate.Created):
        inspection_id: str
        council: str
        subject: str
        reference: str
        grounds: str
        evidence: list[str]
        era: str
        stages: list[str]
        on: date
        response_due: date

    def __init__(
        self,
        actor: Actor,
        inspection_id: str,
        council: str,
        subject: str,
        reference: str,
        grounds: str,
        evidence: list[str],
        era: str,
        stages: list[str],
        on: date,
        response_due: date,
    ) -> None:
        self.inspection_id, self.council = inspection_id, council
        self.subject, self.reference, self.era, self.stages = subject, reference, era, list(stages)
        self.stage, self.status, self.response_due = stages[0], UNDER_REVIEW, response_due
        self.lodged_by, self.lodged_on = actor, on
        self.steps: list[dict[str, Any]] = [
            {
                "step": "lodged",
                "stage": stages[0],
                "by": actor.user,
                "on": on,
                "grounds": grounds,
                "evidence": list(evidence),
            }
        ]
        self.outcome: str | None = None
        self.revisions: dict[str, str] = {}

    @classmethod
    def lodge(
        cls,
        actor: Actor,
        inspection: Inspection,
        subject: str,
        reference: str,
        grounds: str,
        evidence: list[str],
        today: date,
        policy: Policy,
    ) -> Challenge:
        """Lodge a challenge within the window the era allows after the final report."""
        can.must_be_officer_of(actor, inspection.council, "challenge this inspection")
        if inspection.status not in (FINAL_ISSUED, PUBLISHED) or inspection.final_report_on is None:
            raise LifecycleError(
                f"Only a final report can be challenged; this one is {inspection.status}"
            )
        check_lodging(inspection, subject, reference, grounds, evidence)
        era = policy.challenge_era(inspection.final_report_on)
        window = add_working_days(inspection.final_report_on, era.lodge_within_working_days)
        if today > window:
            raise DeadlinePassed(
                f"Challenges to this report ({era.name}) had to be lodged "
                f"by the end of {window.isoformat()}"
            )
        due = add_working_days(today, era.stage_response_working_days)
        return cls._create(
            cls.Lodged,
            actor=actor,
            inspection_id=str(inspection.id),
            council=inspection.council,
            subject=subject,
            reference=reference,
            grounds=grounds.strip(),
            evidence=list(evidence),
            era=era.name,
            stages=list(era.stages),
            on=today,
            response_due=due,
        )

    class Decided(LedgerAggregate.Event):
        stage: str
        outcome: str
        reasons: str
        evidence: list[str]
        on: date
        revisions: dict[str, str]
        withdraw_report: bool

        def apply(self, challenge: Challenge) -> None:
            challenge.status, challenge.outcome = DECIDED, self.outcome
            challenge.revisions.update(self.revisions)
            challenge.steps.append(
                {
                    "step": "decided",
                    "stage": self.stage,
                    "by": self.actor.user,
                    "on": self.on,
                    "outcome": self.outcome,
                    "reasons": self.reasons,
                    "evidence": self.evidence,
                    "revisions": self.revisions,
                    "withdraw_report": self.withdraw_report,
                }
            )

    def decide(
        self,
        actor: Actor,
        inspection: Inspection,
        outcome: str,
        reasons: str,
        evidence: list[str],
        today: date,
        revisions: dict[str, str] | None = None,
        withdraw_report: bool = False,
    ) -> None:
        """Decide the challenge at its current stage; an upheld one may revise or withdraw."""
        can.must_be_lead_moderator(actor, inspection.lead_agency, "decide a challenge")
        if self.status != UNDER_REVIEW or self.stage == ADJUDICATOR:
            raise LifecycleError(f"The challenge is {self.status} at the {self.stage} stage")
        check_independent(actor, self.subject, self.reference, inspection, self.steps, self.stage)
        revisions = revisions or {}
        check_decision(outcome, reasons, evidence, revisions, withdraw_report)
        for area in revisions:
            check_revision(self.subject, self.reference, inspection, actor, area)
        self.trigger_event(
            self.Decided,
            actor=actor,
            stage=self.stage,
            outcome=outcome,
            reasons=reasons.strip(),
            evidence=list(evidence),
            on=today,
            revisions=dict(revisions),
            withdraw_report=withdraw_report,
        )

    class Escalated(LedgerAggregate.Event):
        to_stage: str
        grounds: str
        on: date
        response_due: date

        def apply(self, challenge: Challenge) -> None:
            challenge.stage, challenge.status = self.to_stage, UNDER_REVIEW
            challenge.response_due = self.response_due
            challenge.steps.append(
                {
                    "step": "escalated",
                    "stage": self.to_stage,
                    "by": self.actor.user,
                    "on": self.on,
                    "grounds": self.grounds,
                }
            )

    def escalate(self, actor: Actor, grounds: str, today: date, era: ChallengeEra) -> None:
        """Take a decided challenge to the next stage of its era."""
        can.must_be_officer_of(actor, self.council, "escalate this challenge")
        if self.status != DECIDED:
            raise LifecycleError(
                f"Only a decided challenge can be escalated; this one is {self.status}"
            )
        if self.outcome == UPHELD:
            raise LifecycleError("An upheld challenge cannot be escalated")
        position = self.stages.index(self.stage)
        if position + 1 >= len(self.stages):
            raise LifecycleError("There is no further stage to escalate to")
        if not grounds.strip():
            raise InvalidInput("An escalation needs its grounds")
        limits.GROUNDS.checked(grounds)
        due = add_working_days(today, era.stage_response_working_days)
        self.trigger_event(
            self.Escalated,
            actor=actor,
            to_stage=self.stages[position + 1],
            grounds=grounds.strip(),
            on=today,
            response_due=due,
        )

    class AdjudicatorRecommended(LedgerAggregate.Event):
        outcome: str
        recommendation: str
        on: date
        adjudicator_name: str  # who the adjudicator was (v2)
        evidence: list[str]  # what the finding rests on, e.g. the adjudicator's letter (v2)

        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["adjudicator_name"], state["evidence"] = "", []

        def apply(self, challenge: Challenge) -> None:
            challenge.status = CLOSED
            challenge.steps.append(
                {
                    "step": "adjudicator recommended",
                    "stage": ADJUDICATOR,
                    "by": self.actor.user,
                    "on": self.on,
                    "outcome": self.outcome,
                    "recommendation": self.recommendation,
                    "adjudicator": self.adjudicator_name,
                    "evidence": self.evidence,
                }
            )

    def record_adjudicator_recommendation(
        self,
        actor: Actor,
        inspection: Inspection,
        outcome: str,
        recommendation: str,
        today: date,
        adjudicator_name: str = "",
        evidence: list[str] | None = None,
    ) -> None:
        """Record the adjudicator's finding on how the challenge was handled; no grade changes.
        An adjudicator records it; a moderator keying it in names the adjudicator and evidence."""
        evidence = list(evidence or [])
        name = adjudicator_named(
            actor, self.subject, self.reference, inspection, adjudicator_name, evidence
        )
        if self.stage != ADJUDICATOR or self.status != UNDER_REVIEW:
            raise LifecycleError("The challenge is not with the adjudicator")
        check_recommendation(outcome, recommendation)
        self.trigger_event(
            self.AdjudicatorRecommended,
            actor=actor,
            outcome=outcome,
            recommendation=recommendation.strip(),
            on=today,
            adjudicator_name=name,
            evidence=evidence,
        )

    # --- ending with the inspection -----------------------------------------------------
    @property
    def is_open(self) -> bool:
        """Say whether the challenge is under review or may still be escalated."""
        if self.status == UNDER_REVIEW:
            return True
        further = self.stages.index(self.stage) + 1 < len(self.stages)
        return self.status == DECIDED and self.outcome != UPHELD and further

    class Closed(LedgerAggregate.Event):
        reason: str
        on: date

        def apply(self, challenge: Challenge) -> None:
            challenge.status = CLOSED
            step = {"step": "closed", "stage": challenge.stage, "by": self.actor.user}
            challenge.steps.append(step | {"on": self.on, "reasons": self.reason})

    def close(self, actor: Actor, inspection: Inspection, reason: str, today: date) -> None:
        """Close an open challenge because its inspection was cancelled or withdrawn."""
        can.must_be_lead_moderator(actor, inspection.lead_agency, "close a challenge")
        if not self.is_open:
            raise LifecycleError(f"The challenge is already {self.status}")
        self.trigger_event(self.Closed, actor=actor, reason=reason, on=today)
