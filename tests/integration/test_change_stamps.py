"""Change stamps: each batch raises the stamp of every read-model table it wrote, and no other."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event

from adapters.personal_data import KeyVault
from domain.commands.concerns import RaisedConcern
from projections.base import LedgerProjection, metadata
from projections.changes import bump, stamps
from projections.runner import ReadModels
from tests.scenarios import BARKING, tell_story

TABLES = sorted(metadata.tables)  # every read model's tables
WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)', re.IGNORECASE)


def current_stamps(projection: LedgerProjection) -> dict[str, int]:
    with projection.view.transaction(commit=False) as session:  # joins a shared transaction
        return dict(zip(TABLES, stamps(session.connection(), TABLES), strict=True))


@pytest.fixture
def batches(database_url: str, ledger, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Catch up after each command, noting per batch: the projection, the tables whose stamps
    rose (and by how much), and the read-model tables its SQL wrote, as the driver saw it."""
    models = ReadModels(database_url)
    engines = {p.view.datastore.engine for p in models.projections.values()}
    noted: list[Any] = []
    for projection in models.projections.values():
        monkeypatch.setattr(projection, "process_numbered", watched(projection, engines, noted))
    ledger.after_save.append(lambda: models.catch_up(ledger))
    yield noted
    models.close()


def watched(projection: LedgerProjection, engines: set[Any], noted: list[Any]) -> Any:
    """Wrap the projection's `process_numbered`, noting what each batch wrote and stamped."""
    process_numbered = projection.process_numbered

    def process(events: Any, last: int) -> None:
        written: set[str] = set()

        def seen(_: Any, __: Any, statement: str, *___: Any) -> None:
            found = WRITE.match(statement)
            if found and found[1] in metadata.tables:
                written.add(found[1])

        before = current_stamps(projection)
        for engine in engines:  # views that share a transaction write through any one of them
            event.listen(engine, "before_cursor_execute", seen)
        try:
            process_numbered(events, last)
        finally:
            for engine in engines:
                event.remove(engine, "before_cursor_execute", seen)
        after = current_stamps(projection)
        raised = {
            name: after[name] - before[name] for name in TABLES if after[name] != before[name]
        }
        noted.append((projection.name, raised, written))

    return process


def test_each_batch_raises_the_stamps_of_exactly_the_tables_it_wrote(
    ledger, clock, batches, database_url
):
    tell_story(ledger, clock)
    engine = ledger.recorder.datastore.engine
    ledger.personal_data = KeyVault(database_url, bytes(32), engine)
    ledger.raise_concern(
        RaisedConcern(BARKING, "", "parent_or_carer", "A. Parent", "a@example.org", "A worry")
    )

    for name, raised, written in batches:
        assert raised == dict.fromkeys(written, 1), name
    assert set().union(*(raised for _, raised, _ in batches)) == set(TABLES)  # all were written
    idle = {name for name, raised, written in batches if not raised and not written}
    assert idle == {
        "councils",
        "inspections",
        "ratings",
        "disputes",
        "action_plans",
        "settings",
        "concerns",
    }


def test_a_stamp_counts_up_from_one_for_a_table_never_written_before(database_url):
    models = ReadModels(database_url)
    with models.engine.begin() as conn:
        assert stamps(conn, ["rm_nothing", "rm_other"]) == (0, 0)
        bump(conn, ["rm_nothing"])
        bump(conn, ["rm_nothing", "rm_other"])
        assert stamps(conn, ["rm_other", "rm_nothing"]) == (1, 2)
    models.close()


def test_a_rebuild_raises_its_tables_stamps_beyond_any_they_had(ledger, clock, database_url):
    models = ReadModels(database_url)
    ledger.after_save.append(lambda: models.catch_up(ledger))
    tell_story(ledger, clock)
    with models.engine.connect() as conn:
        before = dict(zip(TABLES, stamps(conn, TABLES), strict=True))

    models.rebuild(ledger, ["ratings"])

    with models.engine.connect() as conn:
        after = dict(zip(TABLES, stamps(conn, TABLES), strict=True))
    rebuilt = {
        "rm_publications",
        "rm_grade_changes",
        "rm_published_grades",
        "rm_current_ratings",
        "rm_grade_intervals",
    }
    assert all(after[name] > before[name] for name in rebuilt)
    assert all(after[name] == before[name] for name in set(TABLES) - rebuilt)
    models.close()
