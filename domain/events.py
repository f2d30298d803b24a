"""What every event carries: the actor, and the value objects events hold."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from domain.actors import Actor

LEDGER_NAMESPACE = uuid5(NAMESPACE_URL, "urn:inspection-ledger")


def stable_id(*parts: object) -> UUID:
    """Return the same id for the same natural key, so repeated imports find what exists."""
    return uuid5(LEDGER_NAMESPACE, ":".join(str(p) for p in parts))


class LedgerAggregate(Aggregate):
    """An aggregate whose every event names who recorded it."""

    class Event(Aggregate.Event):
        actor: Actor

    class Created(Event, Aggregate.Created):
        pass


@dataclass(frozen=True)
class Narrative:
    """The diagnosis behind a grade or finding, as the report gives it."""

    strengths: list[str] = field(default_factory=list)
    areas_for_improvement: list[str] = field(default_factory=list)
    recommendations: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, list[str]]:
        return {
            "strengths": list(self.strengths),
            "areas_for_improvement": list(self.areas_for_improvement),
            "recommendations": list(self.recommendations),
        }


@dataclass(frozen=True)
class JudgmentInput:
    """A grade for one area (or overall effectiveness), with its narrative."""

    area: str
    grade: str
    narrative: Narrative = field(default_factory=Narrative)
