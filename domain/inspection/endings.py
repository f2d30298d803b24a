"""Challenges against an inspection, the revisions they bring, and ending it early
(cancelled or withdrawn) (DOMAIN.md §4-5)."""

from __future__ import annotations

from datetime import date

from domain import limits
from domain import permissions as can
from domain.actors import Actor
from domain.errors import InvalidInput, LifecycleError, NoReportToWithdraw
from domain.events import LedgerAggregate
from domain.inspection.state import (
    CANCELLED,
    FINAL_ISSUED,
    OPEN_STATUSES,
    PUBLISHED,
    WITHDRAWN,
    InspectionState,
)


class Disputes(InspectionState):
    """Challenges lodged against the inspection and the judgments they revise."""

    class ChallengeOpened(LedgerAggregate.Event):
        challenge_id: str

        def apply(self, inspection: InspectionState) -> None:
            inspection.open_challenges.append(self.challenge_id)

    class ChallengeResolved(LedgerAggregate.Event):
        challenge_id: str
        outcome: str

        def apply(self, inspection: InspectionState) -> None:
            inspection.open_challenges.remove(self.challenge_id)

    def open_challenge(self, actor: Actor, challenge_id: str) -> None:
        """Note a challenge lodged against this inspection."""
        self._require(FINAL_ISSUED, PUBLISHED, doing="challenge it")
        self.trigger_event(self.ChallengeOpened, actor=actor, challenge_id=challenge_id)

    def resolve_challenge(self, actor: Actor, challenge_id: str, outcome: str) -> None:
        """Note that a challenge's first decision has been made."""
        if challenge_id in self.open_challenges:
            self.trigger_event(
                self.ChallengeResolved, actor=actor, challenge_id=challenge_id, outcome=outcome
            )

    class JudgmentRevised(LedgerAggregate.Event):
        area: str
        grade: str
        previous_grade: str
        challenge_id: str
        reason: str
        effective_on: date

        def apply(self, inspection: InspectionState) -> None:
            judgment = inspection.judgments[self.area]
            judgment.update(
                grade=self.grade, challenge_id=self.challenge_id, revised_on=self.effective_on
            )

    def revise_judgments(
        self, actor: Actor, revisions: dict[str, str], challenge_id: str, reason: str, today: date
    ) -> None:
        """Revise judgments because a challenge was upheld; the originals stay in the log."""
        can.must_be_lead_moderator(actor, self.lead_agency, "revise a judgment")
        self._require(FINAL_ISSUED, PUBLISHED, doing="revise a judgment")
        unknown = [a for a in revisions if a not in self.judgments]
        if unknown:
            raise InvalidInput(f"No judgment was made in {', '.join(unknown)}")
        self.framework.check_complete(self.grades() | revisions)
        for area, grade in revisions.items():
            self.trigger_event(
                self.JudgmentRevised,
                actor=actor,
                area=area,
                grade=grade,
                previous_grade=self.judgments[area]["grade"],
                challenge_id=challenge_id,
                reason=reason,
                effective_on=today,
            )

    # --- ending early -----------------------------------------------------------------
    class Cancelled(LedgerAggregate.Event):
        on: date
        reason: str

        def apply(self, inspection: InspectionState) -> None:
            inspection.status, inspection.ended_reason = CANCELLED, self.reason

    def cancel(self, actor: Actor, reason: str, today: date) -> None:
        """Cancel an inspection before publication, with a reason."""
        can.must_be_lead_moderator(actor, self.lead_agency, "cancel an inspection")
        self._require(*OPEN_STATUSES, doing="cancel")
        if not reason.strip():
            raise InvalidInput("Give a reason for cancelling")
        limits.REASON.checked(reason)
        self._close_open_challenges(actor)
        self.trigger_event(self.Cancelled, actor=actor, on=today, reason=reason.strip())

    def _close_open_challenges(self, actor: Actor) -> None:
        """Note that the challenges still open end with the inspection."""
        for challenge_id in list(self.open_challenges):
            self.trigger_event(
                self.ChallengeResolved, actor=actor, challenge_id=challenge_id, outcome="closed"
            )

    class Withdrawn(LedgerAggregate.Event):
        on: date
        reason: str
        challenge_id: str | None

        def apply(self, inspection: InspectionState) -> None:
            inspection.status, inspection.ended_reason = WITHDRAWN, self.reason

    def withdraw(
        self, actor: Actor, reason: str, today: date, challenge_id: str | None = None
    ) -> None:
        """Withdraw the final report: before publication, or after it because a challenge was
        upheld. An inspection with no final report has nothing to withdraw (it is cancelled)."""
        can.must_be_lead_moderator(actor, self.lead_agency, "withdraw a report")
        if self.status == PUBLISHED and challenge_id is None:
            raise LifecycleError("A published report is withdrawn only by an upheld challenge")
        if self.status in OPEN_STATUSES and self.status != FINAL_ISSUED:
            raise NoReportToWithdraw(
                f"Only a final report can be withdrawn; this inspection is {self.status} "
                "(cancel it instead)"
            )
        self._require(FINAL_ISSUED, PUBLISHED, doing="withdraw")
        if not reason.strip():
            raise InvalidInput("Give a reason for withdrawing")
        limits.REASON.checked(reason)
        self._close_open_challenges(actor)
        self.trigger_event(
            self.Withdrawn, actor=actor, on=today, reason=reason.strip(), challenge_id=challenge_id
        )
