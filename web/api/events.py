"""An aggregate's event history, oldest first, for whoever may see the aggregate."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.action_plan import ActionPlan
from domain.challenge import Challenge
from domain.inspection import Inspection
from web.api.auth import actor
from web.api.operations import blueprint, ledger, reads
from web.api.pagination import PageArgs, page, page_schema
from web.api.representations import EventOut, event_out

bp = blueprint("events", "The log itself: every event of one record")


def _check_may_see(aggregate_id: UUID) -> None:
    aggregate = ledger().aggregate(aggregate_id)
    if isinstance(aggregate, Inspection):
        ledger().inspection(actor(), aggregate_id)
    elif isinstance(aggregate, Challenge):
        ledger().challenge(actor(), aggregate_id)
    elif isinstance(aggregate, ActionPlan):
        ledger().action_plan(actor(), UUID(aggregate.inspection_id))
    # a council's record is public


@bp.route("/events/<uuid:aggregate_id>", methods=["GET"])
@reads(bp, page_schema(EventOut, "EventPage"), query=PageArgs)
def events(args: dict[str, Any], aggregate_id: UUID) -> Any:
    """List every event of one inspection, challenge, plan or council, oldest first."""
    _check_may_see(aggregate_id)
    return page(ledger().events_of(aggregate_id), args, event_out)
