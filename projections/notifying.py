"""Run the notifier: catch it up with the log (writing the outbox), then deliver what is due."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from threading import Event

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from adapters.delivery import Delivered, Delivery
from adapters.identity import IdentityStore
from adapters.mail import Mailer, NotifySettings
from adapters.outbox import outbox
from domain.services import Ledger
from projections.applying import apply_alone
from projections.notifier import NotifierProjection, NotifierView
from projections.reading import batches
from projections.runner import configured_batch_size, construct_view

POLL_SECONDS = 5.0  # without LISTEN/NOTIFY (SQLite), the notifier looks this often
log = logging.getLogger("ledger.notifier")


@dataclass(frozen=True)
class Round:
    """What one round did: events read, notifications written, and their delivery."""

    read: int
    written: int
    delivered: Delivered


class Notifier:
    """The notifier of one database: its projection, and the delivery of its outbox."""

    def __init__(
        self,
        url: str,
        identity: IdentityStore,
        mailer: Mailer,
        settings: NotifySettings,
        now: Callable[[], datetime],
    ) -> None:
        self.url = url
        view = construct_view(NotifierProjection.name, NotifierView, url)
        assert isinstance(view, NotifierView)
        self.projection = NotifierProjection(view, settings.base_url)
        self.delivery = Delivery(self.engine, identity, mailer, settings, now)
        self.last: Round | None = None

    @property
    def engine(self) -> Engine:
        engine = self.projection.view.datastore.engine
        assert isinstance(engine, Engine)
        return engine

    def write(self, ledger: Ledger) -> int:
        """Read the log from the notifier's position, writing the outbox; return events read.

        An event it cannot apply halts it there, as a read model halts (`ledger projections
        status` shows it), and nothing after that event is told until it is resumed.
        """
        position = self.projection.view.position()
        head = ledger.recorder.max_notification_id() or 0
        topics = set(self.projection.handled_topics)
        read = 0
        with closing(batches(ledger, position, head, configured_batch_size(), topics)) as found:
            for last, count, events in found:
                read += count
                if apply_alone(self.projection, events, last) < last:
                    break  # halted
        return read

    def catch_up(self, ledger: Ledger, names: Iterable[str] | None = None) -> int:
        """Write what the log holds since the last round and deliver what is due; return
        the events read (the follower's loop calls this when told of new events)."""
        before = self._written()
        read = self.write(ledger)
        written = self._written() - before
        self.last = Round(read, written, self.delivery.deliver_due())
        return read

    def _written(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(outbox)).scalar_one()

    def poll(self, ledger: Ledger, stop: Event, seconds: float = POLL_SECONDS) -> None:
        """Catch up every few seconds until told to stop (where no LISTEN/NOTIFY is)."""
        while not stop.is_set():
            try:
                self.catch_up(ledger)
            except Exception:  # noqa: BLE001 (logged; the next round retries)
                log.exception("the notifier failed; retrying")
            stop.wait(seconds)

    def close(self) -> None:
        self.engine.dispose()
        self.delivery.identity.close()
