"""Read model of concerns, for the inspectorate's triage lists: sealed personal data only.

The rows keep the sealed values the events carry (never plain text); a page opens them only
for a reader the domain allows. Erasure blanks them here too, though once the person's key is
destroyed they could not be opened anyway.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Boolean, Column, Date, Integer, Table, Text, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from domain.concern import WHISTLEBLOWER, Concern, reference_of
from projections.base import LedgerProjection, handles, metadata
from projections.views import ReadModelView

concerns = Table(
    "rm_concerns",
    metadata,
    Column("id", Text, primary_key=True),
    Column("reference", Text, nullable=False),
    Column("inspectorate", Text, nullable=False, index=True),
    Column("council", Text, nullable=False),
    Column("setting_urn", Text, nullable=False, default=""),
    Column("relationship", Text, nullable=False),
    Column("whistleblowing", Boolean, nullable=False),
    Column("anonymous", Boolean, nullable=False),
    Column("name", Text, nullable=False, default=""),  # sealed
    Column("email", Text, nullable=False, default=""),  # sealed
    Column("text", Text, nullable=False, default=""),  # sealed
    Column("raised_on", Date, nullable=False),
    Column("acknowledge_by", Date, nullable=False),
    Column("acknowledged_on", Date),
    Column("risk", Text, nullable=False, default=""),
    Column("inspection_id", Text, nullable=False, default=""),
    Column("intelligence", Boolean, nullable=False, default=False),
    Column("brought_forward", Boolean, nullable=False, default=False),  # inspection_id's visit
    Column("closed_on", Date),
    Column("outcome", Text, nullable=False, default=""),
    Column("erased_on", Date),
    Column("version", Integer, nullable=False),
)


class ConcernsView(ReadModelView):
    model_tables = (concerns,)


class ConcernsProjection(LedgerProjection):
    name = "concerns"

    @handles(Concern.Raised)
    def raised(self, event: Concern.Raised, session: Session) -> None:
        session.execute(
            concerns.insert(),  # the values as parameters: no statement built per event
            {
                "id": str(event.originator_id),
                "reference": reference_of(event.originator_id),
                "inspectorate": event.inspectorate,
                "council": event.council,
                "setting_urn": event.setting_urn,
                "relationship": event.relationship,
                "whistleblowing": event.relationship == WHISTLEBLOWER,
                "anonymous": event.anonymous,
                "name": event.name,
                "email": event.email,
                "text": event.text,
                "raised_on": event.raised_on,
                "acknowledge_by": event.acknowledge_by,
                "version": event.originator_version,
            },
        )

    @handles(Concern.Acknowledged)
    def acknowledged(self, event: Concern.Acknowledged, session: Session) -> None:
        _set(session, event, acknowledged_on=event.on)

    @handles(Concern.Assessed)
    def assessed(self, event: Concern.Assessed, session: Session) -> None:
        _set(session, event, risk=event.risk)

    @handles(Concern.Linked)
    def linked(self, event: Concern.Linked, session: Session) -> None:
        _set(session, event, inspection_id=event.inspection_id, intelligence=event.intelligence)

    @handles(Concern.BroughtForward)
    def brought_forward(self, event: Concern.BroughtForward, session: Session) -> None:
        _set(session, event, inspection_id=event.inspection_id, brought_forward=True)

    @handles(Concern.Closed)
    def closed(self, event: Concern.Closed, session: Session) -> None:
        _set(session, event, closed_on=event.on, outcome=event.outcome)

    @handles(Concern.Erased)
    def erased(self, event: Concern.Erased, session: Session) -> None:
        _set(session, event, erased_on=event.on, name="", email="", text="")


def _set(session: Session, event: Any, **values: Any) -> None:
    session.execute(
        update(concerns)
        .where(concerns.c.id == str(event.originator_id))
        .values(version=event.originator_version, **values)
    )


def concern_rows(conn: Connection, inspectorate: str, today: date) -> list[dict[str, Any]]:
    """Return the inspectorate's concerns, open ones first, each saying whether its
    acknowledgement is overdue (not acknowledged, and its day passed)."""
    rows = conn.execute(
        select(concerns)
        .where(concerns.c.inspectorate == inspectorate)
        .order_by(concerns.c.closed_on.is_not(None), concerns.c.acknowledge_by, concerns.c.id)
    ).mappings()
    return [dict(row, overdue=_overdue(row, today)) for row in rows]


def _overdue(row: Any, today: date) -> bool:
    return row["acknowledged_on"] is None and row["acknowledge_by"] < today


WORK_COLUMNS = (
    *("id", "reference", "council", "setting_urn", "whistleblowing", "raised_on"),
    *("acknowledge_by", "acknowledged_on", "risk", "inspection_id", "intelligence"),
)


def open_concerns(conn: Connection, inspectorate: str, today: date) -> list[dict[str, Any]]:
    """Return the open concerns an inspectorate triages, for its work list: no personal data
    (not even sealed), each with its next step and whether its acknowledgement is overdue."""
    query = select(*(concerns.c[name] for name in WORK_COLUMNS)).where(
        (concerns.c.inspectorate == inspectorate)
        & concerns.c.closed_on.is_(None)
        & concerns.c.erased_on.is_(None)
    )
    rows = conn.execute(query.order_by(concerns.c.acknowledge_by, concerns.c.id)).mappings()
    return [dict(row, overdue=_overdue(row, today)) for row in rows]


def brought_forward_by(conn: Connection, inspection_id: str) -> list[dict[str, Any]]:
    """Return the concerns (id and reference only) that brought this visit forward."""
    query = select(concerns.c.id, concerns.c.reference).where(
        (concerns.c.inspection_id == inspection_id) & concerns.c.brought_forward
    )
    return [dict(row) for row in conn.execute(query.order_by(concerns.c.reference)).mappings()]
