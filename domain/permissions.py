"""Who may do what: small named rules the aggregates and services check (DOMAIN.md §1)."""

from __future__ import annotations

from collections.abc import Iterable

from domain.actors import ADMIN_ORGANISATION, Actor, Role, agency_name
from domain.errors import PermissionDenied


def never_an_auditor(actor: Actor) -> None:
    """Auditors read everything and write nothing."""
    if actor.role == Role.AUDITOR:
        raise PermissionDenied("Auditors may read the ledger but never write to it")


def must_have_role(actor: Actor, roles: Iterable[str], doing: str) -> None:
    """Refuse anyone whose role is not one of those named."""
    never_an_auditor(actor)
    allowed = tuple(roles)
    if actor.role not in allowed:
        names = " or ".join(r.replace("_", " ") for r in allowed)
        raise PermissionDenied(f"Only a {names} may {doing}; {actor.describe()} may not")


def must_belong_to(actor: Actor, organisations: Iterable[str], doing: str) -> None:
    """Refuse anyone outside the organisations named."""
    allowed = tuple(organisations)
    if actor.organisation not in allowed:
        raise PermissionDenied(
            f"Only staff of {', '.join(map(agency_name, allowed))} may {doing}; "
            f"{actor.describe()} may not"
        )


def must_be_lead_inspectorate(actor: Actor, lead_agency: str, doing: str) -> None:
    """Refuse anyone but an inspector or moderator of the lead inspectorate."""
    must_have_role(actor, (Role.INSPECTOR, Role.MODERATOR), doing)
    must_belong_to(actor, (lead_agency,), doing)


def must_be_lead_moderator(actor: Actor, lead_agency: str, doing: str) -> None:
    """Refuse anyone but a moderator of the lead inspectorate."""
    must_have_role(actor, (Role.MODERATOR,), doing)
    must_belong_to(actor, (lead_agency,), doing)


def must_be_officer_of(actor: Actor, council: str, doing: str) -> None:
    """Refuse anyone but an officer of the council concerned."""
    must_have_role(actor, (Role.COUNCIL_OFFICER,), doing)
    must_belong_to(actor, (council,), doing)


def must_be_administrator(actor: Actor, doing: str) -> None:
    """Refuse anyone but a ledger administrator."""
    must_have_role(actor, (Role.ADMINISTRATOR,), doing)
    must_belong_to(actor, (ADMIN_ORGANISATION,), doing)


def may_read_inspection(
    actor: Actor, council: str, agencies: Iterable[str], published: bool
) -> bool:
    """Say whether the actor may see an inspection's record (the adjudicator reads as an
    auditor does: it reviews how any challenge was handled)."""
    if actor.role in (Role.AUDITOR, Role.ADMINISTRATOR, Role.ADJUDICATOR):
        return True
    if actor.role == Role.COUNCIL_OFFICER:
        return actor.organisation == council or published  # published reports are public
    return actor.organisation in set(agencies) or published


def may_read_action_plan(actor: Actor, council: str, lead_agency: str) -> bool:
    """Say whether the actor may see an action plan: its council, the lead inspectorate, and
    those who read everything (auditors, administrators)."""
    if actor.role in (Role.AUDITOR, Role.ADMINISTRATOR):
        return True
    if actor.role == Role.COUNCIL_OFFICER:
        return actor.organisation == council
    return actor.is_inspectorate and actor.organisation == lead_agency


def may_read_log_entries(actor: Actor) -> bool:
    """Say whether the actor may read the log's entries as stored (they hold unpublished data
    of every record): auditors only."""
    return actor.role == Role.AUDITOR


def may_read_account(actor: Actor, username: str) -> bool:
    """Say whether the actor may see an account: administrators, auditors and its own person."""
    if actor.role in (Role.AUDITOR, Role.ADMINISTRATOR):
        return True
    return actor.user.lower() == username.lower()


def may_read_concern(actor: Actor, inspectorate: str) -> bool:
    """Say whether the actor may see a concern: only inspectors and moderators of the
    inspectorate triaging it; never a council, a partner inspectorate, or those who read
    everything else (the person's identity and words are theirs)."""
    return actor.is_inspectorate and actor.organisation == inspectorate
