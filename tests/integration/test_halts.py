"""A read model that cannot apply an event halts there alone; resumed, it carries on from there."""

from __future__ import annotations

import signal
import threading
import time
from datetime import date
from typing import Any
from uuid import uuid4

import pytest
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic

from adapters.persistence import ledger_env
from domain.challenge import Challenge
from domain.inspection import Inspection
from domain.services import Ledger
from projections.follower import follow
from projections.runner import ReadModels
from tests.integration.test_follower import start_follower
from tests.integration.test_projections import snapshot
from tests.scenarios import ADMIN, BARKING, INSPECTOR, MODERATOR, register_councils, tell_story

FAULT = "this version cannot apply it"


def cannot_apply(monkeypatch, projection: Any, event_class: type) -> None:
    """Make the projection fail on every event of this class, as a bug in its handler would."""
    original = projection.apply

    def apply(event: Any, session: Any) -> None:
        if isinstance(event, event_class):
            raise RuntimeError(FAULT)
        original(event, session)

    monkeypatch.setattr(projection, "apply", apply)


def first_of(ledger, event_class: type) -> int:
    """Return the notification id of the first event of this class in the log."""
    topic = get_topic(event_class)
    notifications = ledger.recorder.select_notifications(0, 100_000)
    return next(n.id for n in notifications if n.topic == topic)


def assert_halted_alone(models: ReadModels, ledger, name: str, at: int, topic: str) -> str:
    statuses = {s.name: s for s in models.status(ledger)}
    halt = statuses[name].halt
    assert halt is not None and (halt.notification_id, halt.topic) == (at, topic)
    assert statuses[name].position == at - 1  # everything before the event is applied
    assert all(s.lag == 0 and s.halt is None for n, s in statuses.items() if n != name)
    return halt.error


def test_a_read_model_that_cannot_apply_an_event_halts_there_and_the_others_carry_on(
    ledger, clock, read_models, monkeypatch
):
    cannot_apply(monkeypatch, read_models.projections["ratings"], Inspection.Published)
    tell_story(ledger, clock)  # every command succeeds, though ratings stops part way
    first = first_of(ledger, Inspection.Published)
    error = assert_halted_alone(
        read_models, ledger, "ratings", first, get_topic(Inspection.Published)
    )
    assert error == f"RuntimeError: {FAULT}"


def test_a_halted_read_model_is_passed_by_until_resumed_and_then_catches_up_from_its_event(
    ledger, clock, read_models, monkeypatch
):
    cannot_apply(monkeypatch, read_models.projections["ratings"], Inspection.Published)
    tell_story(ledger, clock)
    stopped = read_models.positions()["ratings"]
    ledger.record_intervention(ADMIN, BARKING, "improvement_notice_issued", date(2025, 1, 6), "")
    assert read_models.positions()["ratings"] == stopped  # not retried at every catch-up
    monkeypatch.undo()  # the code is fixed
    assert read_models.resume(ledger, ["ratings"]) == ["ratings"]
    assert read_models.halts() == {}
    assert all(s.lag == 0 for s in read_models.status(ledger))
    resumed = snapshot(read_models)
    read_models.rebuild(ledger)
    assert snapshot(read_models) == resumed  # nothing skipped, nothing applied twice


def test_a_batch_one_read_model_cannot_apply_is_kept_by_the_others(
    ledger, clock, database_url, monkeypatch
):
    tell_story(ledger, clock)  # no read models yet: the whole log comes in one batch
    models = ReadModels(database_url)
    cannot_apply(monkeypatch, models.projections["disputes"], Challenge.Lodged)
    models.catch_up(ledger, batch_size=10_000)
    first = first_of(ledger, Challenge.Lodged)
    topic = get_topic(Challenge.Lodged)
    assert_halted_alone(models, ledger, "disputes", first, topic)
    models.close()


