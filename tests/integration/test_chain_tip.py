"""An append at the tip a recorder remembers: right after others' appends and after rollbacks."""

from __future__ import annotations

from contextlib import contextmanager
from uuid import uuid4

import psycopg
import pytest
from eventsourcing.persistence import StoredEvent
from sqlalchemy import MetaData, UniqueConstraint, event, inspect

from adapters import verifiable_log
from adapters.audit import verify
from tests.integration.test_merkle_tree import all_entries, append, make_recorder
from tests.merkle_reference import ReferenceTree


def assert_chain_and_tree_whole(recorder, size):
    result = verify(recorder)
    assert result.ok, result.problem and result.problem.describe()
    assert result.head_seq == size
    assert verifiable_log.tree_head(recorder) == (
        size,
        ReferenceTree(all_entries(recorder)).root(size),
    )


def thing(originator, version, text="state"):
    return StoredEvent(originator, version, "tests:Thing", text.encode())


def test_appends_of_two_recorders_in_turn_keep_one_chain_and_a_right_tree(database_url):
    mine, theirs = make_recorder(database_url), make_recorder(database_url)
    written = 0
    for count in (3, 1, 4, 1, 5, 9, 2, 6):
        append(mine, count, start=written)  # at the tip it remembers: first its own, then moved
        append(theirs, count + 1, start=written + count)
        written += 2 * count + 1
    append(mine, 7, start=written)
    assert_chain_and_tree_whole(mine, written + 7)


def noting(send, note):
    """Return the cursor method `send` that first notes its statement."""

    def sending(cursor, query, *args, **kwargs):
        note(query)
        return send(cursor, query, *args, **kwargs)

    return sending


@contextmanager
def statements_sent(engine, monkeypatch):
    """Collect the statements the driver is sent meanwhile, through SQLAlchemy or not (the rows
    of an executemany as one)."""
    sent: list[str] = []

    def note(statement):
        text = " ".join(str(statement).split()).split(" VALUES ")[0]
        if not sent or sent[-1] != text:
            sent.append(text)

    if engine.dialect.name == "postgresql":
        for name in ("execute", "executemany"):
            monkeypatch.setattr(psycopg.Cursor, name, noting(getattr(psycopg.Cursor, name), note))
        yield sent
        return

    def trace(dbapi_connection, *_):
        dbapi_connection.set_trace_callback(note)

    def untrace(dbapi_connection, *_):
        dbapi_connection.set_trace_callback(None)

    event.listen(engine, "checkout", trace)
    event.listen(engine, "checkin", untrace)
    try:
        yield sent
    finally:
        event.remove(engine, "checkout", trace)
        event.remove(engine, "checkin", untrace)


def test_an_append_after_its_own_writes_its_chain_and_tree_in_one_statement_on_postgresql(
    database_url, monkeypatch
):
    recorder = make_recorder(database_url)
    append(recorder, 5)
    engine = recorder.datastore.engine
    with statements_sent(engine, monkeypatch) as sent:
        recorder.insert_events([thing(uuid4(), 1) for _ in range(4)], correlation_id="c")
    chain_and_tree = [s.split()[0] for s in sent if "_chain" in s or "_merkle" in s]
    if engine.dialect.name == "postgresql":  # the head checked in the statement that writes
        assert chain_and_tree == ["WITH"]
        assert [s.split()[0] for s in sent] == ["LOCK", "INSERT", "WITH"]  # it announces too
    else:  # the head read in process, no frontier read
        assert chain_and_tree == ["SELECT", "INSERT", "INSERT"]
    assert_chain_and_tree_whole(recorder, 9)


class Refused(Exception):
    """What the test's listener raises inside an append's transaction."""


def rolled_back_by_a_listener(recorder, events):
    def refuse(*_):
        raise Refused()

    recorder.within_append.append(refuse)
    try:
        with pytest.raises(Refused):
            recorder.insert_events(events, correlation_id="rolled back")
    finally:
        recorder.within_append.remove(refuse)


def rolled_back_by_the_callers_transaction(recorder, events):
    with pytest.raises(Refused), recorder.transaction(commit=True):
        recorder.insert_events(events, correlation_id="rolled back")  # commits with the caller's
        raise Refused()


@pytest.mark.parametrize(
    "roll_back", [rolled_back_by_a_listener, rolled_back_by_the_callers_transaction]
)
def test_an_append_rolled_back_leaves_nothing_the_next_append_links_to(database_url, roll_back):
    mine, theirs = make_recorder(database_url), make_recorder(database_url)
    record = uuid4()
    mine.insert_events([thing(record, 1)], correlation_id="c")
    roll_back(mine, [thing(record, 2, "never stored"), thing(uuid4(), 1)])
    theirs.insert_events([thing(record, 2, "stored"), thing(uuid4(), 1)], correlation_id="c")
    mine.insert_events([thing(record, 3)], correlation_id="c")  # after theirs, at the same size
    assert_chain_and_tree_whole(mine, 4)


def test_a_chain_made_with_unique_event_ids_still_appends_and_loses_the_constraint_where_it_can(
    database_url,
):
    recorder = make_recorder(database_url)
    engine, chain = recorder.datastore.engine, recorder.chain
    with engine.begin() as conn:  # the chain table as versions before made it
        chain.drop(conn)
        old = chain.to_metadata(MetaData())
        old.append_constraint(UniqueConstraint("notification_id"))
        old.create(conn)
    reopened = make_recorder(database_url)
    unique = [c["column_names"] for c in inspect(engine).get_unique_constraints(chain.name)]
    assert (["notification_id"] in unique) == (engine.dialect.name == "sqlite")
    append(reopened, 6)
    assert_chain_and_tree_whole(reopened, 6)


def test_the_head_of_the_log_is_its_newest_notification_id(ledger, admin, database_url):
    assert ledger.recorder.max_notification_id() is None  # an empty log
    ledger.register_council(admin, "E09000002", "Barking and Dagenham", {})
    newest = ledger.recorder.select_notifications(0, 100)[-1].id
    assert ledger.recorder.max_notification_id() == newest
