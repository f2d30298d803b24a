"""Who acts: a person in one role within one organisation (DOMAIN.md §1)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from domain.errors import InvalidInput


class Role(StrEnum):
    INSPECTOR = "inspector"
    MODERATOR = "moderator"
    COUNCIL_OFFICER = "council_officer"
    AUDITOR = "auditor"
    ADMINISTRATOR = "administrator"
    ADJUDICATOR = "adjudicator"
    PUBLIC = "public"  # someone with no account raising a concern; never an account's role


AGENCIES: dict[str, str] = {
    "OFSTED": "Ofsted",
    "CQC": "Care Quality Commission",
    "HMICFRS": "HM Inspectorate of Constabulary and Fire & Rescue Services",
    "HMIP": "HM Inspectorate of Probation",
    "HMIPRISONS": "HM Inspectorate of Prisons",
}


ADJUDICATOR_ORGANISATION = "ICASO"
# organisations that are not inspectorates but appear by name on the record
ORGANISATIONS: dict[str, str] = {
    ADJUDICATOR_ORGANISATION: "Independent Complaints Adjudication Service for Ofsted (ICASO)",
}


def agency_name(code: str) -> str:
    """Return an agency's or organisation's full name for readers (any other: its code)."""
    return AGENCIES.get(code) or ORGANISATIONS.get(code, code)


ROLES = frozenset(Role)  # built once: every decoded event constructs an Actor
INSPECTORATE_ROLES = frozenset({Role.INSPECTOR, Role.MODERATOR})
AUDIT_ORGANISATION = "AUDIT"
ADMIN_ORGANISATION = "LEDGER"
PUBLIC_ORGANISATION = "PUBLIC"
ACCOUNT_ROLES = ROLES - {Role.PUBLIC}


@dataclass(frozen=True)
class Actor:
    """The acting person, as recorded on every event."""

    user: str
    role: str
    organisation: str

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise InvalidInput(f"Unknown role '{self.role}'")
        if self.role in INSPECTORATE_ROLES and self.organisation not in AGENCIES:
            raise InvalidInput(
                f"A {self.role} must belong to an inspectorate, not '{self.organisation}'"
            )
        if (self.role == Role.ADJUDICATOR) != (self.organisation == ADJUDICATOR_ORGANISATION):
            raise InvalidInput(
                f"Only an adjudicator belongs to {ADJUDICATOR_ORGANISATION}, and an adjudicator "
                f"belongs to nothing else ('{self.role}' of '{self.organisation}')"
            )
        if (self.role == Role.PUBLIC) != (self.organisation == PUBLIC_ORGANISATION):
            raise InvalidInput(
                f"Only the public belongs to {PUBLIC_ORGANISATION} ('{self.role}' of "
                f"'{self.organisation}')"
            )

    @property
    def is_inspectorate(self) -> bool:
        return self.role in INSPECTORATE_ROLES

    def describe(self) -> str:
        """Return 'user (role, organisation)' for messages and timelines."""
        return f"{self.user} ({self.role.replace('_', ' ')}, {agency_name(self.organisation)})"


PUBLIC = Actor("public", Role.PUBLIC, PUBLIC_ORGANISATION)  # who raises a concern


def as_dict(actor: Actor) -> dict[str, str]:
    """Return the actor as plain values."""
    return {"user": actor.user, "role": actor.role, "organisation": actor.organisation}
