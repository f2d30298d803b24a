"""As-of ratings and a council's history page on a large log: p50 and p99 against raw reads."""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import create_engine, select
from sqlalchemy.engine import Connection

from adapters.persistence import normalise_url
from projections.councils import councils
from projections.inspections import inspections
from projections.publications import publications
from projections.queries import rating_history, ratings
from projections.ratings import published_grades


def percentiles(seconds: list[float]) -> dict[str, float]:
    """Return p50 and p99 in milliseconds."""
    ordered = sorted(seconds)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return {"p50_ms": statistics.median(ordered) * 1000, "p99_ms": p99 * 1000}


def timed(
    conn: Connection, samples: list[Any], query: Callable[[Connection, Any], object]
) -> dict[str, float]:
    """Time the query once per sample (after one warm-up) and return its percentiles."""
    query(conn, samples[0])
    spent = []
    for sample in samples:
        started = time.perf_counter()
        query(conn, sample)
        spent.append(time.perf_counter() - started)
    return percentiles(spent)


def as_of(conn: Connection, moment: tuple[date, datetime]) -> object:
    """Every council's ratings on a day, as the ledger showed them at a time."""
    return ratings(conn, as_of=moment[0], known_at=moment[1])


def current(conn: Connection, _: object) -> object:
    """Every council's current ratings, from the table kept current (the as-of baseline)."""
    return ratings(conn)


def history_page(conn: Connection, code: str) -> object:
    """What a council's page reads: its rating history, current ratings, published reports."""
    published = (inspections.c.council == code) & inspections.c.published_on.is_not(None)
    return (
        rating_history(conn, code),
        next((r for r in ratings(conn) if r.council == code), None),
        conn.execute(
            select(inspections).where(published).order_by(inspections.c.published_on.desc())
        ).all(),
    )


def raw_history(conn: Connection, code: str) -> object:
    """The council's grade changes and publications, fetched and nothing more (its baseline)."""
    return (
        conn.execute(select(published_grades).where(published_grades.c.council == code)).all(),
        conn.execute(select(publications).where(publications.c.council == code)).all(),
    )


def queries_phase(url: str, samples: int = 30, seed: int = 11) -> dict[str, Any]:
    """Time as-of questions and history pages for random dates, times and councils."""
    rng = random.Random(seed)
    engine = create_engine(normalise_url(url))
    with engine.connect() as conn:
        codes = list(conn.execute(select(councils.c.code)).scalars())
        moments = []
        for _ in range(samples):
            day = date(2015, 1, 1) + timedelta(days=rng.randint(0, 4300))
            moments.append(
                (
                    day,
                    datetime.combine(day, datetime.min.time(), UTC)
                    + timedelta(days=rng.randint(0, 900)),
                )
            )
        chosen = [rng.choice(codes) for _ in range(samples * 5)]
        figures = {
            "as_of": timed(conn, moments, as_of),
            "as_of_raw": timed(conn, moments, current),
            "history": timed(conn, chosen, history_page),
            "history_raw": timed(conn, chosen, raw_history),
        }
    engine.dispose()
    return figures
