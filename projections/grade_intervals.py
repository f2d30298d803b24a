"""Grades bitemporally, as intervals: which grade an area of an inspection had on each day
(effective from/to) as the ledger knew it at each time (recorded from/to).

Each (inspection, area) has rows that tile the plane of days × recording times, so a grade as
of day D known at time T is the one row with effective_from <= D < effective_to and
recorded_from <= T < recorded_to (a NULL end: open). A grade change recorded at T taking effect
on E closes (in recorded time) every current row reaching past E and re-opens it from T, split
at E: before E unchanged, from E with the new grade (and its challenge, if it has one; else the
row's). This is exactly the fold of `projections.standings.grades_as_of`, given that an
inspection's changes are recorded in version order.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, Date, DateTime, Index, Integer, Table, Text, and_, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from projections.base import metadata
from projections.batch import CHUNK, Rows

EARLIEST = date.min  # effective_from of a grade in effect from publication (any day)
OPEN = "grade_intervals_open"  # in a batch's rows: (inspection, area) -> its current rows
LOADED = f"{OPEN}_loaded"  # and the inspections whose current rows are read

grade_intervals = Table(
    "rm_grade_intervals",
    metadata,
    Column("inspection_id", Text, primary_key=True),
    Column("area", Text, primary_key=True),
    Column("version", Integer, primary_key=True),  # the grade change that wrote the row
    Column("piece", Integer, primary_key=True),  # which of the rows that change wrote
    Column("council", Text, nullable=False),
    Column("grade", Text, nullable=False),
    Column("challenge_id", Text),  # the latest revision among the changes in effect
    Column("effective_from", Date, nullable=False),  # EARLIEST: whenever published
    Column("effective_to", Date),  # NULL: open
    Column("recorded_from", DateTime, nullable=False),
    Column("recorded_to", DateTime),  # NULL: current
    Index(  # an inspection's rows as of a day, known at a time
        "ix_rm_grade_intervals_as_of", "inspection_id", "effective_from", "recorded_from"
    ),
)


def load_open(rows: Rows, inspection_ids: Iterable[str]) -> None:
    """Read the current rows of these inspections in a few queries (a batch's prefetch)."""
    index: dict[tuple[str, str], list[dict[str, Any]]] = rows.info.setdefault(OPEN, {})
    loaded: set[str] = rows.info.setdefault(LOADED, set())
    wanted = sorted(set(inspection_ids) - loaded)

    def index_them(found: list[dict[str, Any]]) -> None:
        for row in found:
            index.setdefault((row["inspection_id"], row["area"]), []).append(row)

    rows.read(grade_intervals, 0, wanted, null="recorded_to", then=index_them)
    loaded.update(wanted)


def record_change(rows: Rows, change: dict[str, Any]) -> None:
    """Apply one grade change (a row of rm_grade_changes) to the intervals."""
    inspection, area = change["inspection_id"], change["area"]
    if inspection not in rows.info.get(LOADED, ()):  # else the batch's prefetch read them
        load_open(rows, [inspection])
    index: dict[tuple[str, str], list[dict[str, Any]]] = rows.info[OPEN]
    current = sorted(index.get((inspection, area), []), key=lambda r: r["effective_from"])
    start, moment = change["effective_on"] or EARLIEST, change["recorded_at"]
    pieces: list[tuple[date, date | None, str, str | None]] = []
    kept = []
    for row in current:
        if row["effective_to"] is not None and row["effective_to"] <= start:
            kept.append(row)  # wholly before the change takes effect
            continue
        rows.update(grade_intervals, Rows.key_of(grade_intervals, row), recorded_to=moment)
        if row["effective_from"] < start:
            pieces.append((row["effective_from"], start, row["grade"], row["challenge_id"]))
        challenge = change["challenge_id"] or row["challenge_id"]
        pieces.append(
            (max(row["effective_from"], start), row["effective_to"], change["grade"], challenge)
        )
    first = current[0]["effective_from"] if current else None
    if first is None or start < first:  # before any earlier change took effect: only this one
        pieces.append((start, first, change["grade"], change["challenge_id"]))
    for piece, (begins, ends, grade, challenge) in enumerate(pieces):
        kept.append(
            rows.insert(
                grade_intervals,
                inspection_id=inspection,
                area=area,
                version=change["version"],
                piece=piece,
                council=change["council"],
                grade=grade,
                challenge_id=challenge,
                effective_from=begins,
                effective_to=ends,
                recorded_from=moment,
                recorded_to=None,
            )
        )
    index[(inspection, area)] = kept


def in_effect(on: date | None, known_at: datetime | None) -> ColumnElement[bool]:
    """The rows in effect on the day (None: the latest) as known at the time (None: now)."""
    t = grade_intervals.c
    if on is None:
        day: ColumnElement[bool] = t.effective_to.is_(None)
    else:
        day = and_(t.effective_from <= on, or_(t.effective_to.is_(None), t.effective_to > on))
    if known_at is None:
        return day & t.recorded_to.is_(None)
    return day & and_(
        t.recorded_from <= known_at, or_(t.recorded_to.is_(None), t.recorded_to > known_at)
    )


def grades_in_effect(
    conn: Connection,
    inspection_ids: list[str] | None,
    on: date | None,
    known_at: datetime | None,
    area: str | None = None,
) -> dict[str, tuple[dict[str, str], dict[str, str]]]:
    """Return per inspection (these, or every one) its grades and the challenges that revised
    them, as of the day and known at the time; `area`: that area's only."""
    t = grade_intervals.c
    condition = in_effect(on, known_at)
    if area is not None:
        condition &= t.area == area
    chunks = (
        [None]
        if inspection_ids is None
        else [inspection_ids[i : i + CHUNK] for i in range(0, len(inspection_ids), CHUNK)]
    )
    found: dict[str, tuple[dict[str, str], dict[str, str]]] = {}
    columns = (t.inspection_id, t.area, t.grade, t.challenge_id)
    for chunk in chunks:
        where = condition if chunk is None else condition & t.inspection_id.in_(chunk)
        for inspection, name, grade, challenge in conn.execute(select(*columns).where(where)):
            grades, revised = found.setdefault(inspection, ({}, {}))
            grades[name] = grade
            if challenge:
                revised[name] = challenge
    return found
