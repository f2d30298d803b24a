"""`ledger notify` on PostgreSQL is woken by LISTEN/NOTIFY, not by its polling interval."""

from __future__ import annotations

import threading
import time

import pytest

from projections import follower
from tests.scenarios import challengeable_report, register_councils

GENEROUS_SECONDS = 60.0


def _until(condition, seconds: float) -> bool:
    """Wait (a short tick at a time) until the condition holds or the time is up."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_a_new_event_is_delivered_when_announced(ledger, clock, notifier, inbox, monkeypatch):
    if not notifier.url.startswith("postgresql"):
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's")
    monkeypatch.setattr(follower, "CATCH_UP_SECONDS", 3600.0)  # no polling: only an announcement
    stop = threading.Event()
    loop = threading.Thread(target=follower.follow, args=(ledger, notifier), kwargs={"stop": stop})
    loop.start()
    try:
        assert _until(lambda: notifier.last is not None, GENEROUS_SECONDS)  # listening now
        register_councils(ledger)
        challengeable_report(ledger, clock)

        assert _until(lambda: len(inbox.received) == 8, GENEROUS_SECONDS)
    finally:
        stop.set()
        loop.join()
    assert (
        len({m["Message-ID"] for m in inbox.received}) == 8
    )  # with comments complete to two staff
