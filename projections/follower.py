"""Follow the log on PostgreSQL: LISTEN for announcements and catch every read model up."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterable
from threading import Event
from typing import Any, Protocol

import psycopg
from eventsourcing_sqlalchemy.recorders import SQLAlchemyApplicationRecorder
from sqlalchemy.engine import make_url

from domain.services import Ledger
from projections.applying import CONNECTION_LOST

CATCH_UP_SECONDS = 5.0  # a follower catches up at least this often, announced or not
WAKE_SECONDS = 0.2  # and looks this often whether it has been told to stop
GATHER_MS = 200  # told of an event, it waits this long for more to apply with it (batches grow)
RECONNECT_SECONDS = 1.0
log = logging.getLogger("ledger.follower")


class Follows(Protocol):
    """What the loop keeps current: the read models, or the notifier."""

    url: str

    def catch_up(self, ledger: Ledger, names: Iterable[str] | None = None) -> int: ...


def follow(
    ledger: Ledger,
    models: Follows,
    names: Iterable[str] | None = None,
    stop: Event | None = None,
    timeout: float | None = None,
) -> None:
    """Keep the read models current as events are recorded (PostgreSQL only).

    One loop: it LISTENs on the channel that the ledger's recorder NOTIFYs in each write's
    transaction and, when told (and every few seconds regardless), catches every projection
    up in batches, all of them in one transaction per batch. It waits a moment after an
    announcement, and events recorded meanwhile or while a batch is applied join the batch, so
    under load the batches grow and each event costs less. If PostgreSQL goes away, the loop
    waits for it and resumes from the recorded positions. A read model that cannot apply an
    event halts alone (`projections.applying`); any other failure is logged and retried, so
    the loop never ends but when told.
    """
    stop = stop or Event()
    deadline = None if timeout is None else time.monotonic() + timeout
    while not _finished(stop, deadline):
        try:
            _follow_connected(ledger, models, names, stop, deadline)
        except CONNECTION_LOST as error:
            log.warning("the follower lost the database; retrying", extra={"error": str(error)})
            stop.wait(RECONNECT_SECONDS)
        except Exception:  # noqa: BLE001 (a read model's fault halts it; this is anything else)
            log.exception("the follower failed; retrying")
            stop.wait(RECONNECT_SECONDS)


def _finished(stop: Event, deadline: float | None) -> bool:
    return stop.is_set() or (deadline is not None and time.monotonic() >= deadline)


def _follow_connected(
    ledger: Ledger,
    models: Follows,
    names: Iterable[str] | None,
    stop: Event,
    deadline: float | None,
) -> None:
    address = make_url(models.url).set(drivername="postgresql").render_as_string(False)
    recorder = ledger.recorder
    assert isinstance(recorder, SQLAlchemyApplicationRecorder)
    with psycopg.connect(address, autocommit=True) as listener:
        listener.execute(f"LISTEN {recorder.channel_name}")
        while not _finished(stop, deadline):
            models.catch_up(ledger, names)  # also what was recorded while not listening
            _wait_for_news(listener, stop, deadline)


def _wait_for_news(listener: psycopg.Connection[Any], stop: Event, deadline: float | None) -> None:
    """Return when events are announced, after CATCH_UP_SECONDS, or when told to stop."""
    until = time.monotonic() + CATCH_UP_SECONDS
    while not _finished(stop, deadline) and time.monotonic() < until:
        if any(True for _ in listener.notifies(timeout=WAKE_SECONDS, stop_after=1)):
            stop.wait(gather_seconds())  # events recorded meanwhile come in the same batch
            for _ in listener.notifies(timeout=0):  # every announcement so far: one catch-up
                pass
            return


def gather_seconds() -> float:
    """Return how long a follower told of an event waits for more (LEDGER_FOLLOW_GATHER_MS)."""
    return int(os.environ.get("LEDGER_FOLLOW_GATHER_MS", "") or GATHER_MS) / 1000
