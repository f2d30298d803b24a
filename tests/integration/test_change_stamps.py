"""Change stamps: each batch raises the stamp of every read-model table it wrote, and no other."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event

from adapters.personal_data import KeyVault
from domain.commands.concerns import RaisedConcern
from projections import runner
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
    """Catch up after each command, noting per batch: the tables whose stamps rose (and by
    how much), and per projection the read-model tables its SQL wrote, as the driver saw it."""
    models = ReadModels(database_url)
    engines = {p.view.datastore.engine for p in models.projections.values()}
    noted: list[Any] = []
    writing: list[str] = [""]  # the projection applying rows now
    for projection in models.projections.values():
        monkeypatch.setattr(projection, "apply_rows", attributed(projection, writing))
    monkeypatch.setattr(
        runner, "apply_together", watched(runner.apply_together, engines, noted, writing)
    )
    ledger.after_save.append(lambda: models.catch_up(ledger))
    yield noted
    models.close()


def attributed(projection: LedgerProjection, writing: list[str]) -> Any:
    """Wrap the projection's `apply_rows`, naming it as the one writing meanwhile."""
    apply_rows = projection.apply_rows

    def apply(session: Any, events: Any) -> None:
        writing[0] = projection.name
        try:
            apply_rows(session, events)
        finally:
            writing[0] = ""

    return apply


def watched(apply_together: Any, engines: set[Any], noted: list[Any], writing: list[str]) -> Any:
    """Wrap `apply_together`, noting what each batch wrote (by projection) and stamped."""

    def process(due: dict[str, LedgerProjection], events: Any, last: int) -> dict[str, int]:
        written: dict[str, set[str]] = {name: set() for name in due}

        def seen(_: Any, __: Any, statement: str, *___: Any) -> None:
            found = WRITE.match(statement)
            if found and found[1] in metadata.tables:
                written.setdefault(writing[0], set()).add(found[1])

        any_view = next(iter(due.values()))
        before = current_stamps(any_view)
        for engine in engines:  # views that share a transaction write through any one of them
            event.listen(engine, "before_cursor_execute", seen)
        try:
            moved = apply_together(due, events, last)
        finally:
            for engine in engines:
                event.remove(engine, "before_cursor_execute", seen)
        after = current_stamps(any_view)
        raised = {
            name: after[name] - before[name] for name in TABLES if after[name] != before[name]
        }
        noted.append((raised, written))
        return moved

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

    for raised, written in batches:
        assert raised == dict.fromkeys(set().union(*written.values()), 1)
    assert set().union(*(raised for raised, _ in batches)) == set(TABLES)  # all were written
    idle = {name for _, written in batches for name, tables in written.items() if not tables}
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
