"""Questions asked of the ratings read models: current ratings, as-of ratings, history."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from domain.rules import OVERALL
from projections.base import utc_naive
from projections.councils import councils
from projections.ratings import (
    Standing,
    current_ratings,
    grade_changes,
    latest_publications,
    publications,
    standing_candidates,
    standings,
)


@dataclass
class CouncilRating:
    council: str
    name: str
    region: str
    council_type: str
    framework: str
    inspection_type: str
    inspection_id: str
    starts_on: date
    published_on: date
    grades: dict[str, str] = field(default_factory=dict)
    revised_by: dict[str, str] = field(default_factory=dict)

    @property
    def overall(self) -> str | None:
        return self.grades.get(OVERALL)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {"overall": self.overall}


def council_rows(conn: Connection, on: date | None = None) -> dict[str, Any]:
    """Return the councils that existed on the day (all current ones if no day is given)."""
    rows = conn.execute(select(councils)).mappings().all()
    return {
        r["code"]: r
        for r in rows
        if r["abolished_on"] is None or (on is not None and r["abolished_on"] > on)
    }


def all_standings(
    conn: Connection, on: date | None, known_at: datetime | None
) -> dict[str, Standing]:
    """Return every council's standing as of a date and a recording time."""
    known_at = utc_naive(known_at) if known_at else None
    pubs = conn.execute(standing_candidates(on, known_at)).mappings().all()
    latest = [row["inspection_id"] for row in latest_publications(pubs, on, known_at).values()]
    changes = [
        change
        for chunk in range(0, len(latest), 500)  # only the standing inspections' grades matter
        for change in conn.execute(
            select(grade_changes).where(
                grade_changes.c.inspection_id.in_(latest[chunk : chunk + 500])
            )
        ).mappings()
    ]
    return standings(pubs, changes, on, known_at)


def _current_standings(conn: Connection) -> dict[str, Standing]:
    result: dict[str, Standing] = {}
    for row in conn.execute(select(current_ratings)).mappings():
        standing = result.setdefault(
            row["council"],
            Standing(
                row["council"],
                row["inspection_id"],
                row["framework"],
                row["type"],
                row["starts_on"],
                row["published_on"],
            ),
        )
        standing.grades[row["area"]] = row["grade"]
        if row["challenge_id"]:
            standing.revised_by[row["area"]] = row["challenge_id"]
    return result


def ratings(
    conn: Connection,
    as_of: date | None = None,
    known_at: datetime | None = None,
    region: str | None = None,
    council_type: str | None = None,
    grade: str | None = None,
    framework: str | None = None,
) -> list[CouncilRating]:
    """Return each council's ratings (now, or as of a date and recording time), filtered."""
    found = (
        _current_standings(conn)
        if as_of is None and known_at is None
        else all_standings(conn, as_of, known_at)
    )
    result = []
    for code, council in council_rows(conn, as_of).items():
        standing = found.get(code)
        if standing is None:
            continue
        rating = CouncilRating(
            code,
            council["name"],
            council["region"],
            council["council_type"],
            standing.framework,
            standing.type,
            standing.inspection_id,
            standing.starts_on,
            standing.published_on,
            standing.grades,
            standing.revised_by,
        )
        if _matches(rating, region, council_type, grade, framework):
            result.append(rating)
    return sorted(result, key=lambda r: r.name)


def _matches(
    rating: CouncilRating,
    region: str | None,
    council_type: str | None,
    grade: str | None,
    framework: str | None,
) -> bool:
    checks = (
        (region, rating.region),
        (council_type, rating.council_type),
        (grade, rating.overall),
        (framework, rating.framework),
    )
    return all(
        wanted is None or str(wanted).lower() == str(actual or "").lower()
        for wanted, actual in checks
    )


def rating_history(conn: Connection, council: str) -> list[dict[str, Any]]:
    """Return every grade the council has held: when it took effect, when it was recorded."""
    pubs = {
        r["inspection_id"]: r
        for r in conn.execute(
            select(publications).where(publications.c.council == council)
        ).mappings()
    }
    changes = (
        conn.execute(
            select(grade_changes)
            .where(grade_changes.c.council == council)
            .order_by(grade_changes.c.recorded_at)
        )
        .mappings()
        .all()
    )
    history = []
    for change in changes:
        pub = pubs[change["inspection_id"]]
        if pub["published_on"] is None:
            continue
        effective = max(change["effective_on"] or pub["published_on"], pub["published_on"])
        history.append(
            {
                "inspection_id": change["inspection_id"],
                "framework": pub["framework"],
                "type": pub["type"],
                "starts_on": pub["starts_on"],
                "area": change["area"],
                "grade": change["grade"],
                "effective_on": effective,
                "recorded_at": change["recorded_at"],
                "recorded_by": change["recorded_by"],
                "previous_grade": change["previous_grade"],
                "challenge_id": change["challenge_id"],
                "reason": change["reason"],
                "withdrawn_on": pub["withdrawn_on"],
            }
        )
    return sorted(history, key=lambda h: (h["effective_on"], h["recorded_at"]))