def stored_directly(ledger, event_class: type, inspection_id: Any, **values: Any) -> None:
    """Record an event past every command's checks, as a version without them might have."""
    inspection = ledger.repository.get(inspection_id)
    inspection.trigger_event(event_class, actor=MODERATOR, **values)
    ledger.save(inspection)


@pytest.fixture
def on_postgres(fresh_postgres_database, clock):
    url = fresh_postgres_database(f"halts{time.monotonic_ns()}")
    ledger = Ledger(env=ledger_env(url), today=clock)
    models = ReadModels(url)
    yield url, ledger, models
    models.close()
    ledger.close()


def store_a_nul(ledger, clock) -> int:
    """Record a cancellation whose reason holds NUL, past the commands' checks; return its id."""
    register_councils(ledger)
    visit = ledger.schedule_inspection(INSPECTOR, BARKING, "focused_visit", date(2027, 3, 1))
    stored_directly(ledger, Inspection.Cancelled, visit, on=clock.day, reason="nul\x00here")
    return int(ledger.recorder.max_notification_id())


OTHERS = ["councils", "ratings", "disputes", "action_plans", "settings", "concerns"]


@pytest.mark.postgres
def test_text_postgresql_cannot_hold_halts_one_read_model_and_the_follower_carries_on(
    on_postgres, clock
):
    _, ledger, models = on_postgres
    stop = threading.Event()
    follower = threading.Thread(target=follow, args=(ledger, models), kwargs={"stop": stop})
    follower.start()
    try:
        cancelled = store_a_nul(ledger, clock)
        ledger.record_intervention(ADMIN, BARKING, "improvement_notice_issued", clock.day, "")
        head = ledger.recorder.max_notification_id()
        wait_for(lambda: models.halts() and min(models.positions(OTHERS).values()) == head)
        topic = get_topic(Inspection.Cancelled)
        assert "NUL" in assert_halted_alone(models, ledger, "inspections", cancelled, topic)
        assert follower.is_alive()
    finally:
        stop.set()
        follower.join(timeout=30)


@pytest.mark.postgres
@pytest.mark.slow
def test_a_follower_process_started_on_a_halt_retries_it_and_keeps_following(on_postgres, clock):
    url, ledger, models = on_postgres
    cancelled = store_a_nul(ledger, clock)
    models.catch_up(ledger)
    first = models.halts()["inspections"].halted_at
    follower = start_follower(url, batch=1000)
    try:
        retried = lambda: models.halts()["inspections"].halted_at > first  # noqa: E731
        wait_for(retried)  # halted again, never absent meanwhile
        ledger.record_intervention(ADMIN, BARKING, "improvement_notice_issued", clock.day, "")
        head = ledger.recorder.max_notification_id()
        wait_for(lambda: min(models.positions(OTHERS).values()) == head)
        assert models.halts()["inspections"].notification_id == cancelled
        assert follower.poll() is None, "the follower stopped"
    finally:
        follower.send_signal(signal.SIGTERM)
        follower.communicate(timeout=30)


def wait_for(condition: Any, seconds: float = 30.0) -> None:
    done = threading.Event()
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        done.wait(0.05)
    raise AssertionError("timed out")


def test_an_event_this_version_cannot_read_halts_only_the_read_models_that_handle_it(
    ledger, clock, read_models
):
    tell_story(ledger, clock)
    topic = get_topic(Inspection.Scheduled)
    unreadable = StoredEvent(uuid4(), 1, topic, b"not what any version wrote")
    ledger.recorder.insert_events([unreadable])
    read_models.catch_up(ledger)
    head = ledger.recorder.max_notification_id()
    handling = {n for n, p in read_models.projections.items() if topic in p.handled_topics}
    statuses = {s.name: s for s in read_models.status(ledger)}
    assert handling and {n for n, s in statuses.items() if s.halt} == handling
    assert all(statuses[n].halt.notification_id == head for n in handling)
    assert all(s.lag == 0 for n, s in statuses.items() if n not in handling)
