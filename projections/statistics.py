"""National statistics as of a date: grades by area, region, type and framework; movements."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from domain.frameworks import framework as framework_named
from domain.grades import INADEQUATE
from domain.policy import DEFAULT_POLICY, Policy
from domain.rules import OVERALL
from projections.grade_intervals import grades_in_effect
from projections.publications import publications
from projections.queries import all_standings, council_rows, headline_of

NO_HEADLINE = "no single headline grade"


def national_statistics(
    conn: Connection, as_of: date, policy: Policy = DEFAULT_POLICY
) -> dict[str, Any]:
    """Return counts of councils by headline grade, overall and per area, and movements."""
    existing = council_rows(conn, as_of)
    standing = {c: s for c, s in all_standings(conn, as_of, None).items() if c in existing}
    overall = Counter(s.grades[OVERALL] for s in standing.values() if OVERALL in s.grades)
    headlines = {code: headline_of(s, policy) or NO_HEADLINE for code, s in standing.items()}
    headline = Counter(headlines.values())
    by_area: dict[str, Counter[str]] = defaultdict(Counter)
    by_region: dict[str, Counter[str]] = defaultdict(Counter)
    by_type: dict[str, Counter[str]] = defaultdict(Counter)
    by_framework: dict[str, Counter[str]] = defaultdict(Counter)
    for code, s in standing.items():
        for area, grade in s.grades.items():
            if area != OVERALL:
                by_area[area][grade] += 1
        label = headlines[code]
        by_region[existing[code]["region"]][label] += 1
        by_type[existing[code]["council_type"]][label] += 1
        by_framework[s.framework][label] += 1
    rated = len(standing)
    return {
        "as_of": as_of.isoformat(),
        "councils": len(existing),
        "councils_rated": len(standing),
        "headline": dict(headline),
        "overall": dict(overall),
        "share_inadequate": round(headline[INADEQUATE] / rated, 4) if rated else 0.0,
        "by_area": _plain(by_area),
        "by_region": _plain(by_region),
        "by_council_type": _plain(by_type),
        "by_framework": _plain(by_framework),
        "movements": movements(conn, as_of, set(existing)),
    }


def _plain(table: dict[str, Counter[str]]) -> dict[str, dict[str, int]]:
    return {key: dict(counts) for key, counts in sorted(table.items())}


def movements(conn: Connection, as_of: date, councils: set[str]) -> dict[str, int]:
    """Count improved, declined and unchanged overall grades between successive inspections."""
    pubs = conn.execute(select(publications).where(publications.c.graded)).mappings().all()
    overall = grades_in_effect(conn, None, as_of, None, area=OVERALL)
    series: dict[str, list[tuple[date, int]]] = defaultdict(list)
    for pub in pubs:
        published, withdrawn = pub["published_on"], pub["withdrawn_on"]
        if pub["council"] not in councils or published is None or published > as_of:
            continue
        if withdrawn is not None and withdrawn <= as_of:
            continue
        grades, _ = overall.get(pub["inspection_id"], ({}, {}))
        if OVERALL in grades:
            rank = framework_named(pub["framework"]).scale.rank(grades[OVERALL])
            series[pub["council"]].append((published, rank))
    counts = Counter({"improved": 0, "declined": 0, "unchanged": 0})
    for ranks in series.values():
        ordered = [rank for _, rank in sorted(ranks)]
        for before, after in zip(ordered, ordered[1:], strict=False):
            counts[
                "improved" if after < before else "declined" if after > before else "unchanged"
            ] += 1
    return dict(counts)
