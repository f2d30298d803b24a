"""Questions asked of the settings read model: lists with filters, one setting, its history."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from domain.inspection import PUBLISHED
from projections.councils import councils
from projections.settings import setting_inspections, settings

NOT_RATED = "Not yet rated"


def setting_rows(
    conn: Connection,
    type: str | None = None,
    grade: str | None = None,
    council: str | None = None,
) -> list[dict[str, Any]]:
    """Return the settings, by name, of a type, with a current grade (`NOT_RATED`: none yet),
    and in (or run by) a council, as asked; each with its council's name."""
    query = select(settings, councils.c.name.label("council_name")).join_from(
        settings, councils, councils.c.code == settings.c.council, isouter=True
    )
    if type:
        query = query.where(settings.c.type == type)
    if grade == NOT_RATED:
        query = query.where(settings.c.grade.is_(None))
    elif grade:
        query = query.where(settings.c.grade == grade)
    if council:
        query = query.where(
            (settings.c.council == council) | (settings.c.provider_council == council)
        )
    rows = conn.execute(query.order_by(settings.c.name, settings.c.urn)).mappings().all()
    return [dict(row) for row in rows]


def setting_row(conn: Connection, urn: str) -> dict[str, Any] | None:
    """Return one setting with its council's name, or None if none has this URN."""
    query = (
        select(settings, councils.c.name.label("council_name"))
        .join_from(settings, councils, councils.c.code == settings.c.council, isouter=True)
        .where(settings.c.urn == urn)
    )
    row = conn.execute(query).mappings().first()
    return dict(row) if row else None


def setting_history(conn: Connection, urn: str) -> list[dict[str, Any]]:
    """Return the setting's published inspections, newest first, each with its grades."""
    query = (
        select(setting_inspections)
        .where((setting_inspections.c.urn == urn) & (setting_inspections.c.status == PUBLISHED))
        .order_by(setting_inspections.c.published_on.desc(), setting_inspections.c.starts_on.desc())
    )
    return [dict(row) for row in conn.execute(query).mappings()]
