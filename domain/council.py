"""The Council record: reference data, reorganisation and DfE intervention (DOMAIN.md §1, §6)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any
from uuid import UUID

from domain import limits
from domain import permissions as can
from domain.actors import Actor
from domain.errors import InvalidInput, LifecycleError
from domain.events import LedgerAggregate, stable_id

INTERVENTIONS = {
    "improvement_adviser_appointed": "DfE appointed an improvement adviser",
    "improvement_notice_issued": "DfE issued an improvement notice",
    "statutory_direction_issued": "DfE issued a statutory direction",
    "commissioner_appointed": "DfE appointed a commissioner",
    "intervention_ended": "DfE ended its intervention",
}


def must_be_able_to_record_interventions(actor: Actor) -> None:
    """Only an administrator or an Ofsted moderator records DfE interventions."""
    if actor.role == "administrator":
        can.must_be_administrator(actor, "record a DfE intervention")
    else:
        can.must_be_lead_moderator(actor, "OFSTED", "record a DfE intervention")


def existed_on(day: date, abolished_on: date | None, established_on: date | None) -> bool:
    """Say whether a council existed on the day: from the reorganisation that made it (if one
    did) until the one that abolished it (if one has)."""
    return (established_on is None or established_on <= day) and (
        abolished_on is None or day < abolished_on
    )


def established_dates(abolitions: Iterable[tuple[date | None, Iterable[str]]]) -> dict[str, date]:
    """Return when each successor council came into being: the day its predecessor was abolished."""
    return {code: on for on, successors in abolitions if on is not None for code in successors}


def council_id(code: str) -> UUID:
    """Return the id of the council with this ONS code (as Ofsted uses it)."""
    return stable_id("council", code)


class Council(LedgerAggregate):
    """An English local authority with children's services."""

    class Registered(LedgerAggregate.Created):
        code: str
        name: str
        details: dict[str, str]

    def __init__(self, actor: Actor, code: str, name: str, details: dict[str, str]) -> None:
        self.code, self.name, self.details = code, name, dict(details)
        self.abolished_on: date | None = None
        self.successors: list[str] = []
        self.interventions: list[dict[str, Any]] = []

    @classmethod
    def register(cls, actor: Actor, code: str, name: str, details: dict[str, str]) -> Council:
        """Register a council from reference data."""
        can.must_be_administrator(actor, "register councils")
        if not code.strip() or not name.strip():
            raise InvalidInput("A council needs a code and a name")
        limits.COUNCIL_CODE.checked(code)
        limits.COUNCIL_NAME.checked(name)
        return cls._create(
            cls.Registered, id=council_id(code), actor=actor, code=code, name=name, details=details
        )

    class Abolished(LedgerAggregate.Event):
        on: date
        successors: list[str]

        def apply(self, council: Council) -> None:
            council.abolished_on, council.successors = self.on, list(self.successors)

    def abolish(self, actor: Actor, on: date, successors: list[str]) -> None:
        """Record that reorganisation abolished the council."""
        can.must_be_administrator(actor, "record a reorganisation")
        if self.abolished_on is not None:
            raise LifecycleError(f"{self.name} was already abolished on {self.abolished_on}")
        self.trigger_event(self.Abolished, actor=actor, on=on, successors=successors)

    class InterventionRecorded(LedgerAggregate.Event):
        kind: str
        on: date
        details: str

        def apply(self, council: Council) -> None:
            council.interventions.append(
                {"kind": self.kind, "on": self.on, "details": self.details, "by": self.actor.user}
            )

    def record_intervention(self, actor: Actor, kind: str, on: date, details: str) -> None:
        """Record a DfE intervention (adviser, notice, direction, commissioner, or its end)."""
        must_be_able_to_record_interventions(actor)
        if kind not in INTERVENTIONS:
            raise InvalidInput(f"Unknown intervention '{kind}' (known: {', '.join(INTERVENTIONS)})")
        limits.DETAILS.checked(details)
        self.trigger_event(
            self.InterventionRecorded, actor=actor, kind=kind, on=on, details=details.strip()
        )
