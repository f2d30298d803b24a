"""A settable clock for generated history: domain dates and event timestamps follow it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta

from domain.events import LedgerAggregate


class FakeClock:
    """The day the story has reached; each event is stamped a microsecond after the last."""

    def __init__(self) -> None:
        self.day = date(2014, 1, 1)
        self._last = datetime.combine(self.day, time(9), UTC)

    def at(self, day: date) -> None:
        """Move the story to this day (events keep their order within it)."""
        self.day = day

    def timestamp(self) -> datetime:
        """Return the next timestamp on the current day."""
        start = datetime.combine(self.day, time(9), UTC)
        self._last = max(start, self._last + timedelta(microseconds=1))
        return self._last

    def rewind(self) -> None:
        """Forget the last timestamp, so the next story may start on an earlier day."""
        self._last = datetime.combine(date(1900, 1, 1), time(9), UTC)


CLOCK = FakeClock()


@contextmanager
def stamped_by_fake_clock() -> Iterator[FakeClock]:
    """Stamp every event created inside the block with the fake clock's time."""
    original = LedgerAggregate.Event.__dict__.get("create_timestamp")
    LedgerAggregate.Event.create_timestamp = staticmethod(CLOCK.timestamp)  # type: ignore[method-assign]
    try:
        yield CLOCK
    finally:
        if original is None:
            del LedgerAggregate.Event.create_timestamp
        else:
            LedgerAggregate.Event.create_timestamp = original  # type: ignore[method-assign]
