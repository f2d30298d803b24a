"""Who may see a record, deny by default: one rule per kind of aggregate."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain import permissions as can
from domain.account import Account
from domain.action_plan import ActionPlan
from domain.actors import Actor
from domain.challenge import Challenge
from domain.concern import Concern
from domain.council import Council
from domain.inspection import Inspection
from domain.setting import Setting

InspectionOf = Callable[[UUID], Inspection]


def may_see(actor: Actor, aggregate: Aggregate, inspection_of: InspectionOf) -> bool:
    """Say whether the actor may see this record; a kind with no rule here is seen by no one."""
    if isinstance(aggregate, Inspection):
        published = aggregate.published_on is not None
        return can.may_read_inspection(actor, aggregate.council, aggregate.agencies, published)
    if isinstance(aggregate, Challenge):
        agencies = inspection_of(UUID(aggregate.inspection_id)).agencies
        return can.may_read_inspection(actor, aggregate.council, agencies, False)
    if isinstance(aggregate, ActionPlan):
        lead = inspection_of(UUID(aggregate.inspection_id)).lead_agency
        return can.may_read_action_plan(actor, aggregate.council, lead)
    if isinstance(aggregate, Concern):
        return can.may_read_concern(actor, aggregate.inspectorate)
    if isinstance(aggregate, Account):
        return can.may_read_account(actor, aggregate.username)
    return isinstance(aggregate, Council | Setting)  # reference data: public
