"""As-of answers from the read models equal what replaying the aggregates gives."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from adapters.persistence import ledger_env
from domain.inspection import PUBLISHED, Inspection
from domain.services import Ledger
from projections.grade_intervals import grades_in_effect
from projections.publications import publications
from projections.queries import all_standings, ratings
from projections.ratings import grade_changes
from projections.runner import ReadModels
from projections.standings import grades_as_of, standings
from projections.views import utc_naive
from tests.conftest import Clock
from tests.scenarios import ADMIN, tell_story


def replayed_standing(ledger: Ledger, on: date, known_at: datetime) -> dict[str, dict[str, str]]:
    """Replay each inspection up to the last event in effect on `on` and recorded by `known_at`."""
    best: dict[str, tuple[tuple[date, date], dict[str, str]]] = {}
    for scheduled in ledger.events_of_type(Inspection.Scheduled):
        version = 0
        for event in ledger.events_of(scheduled.originator_id):
            effective = getattr(event, "effective_on", None) or getattr(event, "on", None)
            if event.timestamp > known_at or (effective is not None and effective > on):
                break
            version = event.originator_version
        if not version:
            continue
        inspection = ledger.repository.get(scheduled.originator_id, version=version)
        if (
            inspection.status == PUBLISHED
            and inspection.graded
            and inspection.framework.rates_council
        ):
            key = (inspection.published_on, inspection.starts_on)
            if inspection.council not in best or key > best[inspection.council][0]:
                best[inspection.council] = (key, inspection.grades())
    return {council: grades for council, (_, grades) in best.items()}


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def story(request, tmp_path_factory):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('asof') / 'ledger.sqlite'}"
    else:
        url = request.getfixturevalue("fresh_postgres_database")("asof")
    ledger = Ledger(env=ledger_env(url), today=(clock := Clock(date(2026, 11, 2))))
    started = datetime.now(UTC)
    tell_story(ledger, clock)
    ledger.record_intervention(ADMIN, "E09000002", "intervention_ended", clock.day, "")
    models = ReadModels(url)
    models.catch_up(ledger)
    yield ledger, models, started, datetime.now(UTC)
    models.close()
    ledger.close()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(day=st.dates(date(2018, 1, 1), date(2027, 12, 31)), fraction=st.floats(0, 1.05))
def test_as_of_ratings_equal_aggregate_replay(story, day: date, fraction: float) -> None:
    ledger, models, started, finished = story
    known_at = started + (finished - started) * fraction + timedelta(microseconds=1)
    expected = replayed_standing(ledger, day, known_at)
    with models.engine.connect() as conn:
        found = {r.council: r.grades for r in ratings(conn, as_of=day, known_at=known_at)}
    assert found == expected


def folded_standings(conn, on: date | None, known_at: datetime | None) -> dict[str, Any]:
    """The reference: fold every inspection's grade changes in Python, as of `on`, `known_at`."""
    pubs = conn.execute(select(publications)).mappings().all()
    changes = conn.execute(select(grade_changes)).mappings().all()
    return standings(pubs, changes, on, utc_naive(known_at) if known_at else None)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    day=st.none() | st.dates(date(2018, 1, 1), date(2027, 12, 31)),
    fraction=st.none() | st.floats(-0.05, 1.05),
)
def test_the_interval_table_answers_as_the_fold_does(story, day, fraction) -> None:
    ledger, models, started, finished = story
    known_at = None if fraction is None else started + (finished - started) * fraction
    with models.engine.connect() as conn:
        assert all_standings(conn, day, known_at) == folded_standings(conn, day, known_at)


def test_the_interval_table_answers_as_the_fold_does_at_every_recorded_moment(story) -> None:
    """At each moment a grade was recorded (and just before it), on each day a grade took
    effect (and the day before), with and without revisions: the edges of every interval."""
    _, models, _, _ = story
    with models.engine.connect() as conn:
        changes = conn.execute(select(grade_changes)).mappings().all()
        moments = {c["recorded_at"] for c in changes}
        moments |= {m - timedelta(microseconds=1) for m in moments}
        days = {c["effective_on"] for c in changes if c["effective_on"]}
        days |= {d - timedelta(days=1) for d in days} | {None}
        assert any(c["challenge_id"] for c in changes)  # the story revises grades
        for known_at in sorted(moments):
            for day in days:
                expected = folded_standings(conn, day, known_at)
                assert all_standings(conn, day, known_at) == expected, (day, known_at)
                assert grades_in_effect(conn, None, day, known_at) == folded_grades(
                    changes, day, known_at
                ), (day, known_at)


def folded_grades(changes, on, known_at) -> dict[str, tuple[dict[str, str], dict[str, str]]]:
    """The reference for every inspection, standing or not: its changes folded in Python."""
    by_inspection: dict[str, list[Any]] = {}
    for change in sorted(changes, key=lambda c: (c["inspection_id"], c["version"])):
        by_inspection.setdefault(change["inspection_id"], []).append(change)
    folded = {i: grades_as_of(c, on, known_at) for i, c in by_inspection.items()}
    return {i: found for i, found in folded.items() if found[0]}


def test_replay_is_not_trivially_empty(story) -> None:
    ledger, _, _, finished = story
    assert len(replayed_standing(ledger, date(2026, 1, 1), finished)) == 3
    assert replayed_standing(ledger, date(2017, 1, 1), finished) == {}
    assert isinstance(next(iter(ledger.events_of_type(Inspection.Scheduled))).originator_id, UUID)
