"""The chained recorder's own insert of an append's events: ids in the events' order, the
stored values as eventsourcing reads them, and a version already taken refused as before."""

from __future__ import annotations

from uuid import uuid4

import pytest
from eventsourcing.persistence import IntegrityError, StoredEvent

from adapters import event_rows
from tests.integration.test_merkle_tree import make_recorder


def test_an_append_of_several_aggregates_answers_each_events_id_in_order(database_url):
    recorder = make_recorder(database_url)
    first, second = uuid4(), uuid4()
    events = [  # two aggregates at the same versions: ids cannot be matched by version alone
        StoredEvent(second, 1, "tests:Thing", b"b1"),
        StoredEvent(first, 1, "tests:Thing", b"a1\x00\xff"),
        StoredEvent(second, 2, "tests:Thing", b"b2"),
        StoredEvent(first, 2, "tests:Other", b"a2"),
    ]
    ids = recorder.insert_events(events, correlation_id="c")
    assert ids is not None and len(set(ids)) == 4
    by_id = {n.id: n for n in recorder.select_notifications(min(ids), 10)}
    for notification_id, sent in zip(ids, events, strict=True):
        stored = by_id[notification_id]
        assert (stored.originator_id, stored.originator_version) == (
            sent.originator_id,
            sent.originator_version,
        )
        assert (stored.topic, stored.state) == (sent.topic, sent.state)
    assert recorder.select_events(first) == [events[1], events[3]]


def test_a_version_already_taken_is_refused_and_nothing_of_the_append_is_kept(database_url):
    recorder = make_recorder(database_url)
    taken, other = uuid4(), uuid4()
    recorder.insert_events([StoredEvent(taken, 1, "tests:Thing", b"first")])
    before = recorder.max_notification_id()
    again = [StoredEvent(other, 1, "tests:Thing", b"x"), StoredEvent(taken, 1, "tests:Thing", b"y")]
    with pytest.raises(IntegrityError):
        recorder.insert_events(again)
    assert recorder.max_notification_id() == before
    assert recorder.select_events(other) == []
    assert recorder.insert_events([StoredEvent(other, 1, "tests:Thing", b"x")])  # still works


def test_an_append_larger_than_one_statement_takes_is_stored_whole_and_in_order(database_url):
    recorder = make_recorder(database_url)
    count = event_rows.ROWS * 2 + 7  # three statements, the last a part of one
    events = [StoredEvent(uuid4(), 1, "tests:Thing", f"{n}".encode()) for n in range(count)]
    ids = recorder.insert_events(events, correlation_id="import")
    assert ids == list(range(ids[0], ids[0] + count))  # consecutive, in the events' order
    stored = recorder.select_notifications(ids[0], count)
    assert [n.state for n in stored] == [e.state for e in events]
