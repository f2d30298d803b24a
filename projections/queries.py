"""Questions asked of the ratings read models: current ratings, as-of ratings, history."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from domain.council import established_dates, existed_on
from domain.frameworks import framework as framework_named
from domain.policy import DEFAULT_POLICY, Policy
from domain.rules import OVERALL
from projections.councils import councils
from projections.grade_intervals import grades_in_effect
from projections.publications import publications, standing_candidates
from projections.ratings import current_ratings
from projections.ratings import published_grades as history
from projections.standings import Standing, latest_publications, standing_of
from projections.views import utc_naive


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
    headline: str | None = None  # the framework's headline grade (None: no single one)

    @property
    def overall(self) -> str | None:
        return self.grades.get(OVERALL)

    def as_dict(self) -> dict[str, Any]:
        """Return the rating as a plain dict (a shallow copy: `asdict` is slow on a page)."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        return values | {
            "grades": dict(self.grades),
            "revised_by": dict(self.revised_by),
            "overall": self.overall,
        }


BRIEF = ("code", "name", "region", "council_type", "abolished_on", "successors")


def council_rows(conn: Connection, on: date | None = None, brief: bool = False) -> dict[str, Any]:
    """Return the councils that existed on the day: predecessors until their abolition,
    successors from then (all current ones if no day is given); `brief`: only their names,
    regions and types."""
    rows = _council_rows(conn, brief)
    if on is None:
        return {code: r for code, r in rows.items() if r["abolished_on"] is None}
    established = established_dates((r["abolished_on"], r["successors"]) for r in rows.values())
    return {
        code: r
        for code, r in rows.items()
        if existed_on(on, r["abolished_on"], established.get(code))
    }


def every_council_row(conn: Connection) -> dict[str, Any]:
    """Return every council the ledger knows, current and former."""
    return _council_rows(conn, brief=False)


def lifetime(conn: Connection, code: str) -> tuple[date | None, date | None]:
    """Return when a council came into being and when it was abolished (None: not recorded)."""
    rows = _council_rows(conn, brief=True)
    established = established_dates((r["abolished_on"], r["successors"]) for r in rows.values())
    return established.get(code), rows[code]["abolished_on"] if code in rows else None


def _council_rows(conn: Connection, brief: bool) -> dict[str, Any]:
    chosen = select(*(councils.c[name] for name in BRIEF)) if brief else select(councils)
    return {r["code"]: r for r in conn.execute(chosen).mappings().all()}


def headline_of(standing: Standing, policy: Policy) -> str | None:
    """Return a council's headline grade by its framework's headline rule."""
    return framework_named(standing.framework).headline(standing.grades, policy)


def all_standings(
    conn: Connection, on: date | None, known_at: datetime | None
) -> dict[str, Standing]:
    """Return every council's standing as of a date and a recording time."""
    known_at = utc_naive(known_at) if known_at else None
    pubs = conn.execute(standing_candidates(on, known_at)).mappings().all()
    latest = latest_publications(pubs, on, known_at)
    found = grades_in_effect(conn, [row["inspection_id"] for row in latest.values()], on, known_at)
    return {
        council: standing_of(row, *found.get(row["inspection_id"], ({}, {})))
        for council, row in latest.items()
    }


def _current_standings(conn: Connection, codes: list[str]) -> dict[str, Standing]:
    result: dict[str, Standing] = {}
    query = select(current_ratings).where(current_ratings.c.council.in_(codes))
    for row in conn.execute(query).mappings():
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
    policy: Policy = DEFAULT_POLICY,
) -> list[CouncilRating]:
    """Return each council's ratings (now, or as of a date and recording time), filtered."""
    chosen = {
        code: council
        for code, council in council_rows(conn, as_of, brief=True).items()
        if _matches((region, council["region"]), (council_type, council["council_type"]))
    }
    found = (
        _current_standings(conn, list(chosen))
        if as_of is None and known_at is None
        else all_standings(conn, as_of, known_at)
    )
    result = []
    for code, council in chosen.items():
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
            headline_of(standing, policy),
        )
        if _matches((grade, rating.headline), (framework, rating.framework)):
            result.append(rating)
    return sorted(result, key=lambda r: r.name)


def _matches(*checks: tuple[str | None, Any]) -> bool:
    """Say whether every wanted value (None: any) equals the actual one, ignoring case."""
    return all(
        wanted is None or str(wanted).lower() == str(actual or "").lower()
        for wanted, actual in checks
    )


def rating_history(
    conn: Connection, council: str, offset: int = 0, limit: int | None = None
) -> list[dict[str, Any]]:
    """Return every grade the council has held (or `limit` of them from `offset`), in order
    of when it took effect (never before publication), then of when it was recorded."""
    took_effect = history.c.took_effect_on  # set when published: unpublished are NULL
    query = (
        select(
            history.c.inspection_id,
            publications.c.framework,
            publications.c.type,
            publications.c.starts_on,
            history.c.area,
            history.c.grade,
            took_effect.label("effective_on"),
            history.c.recorded_at,
            history.c.recorded_by,
            history.c.previous_grade,
            history.c.challenge_id,
            history.c.reason,
            publications.c.withdrawn_on,
        )
        .join_from(
            history,
            publications,
            publications.c.inspection_id == history.c.inspection_id,
        )
        # graded: a council's own ratings, never a setting's (SCCIF) in its area
        .where((history.c.council == council) & took_effect.is_not(None) & publications.c.graded)
        .order_by(  # the order of ix_rm_published_grades_history: a page reads only its rows
            took_effect,
            history.c.recorded_at,
            history.c.inspection_id,
            history.c.version,
        )
        .offset(offset)
        .limit(limit)
    )
    return [dict(row) for row in conn.execute(query).mappings()]
