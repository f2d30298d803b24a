"""Read models kept inline change in the append's transaction: one commit, exact positions."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from eventsourcing.utils import get_topic
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from adapters.persistence import ledger_env
from domain.council import Council
from domain.inspection import Inspection
from domain.services import Ledger
from projections.base import metadata
from projections.changes import stamps
from projections.inline import SAVEPOINT, InlineReadModels, savepoint
from projections.runner import ReadModels
from tests.integration.test_halts import (
    FAULT,
    assert_halted_alone,
    cannot_apply,
    first_of,
    store_a_nul,
)
from tests.integration.test_projections import snapshot
from tests.scenarios import ADMIN, BARKING, BARNET, INSPECTOR, register_councils, tell_story

STAMPED = sorted(metadata.tables)  # every read model's tables
SCHEDULING_WRITES = {"rm_inspections", "rm_publications"}  # of a council's inspection


@pytest.fixture
def inline(database_url: str, ledger):
    models = ReadModels(database_url)
    models.catch_up(ledger)
    kept = InlineReadModels(models, ledger)
    kept.attach()
    yield kept
    models.close()


def catching_up_forbidden(monkeypatch, models: ReadModels) -> None:
    """Make any catch-up after a commit fail the test: the append's transaction did it all."""

    def refuse(*_, **__):
        raise AssertionError("a read model was caught up after the commit")

    monkeypatch.setattr(models, "catch_up", refuse)


def rebuilt(database_url: str, ledger) -> dict:
    """Return the read models as a catch-up from the whole log makes them, for comparison."""
    models = ReadModels(database_url)
    try:
        models.rebuild(ledger)
        return snapshot(models)
    finally:
        models.close()


def test_each_command_changes_every_read_model_in_its_own_transaction(
    database_url, ledger, clock, inline, monkeypatch
):
    catching_up_forbidden(monkeypatch, inline.models)
    tell_story(ledger, clock)
    head = ledger.recorder.max_notification_id()
    assert set(inline.models.positions().values()) == {head}
    assert inline.models.halts() == {}
    expected = rebuilt(database_url, ledger)  # the same rows a catch-up of the log makes
    assert snapshot(inline.models) == expected


def test_a_command_whose_append_fails_changes_no_read_model(ledger, clock, inline):
    register_councils(ledger)
    before, positions = snapshot(inline.models), inline.models.positions()
    head = ledger.recorder.max_notification_id()

    def fail_after(*_):
        raise RuntimeError("the append fails after the read models have applied it")

    ledger.recorder.within_append.append(fail_after)  # type: ignore[attr-defined]
    with pytest.raises(RuntimeError):
        ledger.record_intervention(ADMIN, BARKING, "improvement_notice_issued", clock.day, "")
    assert ledger.recorder.max_notification_id() == head
    assert snapshot(inline.models) == before and inline.models.positions() == positions
    ledger.recorder.within_append.remove(fail_after)  # type: ignore[attr-defined]
    ledger.record_intervention(ADMIN, BARKING, "improvement_notice_issued", clock.day, "")
    assert set(inline.models.positions().values()) == {ledger.recorder.max_notification_id()}


def test_a_read_model_that_cannot_apply_an_event_inline_halts_alone_and_the_command_stands(
    ledger, clock, inline, monkeypatch
):
    cannot_apply(monkeypatch, inline.models.projections["ratings"], Inspection.Published)
    tell_story(ledger, clock)  # every command succeeds, though ratings stops part way
    first = first_of(ledger, Inspection.Published)
    topic = get_topic(Inspection.Published)
    error = assert_halted_alone(inline.models, ledger, "ratings", first, topic)
    assert error == f"RuntimeError: {FAULT}"
    monkeypatch.undo()  # the code is fixed
    assert inline.models.resume(ledger, ["ratings"]) == ["ratings"]
    head = ledger.recorder.max_notification_id()
    assert set(inline.models.positions().values()) == {head}


def test_the_halt_is_recorded_in_the_transaction_of_the_command(ledger, clock, inline, monkeypatch):
    register_councils(ledger)
    cannot_apply(monkeypatch, inline.models.projections["councils"], Council.InterventionRecorded)
    catching_up_forbidden(monkeypatch, inline.models)
    ledger.record_intervention(ADMIN, BARKING, "improvement_notice_issued", clock.day, "")
    head = int(ledger.recorder.max_notification_id())
    topic = get_topic(Council.InterventionRecorded)
    assert_halted_alone(inline.models, ledger, "councils", head, topic)
    assert ledger.council(BARKING).interventions  # the command stands


def test_a_read_model_whose_prefetch_fails_inline_halts_alone_and_the_command_stands(
    ledger, clock, inline, monkeypatch
):
    register_councils(ledger)

    def fail(*_: object) -> None:
        raise RuntimeError(FAULT)

    monkeypatch.setattr(inline.models.projections["councils"], "prefetch", fail)
    catching_up_forbidden(monkeypatch, inline.models)
    ledger.record_intervention(ADMIN, BARKING, "improvement_notice_issued", clock.day, "")
    head = int(ledger.recorder.max_notification_id())
    topic = get_topic(Council.InterventionRecorded)
    assert assert_halted_alone(inline.models, ledger, "councils", head, topic).endswith(FAULT)
    assert ledger.council(BARKING).interventions  # the command stands


