"""Which publication stands as of a day is read from councils' graded publications alone: the
regulated settings' inspections, most of a long log's publications, are never scanned."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import create_engine, text

from projections.publications import publications, standing_candidates


@pytest.mark.parametrize(
    ("on", "known_at", "councils"),
    [
        (date(2021, 3, 31), datetime(2022, 1, 1), None),
        (date(2021, 3, 31), None, None),
        (None, None, ["E09000002"]),
    ],
)
def test_the_standing_query_reads_only_the_graded_publications_index(on, known_at, councils):
    engine = create_engine("sqlite://")
    publications.metadata.create_all(engine, tables=[publications])
    query = standing_candidates(on, known_at, councils)
    with engine.connect() as conn:
        sql = str(query.compile(conn, compile_kwargs={"literal_binds": True}))
        plan = [row[-1] for row in conn.execute(text(f"EXPLAIN QUERY PLAN {sql}"))]
    reads = [step for step in plan if "rm_publications" in step]
    assert len(reads) == 2, plan
    assert all("USING INDEX ix_rm_publications_standing" in step for step in reads), plan
