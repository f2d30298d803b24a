"""Read model of councils: reference data, reorganisation, DfE interventions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Column, Date, Table, Text, select, update
from sqlalchemy.orm import Session

from domain.council import Council
from projections.base import LedgerProjection, handles, metadata
from projections.views import ReadModelView

councils = Table(
    "rm_councils",
    metadata,
    Column("code", Text, primary_key=True),
    Column("id", Text, nullable=False, unique=True),
    Column("name", Text, nullable=False),
    Column("region", Text, nullable=False, default=""),
    Column("region_code", Text, nullable=False, default=""),
    Column("council_type", Text, nullable=False, default=""),
    Column("dfe_code", Text, nullable=False, default=""),
    Column("ons_code_2024", Text, nullable=False, default=""),
    Column("abolished_on", Date, nullable=True),
    Column("successors", JSON, nullable=False, default=list),
    Column("interventions", JSON, nullable=False, default=list),
)


class CouncilsView(ReadModelView):
    model_tables = (councils,)


class CouncilsProjection(LedgerProjection):
    name = "councils"

    @handles(Council.Registered)
    def registered(self, event: Council.Registered, session: Session) -> None:
        details = event.details
        session.execute(
            councils.insert(),  # the values as parameters: no statement built per event
            {
                "code": event.code,
                "id": str(event.originator_id),
                "name": event.name,
                "region": details.get("region_name", details.get("region", "")),
                "region_code": details.get("region_code", ""),
                "council_type": details.get("council_type", ""),
                "dfe_code": details.get("dfe_code", ""),
                "ons_code_2024": details.get("ons_code_2024", ""),
                "successors": [],
                "interventions": [],
            },
        )

    @handles(Council.Abolished)
    def abolished(self, event: Council.Abolished, session: Session) -> None:
        session.execute(
            update(councils)
            .where(_is(event))
            .values(abolished_on=event.on, successors=list(event.successors))
        )

    @handles(Council.InterventionRecorded)
    def intervention(self, event: Council.InterventionRecorded, session: Session) -> None:
        current = session.execute(select(councils.c.interventions).where(_is(event))).scalar_one()
        entry: dict[str, Any] = {
            "kind": event.kind,
            "on": event.on.isoformat(),
            "details": event.details,
            "by": event.actor.user,
        }
        session.execute(update(councils).where(_is(event)).values(interventions=[*current, entry]))


def _is(event: Any) -> Any:
    return councils.c.id == str(event.originator_id)
