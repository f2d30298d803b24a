"""rm_grade_intervals answers as the fold does for any history of grade changes, including ones
the domain's commands do not make today (a revision taking effect before an earlier one, a
change without a challenge after a revision, changes recorded in the same instant)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine

from projections.batch import Rows
from projections.grade_intervals import grade_intervals, grades_in_effect, record_change
from projections.standings import grades_as_of

START = datetime(2026, 1, 1, 9)
DAYS = [date(2026, 1, 1) + timedelta(days=n) for n in range(0, 12, 2)]

change = st.fixed_dictionaries(
    {
        "inspection_id": st.sampled_from(["a", "b"]),
        "area": st.sampled_from(["overall", "leadership"]),
        "grade": st.sampled_from(["good", "outstanding", "inadequate"]),
        "challenge_id": st.none() | st.sampled_from(["c1", "c2"]),
        "effective_on": st.none() | st.sampled_from(DAYS),
        "seconds": st.integers(0, 2),  # after the change before: 0 is the same instant
    }
)


def recorded(changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Number the changes per inspection and give them recording times in version order."""
    moment, versions, rows = START, {}, []
    for c in changes:
        moment += timedelta(seconds=c["seconds"])
        versions[c["inspection_id"]] = versions.get(c["inspection_id"], 0) + 1
        row = {k: v for k, v in c.items() if k != "seconds"}
        rows.append(row | {"version": versions[c["inspection_id"]], "recorded_at": moment})
    return rows


@settings(max_examples=60, deadline=None)
@given(changes=st.lists(change, min_size=1, max_size=12), batches=st.integers(1, 4))
def test_grade_intervals_equal_the_fold_at_every_day_and_moment(changes, batches) -> None:
    rows = recorded(changes)
    engine = create_engine("sqlite://")
    grade_intervals.create(engine)
    with engine.begin() as conn:
        size = -(-len(rows) // batches)
        for start in range(0, len(rows), size):  # batches of changes, as a projection applies
            batch = Rows(conn)
            for row in rows[start : start + size]:
                record_change(batch, row | {"council": "E1"})
            batch.flush()
        moments = [r["recorded_at"] + timedelta(microseconds=d) for r in rows for d in (-1, 0)]
        for known_at in [None, *moments]:
            for on in [None, *(d + timedelta(days=n) for d in DAYS for n in (-1, 0))]:
                expected = {}
                for inspection in ("a", "b"):
                    mine = [r for r in rows if r["inspection_id"] == inspection]
                    found = grades_as_of(mine, on, known_at)
                    if found[0]:
                        expected[inspection] = found
                assert grades_in_effect(conn, None, on, known_at) == expected, (on, known_at)
    engine.dispose()
