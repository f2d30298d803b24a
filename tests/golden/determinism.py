"""Fixed ids and times while the golden log is written, so the same code writes the same bytes."""

from __future__ import annotations

import random
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any
from unittest import mock

import eventsourcing.domain

EPOCH = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # the first event's recorded time
SEED = 20261102


def _modules_using_uuid4() -> list[Any]:
    """Every loaded module of ours or eventsourcing's that imported `uuid4` by name."""
    owners = ("domain", "adapters", "projections", "web", "eventsourcing")
    return [
        module
        for name, module in list(sys.modules.items())
        if name.split(".")[0] in owners and getattr(module, "uuid4", None) is uuid.uuid4
    ]


@contextmanager
def fixed_ids_and_times() -> Iterator[None]:
    """Inside the block, new uuid4s come from a seeded generator and every event's timestamp is
    one second after the previous one, from EPOCH."""
    ids = random.Random(SEED)
    ticks = iter(range(10**9))

    def next_uuid() -> uuid.UUID:
        return uuid.UUID(int=ids.getrandbits(128), version=4)

    def next_time() -> datetime:
        return EPOCH + timedelta(seconds=next(ticks))

    with mock.patch.object(eventsourcing.domain, "datetime_now_with_tzinfo", next_time):
        patches = [mock.patch.object(m, "uuid4", next_uuid) for m in _modules_using_uuid4()]
        for patch in patches:
            patch.start()
        try:
            yield
        finally:
            for patch in patches:
                patch.stop()
