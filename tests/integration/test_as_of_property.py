"""As-of answers from the read models equal what replaying the aggregates gives."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import UUID

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.persistence import ledger_env
from domain.inspection import PUBLISHED, Inspection
from domain.services import Ledger
from projections.queries import ratings
from projections.runner import ReadModels
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


def test_replay_is_not_trivially_empty(story) -> None:
    ledger, _, _, finished = story
    assert len(replayed_standing(ledger, date(2026, 1, 1), finished)) == 3
    assert replayed_standing(ledger, date(2017, 1, 1), finished) == {}
    assert isinstance(next(iter(ledger.events_of_type(Inspection.Scheduled))).originator_id, UUID)
