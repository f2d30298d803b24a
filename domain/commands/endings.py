"""An inspection that ends early closes the challenges still open against it."""

from __future__ import annotations

from uuid import UUID

from domain.actors import Actor
from domain.challenge import Challenge
from domain.inspection import Inspection
from domain.store import Store


class ChallengeClosing(Store):
    """What cancelling or withdrawing an inspection does to its challenges."""

    def _open_challenges_closed(
        self, actor: Actor, inspection: Inspection, reason: str, keep: str = ""
    ) -> list[Challenge]:
        """Close every open challenge to the inspection but `keep`; return them, to be saved
        in the same save as the inspection's ending."""
        lodged = [
            e.challenge_id
            for e in self.events_of(inspection.id)
            if isinstance(e, Inspection.ChallengeOpened) and e.challenge_id != keep
        ]
        closed = []
        for challenge_id in lodged:
            challenge = self._get(Challenge, UUID(challenge_id), to_change=True)
            if challenge.is_open:
                challenge.close(actor, inspection, reason, self.today())
                closed.append(challenge)
        return closed
