"""The throttling counters and the sessions on every backend (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from adapters.rate_limits import DatabaseStorage
from adapters.sessions import SessionStore


def test_a_counter_grows_within_its_window_and_starts_again_after_it(database_url):
    clock = [1_000.0]
    storage = DatabaseStorage(url=database_url, now=lambda: clock[0])
    assert [storage.incr("k", 60) for _ in range(3)] == [1, 2, 3]
    assert storage.get("k") == 3 and storage.get_expiry("k") == 1_060.0
    assert storage.get("other") == 0 and storage.check()
    clock[0] += 61
    assert storage.get("k") == 0 and storage.incr("k", 60, amount=2) == 2
    assert storage.get_expiry("k") == 1_121.0
    storage.clear("k")
    assert storage.get("k") == 0
    storage.close()


def test_sessions_end_by_sign_out_idleness_lifetime_or_for_the_whole_account(database_url):
    moment = [datetime(2026, 11, 2, 9, tzinfo=UTC)]
    store = SessionStore(
        database_url, lambda: moment[0], timedelta(minutes=30), timedelta(hours=12)
    )
    first, second, third = (store.start("ian") for _ in range(3))
    other = store.start("mo")
    store.end(first)
    assert store.find(first) is None and store.find(second) == "ian"
    assert store.end_sessions_of("ian") == 2
    assert store.find(second) is None and store.find(third) is None
    moment[0] += timedelta(minutes=31)
    assert store.find(other) is None
    assert store.last_sign_in("ian") == datetime(2026, 11, 2, 9, tzinfo=UTC)
    store.close()
