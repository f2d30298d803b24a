"""A rebuild builds beside the live tables, which answer meanwhile, and swaps in only when complete."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any
from uuid import uuid4

import pytest
from click.testing import CliRunner
from eventsourcing.persistence import StoredEvent
from sqlalchemy import inspect, select

from domain.inspection import Inspection
from projections import base, parts
from projections import rebuild as rebuilding
from projections.base import metadata
from projections.changes import stamps
from projections.ratings import RatingsProjection, current_ratings
from projections.rebuild import RebuildFailed
from tests.integration.test_halts import FAULT, first_of
from tests.integration.test_projections import snapshot
from tests.scenarios import ADMIN, BARKING, tell_story
from web.cli import main


def fail_on_publication(monkeypatch) -> None:
    """Make every ratings projection (the rebuild's too) fail on a publication."""
    original = RatingsProjection.apply

    def apply(self: Any, event: Any, session: Any) -> None:
        if isinstance(event, Inspection.Published):
            raise RuntimeError(FAULT)
        original(self, event, session)

    monkeypatch.setattr(RatingsProjection, "apply", apply)


def live_ratings(models) -> list[tuple[Any, ...]]:
    with models.engine.connect() as conn:
        return sorted(tuple(map(repr, row)) for row in conn.execute(select(current_ratings)))


def test_a_failed_rebuild_leaves_the_live_read_model_and_its_position_as_they_were(
    ledger, clock, read_models, monkeypatch
):
    tell_story(ledger, clock)
    live, positions = snapshot(read_models), read_models.positions()
    fail_on_publication(monkeypatch)
    first = first_of(ledger, Inspection.Published)
    with pytest.raises(RebuildFailed, match=f"ratings halted at event {first} .*{FAULT}"):
        read_models.rebuild(ledger, ["ratings"])
    assert snapshot(read_models) == live
    assert read_models.positions() == positions
    assert read_models.halts() == {}  # the live read model never met the failure


def test_a_failed_rebuild_says_in_one_line_which_event_it_could_not_apply(
    ledger, clock, database_url, read_models, monkeypatch
):
    tell_story(ledger, clock)
    fail_on_publication(monkeypatch)
    result = CliRunner().invoke(
        main, ["projections", "rebuild", "ratings"], env={"DATABASE_URL": database_url}
    )
    assert result.exit_code == 1
    first = first_of(ledger, Inspection.Published)
    last_line = result.output.strip().splitlines()[-1]
    assert last_line.startswith(
        f"Error: Rebuild failed, nothing changed: ratings halted at event {first}"
    )
    assert FAULT in last_line


def test_the_live_read_model_answers_throughout_a_rebuild(ledger, clock, read_models):
    tell_story(ledger, clock)
    before = live_ratings(read_models)
    seen: list[list[tuple[Any, ...]]] = []
    read_models.rebuild(ledger, ["ratings"], lambda *_: seen.append(live_ratings(read_models)), 5)
    assert len(seen) > 2 and all(answer == before for answer in seen)
    assert live_ratings(read_models) == before


def test_a_rebuild_overtaken_by_new_events_takes_them_in_before_it_swaps(
    ledger, clock, read_models
):
    tell_story(ledger, clock)
    moved: list[int] = []

    def meanwhile(*_: Any) -> None:
        if not moved:  # the live read models move past the shadow while it is built
            ledger.record_intervention(
                ADMIN, BARKING, "improvement_notice_issued", date(2025, 1, 6), ""
            )
            moved.append(ledger.recorder.max_notification_id())

    read_models.rebuild(ledger, ["councils", "ratings"], meanwhile, 5)
    assert all(s.lag == 0 for s in read_models.status(ledger))
    rebuilt = snapshot(read_models)
    read_models.rebuild(ledger)
    assert snapshot(read_models) == rebuilt


def test_a_swap_raises_the_stamps_of_the_tables_it_replaced(ledger, clock, read_models):
    tell_story(ledger, clock)
    tables = [t.name for t in read_models.projections["ratings"].view.model_tables]
    with read_models.engine.connect() as conn:
        before = stamps(conn, tables)
    read_models.rebuild(ledger, ["ratings"])
    with read_models.engine.connect() as conn:
        after = stamps(conn, tables)
    assert all(a > b for a, b in zip(after, before, strict=True))


def shape_of(models) -> dict[str, Any]:
    """Every read-model table's columns, keys, indexes and constraints, as the database has them."""
    found = inspect(models.engine)
    return {
        name: (
            [(c["name"], str(c["type"]), c["nullable"]) for c in found.get_columns(name)],
            found.get_pk_constraint(name)["constrained_columns"],
            sorted(
                (i["name"], tuple(i["column_names"]), i["unique"]) for i in found.get_indexes(name)
            ),
            sorted(tuple(u["column_names"]) for u in found.get_unique_constraints(name)),
        )
        for name in metadata.tables
    }


def test_a_swapped_in_read_model_has_the_indexes_and_constraints_of_one_made_afresh(
    ledger, clock, read_models
):
    tell_story(ledger, clock)
    made = shape_of(read_models)
    read_models.rebuild(ledger)
    read_models.rebuild(ledger)  # again: the names the first swap brought in do not collide
    assert shape_of(read_models) == made


def in_parallel(monkeypatch) -> None:
    """Make even a short log's rebuild use two processes, as a long one's does."""
    monkeypatch.setattr(rebuilding, "PARALLEL_FROM", 0)
    monkeypatch.setenv("LEDGER_REBUILD_WORKERS", "2")


def test_a_rebuild_built_by_two_processes_equals_the_live_read_models(
    ledger, clock, read_models, monkeypatch
):
    tell_story(ledger, clock)
    live, positions = snapshot(read_models), read_models.positions()
    in_parallel(monkeypatch)
    assert len(rebuilding.parts_of(read_models, ledger, read_models.names(), 2)) == 2
    assert read_models.rebuild(ledger) == ledger.recorder.max_notification_id()
    assert snapshot(read_models) == live
    assert read_models.positions() == positions
    assert read_models.halts() == {}


def test_a_part_another_process_cannot_build_fails_the_rebuild_and_names_the_event(
    ledger, clock, read_models, monkeypatch
):
    tell_story(ledger, clock)
    live, positions = snapshot(read_models), read_models.positions()
    first, second = rebuilding.parts_of(read_models, ledger, read_models.names(), 2)
    handled = {
        t: {n for n, p in read_models.projections.items() if t in p.handled_topics}
        for p in read_models.projections.values()
        for t in p.handled_topics
    }
    topic = next(t for t, names in sorted(handled.items()) if names <= set(second))
    ledger.recorder.insert_events([StoredEvent(uuid4(), 1, topic, b"not what any version wrote")])
    assert rebuilding.parts_of(read_models, ledger, read_models.names(), 2) == [first, second]
    head = ledger.recorder.max_notification_id()
    in_parallel(monkeypatch)
    with pytest.raises(RebuildFailed, match=f"halted at event {head} "):
        read_models.rebuild(ledger)
    assert snapshot(read_models) == live
    assert read_models.positions() == positions
    assert read_models.halts() == {}


def test_the_parts_of_a_rebuild_are_the_grouping_whose_dearest_part_costs_least(read_models):
    handled = {n: set(p.handled_topics) for n, p in read_models.projections.items()}
    counts = {t: 1000 for topics in handled.values() for t in topics}
    groups = parts.split(handled, counts, 2)
    assert sorted(n for g in groups for n in g) == sorted(handled)
    dearest = max(parts.cost(g, handled, counts) for g in groups)
    names = sorted(handled)
    for size in range(1, len(names)):
        for some in itertools.combinations(names, size):
            others = [n for n in names if n not in some]
            assert dearest <= max(parts.cost(g, handled, counts) for g in (list(some), others))
    assert len(parts.split(handled, counts, 1)) == 1
    assert parts.split({"ratings": handled["ratings"]}, counts, 4) == [["ratings"]]


def test_read_models_that_take_the_same_events_share_a_part_when_that_costs_less():
    handled = {"a": {"x"}, "b": {"x"}, "c": {"y"}, "d": {"y"}}
    assert sorted(map(sorted, parts.split(handled, {"x": 100, "y": 100}, 2))) == [
        ["a", "b"],
        ["c", "d"],
    ]


def test_a_rebuild_in_batches_of_a_few_events_equals_the_live_read_models(
    ledger, clock, read_models
):
    tell_story(ledger, clock)
    live, positions = snapshot(read_models), read_models.positions()
    assert read_models.rebuild(ledger, batch_size=3) == ledger.recorder.max_notification_id()
    assert snapshot(read_models) == live
    assert read_models.positions() == positions


def test_a_rebuild_whose_batches_leave_finish_more_than_it_keeps_finishes_on_the_way(
    ledger, clock, read_models, monkeypatch
):
    tell_story(ledger, clock)
    live, positions = snapshot(read_models), read_models.positions()
    finished: list[int] = []
    original = RatingsProjection.finish

    def finish(self: Any, session: Any) -> None:
        finished.append(len(session.info.get("ratings_published", {})))
        original(self, session)

    monkeypatch.setattr(RatingsProjection, "finish", finish)
    monkeypatch.setattr(base, "DEFERRED_KEPT", 2)  # memory flat: a long log's rebuild keeps little
    assert read_models.rebuild(ledger, batch_size=3) == ledger.recorder.max_notification_id()
    assert len(finished) > 1 and max(finished) < sum(finished)  # along the way, not all at the end
    assert snapshot(read_models) == live
    assert read_models.positions() == positions
