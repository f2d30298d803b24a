"""Read models: exactly once, rebuildable, resumable, on every backend."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from eventsourcing.persistence import IntegrityError, Tracking
from sqlalchemy import select, text

from projections.applying import apply_together
from projections.base import metadata
from projections.publications import publications
from projections.queries import rating_history, ratings
from projections.ratings import grade_changes
from projections.runner import ReadModels
from projections.views import APPLICATION_NAME
from tests.scenarios import (
    BARKING,
    BARNET,
    CAMDEN,
    GOOD,
    RI,
    ilacs_2023,
    run_to_final_report,
    tell_story,
)


def snapshot(models: ReadModels) -> dict[str, list[tuple[Any, ...]]]:
    """Every read-model row, table by table, in a stable order."""
    with models.engine.connect() as conn:
        return {
            name: sorted(tuple(map(repr, row)) for row in conn.execute(select(table)))
            for name, table in metadata.tables.items()
        }


def test_read_models_follow_each_command_in_process(ledger, clock, read_models):
    tell_story(ledger, clock)
    with read_models.engine.connect() as conn:
        current = {r.council: r for r in ratings(conn)}
    assert current[BARKING].overall == RI  # revised on challenge from Inadequate
    assert current[BARKING].revised_by["overall"]
    assert (
        current[BARNET].overall == GOOD and current[BARNET].published_on.year == 2019
    )  # 2022 withdrawn
    assert current[CAMDEN].framework == "ilacs_2023"
    assert all(s.lag == 0 for s in read_models.status(ledger))


def test_a_rebuilt_read_model_equals_the_live_one(ledger, clock, read_models):
    tell_story(ledger, clock)
    live = snapshot(read_models)
    assert any(live.values())
    read_models.rebuild(ledger)
    assert snapshot(read_models) == live


def test_rebuilding_one_read_model_leaves_the_others_alone(ledger, clock, read_models):
    tell_story(ledger, clock)
    live = snapshot(read_models)
    read_models.rebuild(ledger, ["disputes"])
    assert snapshot(read_models) == live


def test_an_event_delivered_twice_changes_nothing(ledger, clock, read_models):
    tell_story(ledger, clock)
    before = snapshot(read_models)
    last = ledger.recorder.select_notifications(0, 10_000)[-1]
    event = ledger.mapper.to_domain_event(last)
    for projection in read_models.projections.values():
        with pytest.raises(IntegrityError):
            projection.process_event(event, Tracking(APPLICATION_NAME, last.id))
    assert read_models.catch_up(ledger) == 0
    assert snapshot(read_models) == before


def test_an_unknown_projection_name_is_refused(database_url, ledger):
    models = ReadModels(database_url)
    with pytest.raises(ValueError, match="Unknown projection nonsense"):
        models.rebuild(ledger, ["nonsense"])
    models.close()


def test_a_batch_another_process_applied_first_is_taken_one_read_model_at_a_time(
    ledger, clock, database_url
):
    tell_story(ledger, clock)
    models, other = ReadModels(database_url), ReadModels(database_url)
    head = ledger.recorder.max_notification_id()
    events = [
        (n.id, ledger.mapper.to_domain_event(n))
        for n in ledger.recorder.select_notifications(0, head)
    ]
    other.catch_up(ledger, ["ratings"])  # between our reading positions and applying the batch
    assert apply_together(models.projections, events, head) == dict.fromkeys(
        models.projections, head
    )
    assert all(s.lag == 0 for s in models.status(ledger))
    applied = snapshot(models)
    models.rebuild(ledger)
    assert snapshot(models) == applied  # ratings applied once, by the other process
    other.close()
    models.close()


@pytest.mark.parametrize(
    "recorded",
    [
        "UPDATE rm_shapes SET fingerprint = 'older' WHERE name = 'ratings'",
        "DELETE FROM rm_shapes WHERE name = 'ratings'",  # as versions before shapes left it
    ],
)
def test_a_read_model_made_in_another_shape_is_rebuilt_in_the_declared_one(
    ledger, clock, database_url, read_models, recorded
):
    tell_story(ledger, clock)
    live = snapshot(read_models)
    with read_models.engine.begin() as conn:  # as the version before `took_effect_on` made it
        conn.execute(text("ALTER TABLE rm_grade_changes DROP COLUMN took_effect_on"))
        conn.execute(text(recorded))
    reopened = ReadModels(database_url)
    assert reopened.positions()["ratings"] == 0  # dropped and made again: rebuilt on catch-up
    assert reopened.positions()["councils"] > 0  # the others are left alone
    reopened.catch_up(ledger)
    assert snapshot(reopened) == live
    reopened.close()


def test_a_councils_history_is_every_published_grade_from_when_it_took_effect(
    ledger, clock, read_models
):
    tell_story(ledger, clock)
    graded = ilacs_2023(RI, RI, RI, RI, RI)  # judged, its report not yet published
    unpublished = run_to_final_report(ledger, clock, CAMDEN, date(2025, 11, 10), graded)
    with read_models.engine.connect() as conn:
        published = {
            row.inspection_id: row.published_on
            for row in conn.execute(select(publications)).all()
            if row.published_on is not None and row.graded  # not a setting's (SCCIF)
        }
        changes = conn.execute(select(grade_changes)).mappings().all()
        for council in (BARKING, BARNET, CAMDEN):
            expected = sorted(
                (
                    max(
                        c["effective_on"] or published[c["inspection_id"]],
                        published[c["inspection_id"]],
                    ),
                    c["recorded_at"],
                    c["inspection_id"],
                    c["version"],
                )
                for c in changes
                if c["council"] == council and c["inspection_id"] in published
            )
            listed = rating_history(conn, council)
            assert [(h["effective_on"], h["recorded_at"], h["inspection_id"]) for h in listed] == [
                e[:3] for e in expected
            ]
            pages = [rating_history(conn, council, start, 3) for start in range(0, len(listed), 3)]
            assert [h for page in pages for h in page] == listed
    assert any(c["effective_on"] for c in changes)  # a revision dated after its publication
    assert any(c["inspection_id"] == str(unpublished) for c in changes)


def test_a_new_rules_version_changes_the_fingerprint_so_the_read_model_is_rebuilt(
    read_models,
) -> None:
    from projections import shapes

    view = read_models.projections["ratings"].view
    engine = view.datastore.engine
    assert view.rules_version == 2
    same_tables = shapes.fingerprint(view.model_tables, engine, 1)
    assert shapes.fingerprint(view.model_tables, engine, 2) != same_tables
