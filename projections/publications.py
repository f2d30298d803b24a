"""Publications: each inspection's council, framework and the days it was published and
withdrawn, and which of them could stand as a council's rating as of a day."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Index,
    Select,
    Table,
    Text,
    func,
    select,
    true,
)
from sqlalchemy.sql.elements import ColumnElement

from projections.base import metadata

publications = Table(
    "rm_publications",
    metadata,
    Column("inspection_id", Text, primary_key=True),
    Column("council", Text, nullable=False, index=True),
    Column("framework", Text, nullable=False),
    Column("type", Text, nullable=False),
    Column("graded", Boolean, nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("published_on", Date),
    Column("published_at", DateTime),
    Column("withdrawn_on", Date),
    Column("withdrawn_at", DateTime),
)
STANDING_KEY = ("council", "published_on", "published_at", "withdrawn_on", "withdrawn_at")
# Which publication stands for a council as of a day reads only councils' graded publications,
# from this index alone (the rows of regulated settings' inspections, most of a long log, are
# not in it), then a council's few on its latest day: bounded however many settings there are.
Index(
    "ix_rm_publications_standing",
    *(publications.c[name] for name in STANDING_KEY),
    sqlite_where=publications.c.graded == true(),
    postgresql_where=publications.c.graded == true(),
)


def standing_candidates(
    on: date | None, known_at: datetime | None, councils: list[str] | None = None
) -> Select[Any]:
    """Select the publications that could stand as of `on` and `known_at`: graded, published
    and not withdrawn then, on each council's latest such day (not every one it has had)."""
    p = publications
    could_stand: ColumnElement[bool] = p.c.graded & p.c.published_on.is_not(None)
    not_withdrawn: ColumnElement[bool] = p.c.withdrawn_on.is_(None)
    if on is not None:
        could_stand &= p.c.published_on <= on
        not_withdrawn |= p.c.withdrawn_on > on
    if known_at is not None:
        could_stand &= p.c.published_at <= known_at
        not_withdrawn |= p.c.withdrawn_at > known_at
    could_stand &= not_withdrawn
    if councils is not None:
        could_stand &= p.c.council.in_(councils)
    latest_day = (
        select(p.c.council, func.max(p.c.published_on).label("day"))
        .where(could_stand)
        .group_by(p.c.council)
        .subquery()
    )
    on_latest_day = (p.c.council == latest_day.c.council) & (p.c.published_on == latest_day.c.day)
    return select(p).join(latest_day, on_latest_day).where(could_stand)