def test_an_event_the_database_refuses_halts_one_read_model_inline(
    ledger, clock, inline, monkeypatch
):
    if ledger.recorder.datastore.engine.dialect.name != "postgresql":  # type: ignore[attr-defined]
        pytest.skip("SQLite holds NUL in text")
    catching_up_forbidden(monkeypatch, inline.models)
    cancelled = store_a_nul(ledger, clock)  # the append commits, the read model's SQL fails
    assert int(ledger.recorder.max_notification_id()) == cancelled
    topic = get_topic(Inspection.Cancelled)
    assert "NUL" in assert_halted_alone(inline.models, ledger, "inspections", cancelled, topic)
    monkeypatch.undo()  # a read model behind is caught up after a command, a halted one not
    ledger.record_intervention(ADMIN, BARKING, "improvement_notice_issued", clock.day, "")
    assert_halted_alone(inline.models, ledger, "inspections", cancelled, topic)


def test_a_read_model_left_behind_is_caught_up_after_the_next_command(ledger, clock, inline):
    recorder = ledger.recorder
    within, recorder.within_append = recorder.within_append, []  # type: ignore[attr-defined]
    register_councils(ledger)  # written as another process without inline read models would
    recorder.within_append = within  # type: ignore[attr-defined]
    assert max(inline.models.positions().values()) < recorder.max_notification_id()
    ledger.record_intervention(ADMIN, BARKING, "improvement_notice_issued", clock.day, "")
    assert set(inline.models.positions().values()) == {recorder.max_notification_id()}


@pytest.mark.postgres
def test_concurrent_writers_keep_inline_positions_exact(fresh_postgres_database, clock):
    url = fresh_postgres_database("inline_concurrent")
    ledgers = [Ledger(env=ledger_env(url), today=clock) for _ in range(3)]
    models = [ReadModels(url) for _ in ledgers]
    register_councils(ledgers[0])
    models[0].catch_up(ledgers[0])
    for ledger, kept in zip(ledgers, models, strict=True):
        InlineReadModels(kept, ledger).attach()
    clock.advance_to(date(2027, 1, 4))
    failures: list[BaseException] = []

    def schedule(ledger: Ledger, council: str, weeks: range) -> None:
        try:
            for k in weeks:
                starts = date(2027, 3, 1) + timedelta(weeks=k)
                ledger.schedule_inspection(INSPECTOR, council, "focused_visit", starts)
        except BaseException as error:  # noqa: BLE001
            failures.append(error)

    writers = [
        threading.Thread(target=schedule, args=(ledger, council, range(k * 8, k * 8 + 8)))
        for k, (ledger, council) in enumerate(zip(ledgers, (BARKING, BARNET, BARKING), strict=True))
    ]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=120)
    try:
        assert failures == []
        head = ledgers[0].recorder.max_notification_id()
        assert set(models[0].positions().values()) == {head}
        assert models[0].halts() == {}
        assert snapshot(models[0]) == rebuilt(url, ledgers[0])
    finally:
        for kept, ledger in zip(models, ledgers, strict=True):
            kept.close()
            ledger.close()


def stamps_now(models: ReadModels) -> dict[str, int]:
    with models.engine.connect() as conn:
        return dict(zip(STAMPED, stamps(conn, STAMPED), strict=True))


def test_a_command_raises_inline_the_stamps_of_the_tables_it_wrote_by_one_and_no_other(
    ledger, clock, inline, monkeypatch
):
    catching_up_forbidden(monkeypatch, inline.models)
    register_councils(ledger)
    clock.advance_to(date(2027, 1, 4))
    before = stamps_now(inline.models)
    ledger.schedule_inspection(INSPECTOR, BARKING, "focused_visit", date(2027, 3, 1))
    risen = {t: s - before[t] for t, s in stamps_now(inline.models).items() if s != before[t]}
    assert risen == dict.fromkeys(SCHEDULING_WRITES, 1)


def test_appends_in_one_transaction_hold_one_savepoint_open_not_one_each(database_url):
    engine = create_engine(ledger_env(database_url)["SQLALCHEMY_URL"])
    try:
        with Session(engine) as session, session.begin():
            for _ in range(3):  # three appends' read models, in a caller's transaction
                with savepoint(session):
                    session.execute(text("SELECT 1"))
            connection = session.connection()
            connection.exec_driver_sql(f"RELEASE SAVEPOINT {SAVEPOINT}")  # the last one's
            with pytest.raises(DBAPIError, match="(?i)savepoint"):  # and no earlier one's
                connection.exec_driver_sql(f"RELEASE SAVEPOINT {SAVEPOINT}")
            session.rollback()
    finally:
        engine.dispose()
