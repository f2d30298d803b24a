"""An aggregate's event history, oldest first, for whoever may see the aggregate."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from web.api.auth import actor
from web.api.operations import blueprint, ledger, reads
from web.api.pagination import PageArgs, page, page_schema
from web.api.representations import EventOut, event_out

bp = blueprint("events", "The log itself: every event of one record")


@bp.route("/events/<uuid:aggregate_id>", methods=["GET"])
@reads(bp, page_schema(EventOut, "EventPage"), query=PageArgs)
def events(args: dict[str, Any], aggregate_id: UUID) -> Any:
    """List every event of one inspection, challenge, plan or council, oldest first."""
    return page(ledger().readable_events(actor(), aggregate_id), args, event_out)
