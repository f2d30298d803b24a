"""Read the log in batches for the projections, the next batch read while one is applied."""

from __future__ import annotations

from collections.abc import Generator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from eventsourcing.persistence import Notification

from domain.services import Ledger
from projections.base import Undecodable

Batch = tuple[int, int, list[tuple[int, Any]]]  # last notification id, how many, events
FIRST_PART = 4  # the first read of a long catch-up, before any can be applied: limit / this


def _read(ledger: Ledger, after: int, limit: int, head: int, topics: set[str]) -> Batch | None:
    found = read_notifications(ledger.recorder, after, limit, head, topics)
    if found is None:
        return None
    last, count, wanted = found
    try:
        events = [(n.id, ledger.mapper.to_domain_event(n)) for n in wanted]
    except Exception:  # noqa: BLE001 (rare: find which, one at a time)
        events = [(n.id, _decoded(ledger, n)) for n in wanted]
    return last, count, events


def _decoded(ledger: Ledger, notification: Notification) -> Any:
    """Return the notification's event, or what the read models that handle it halt on."""
    try:
        return ledger.mapper.to_domain_event(notification)
    except Exception as error:  # noqa: BLE001
        return Undecodable(notification.topic, error)


def batches(
    ledger: Ledger, start: int, head: int, limit: int, topics: set[str]
) -> Generator[Batch, None, None]:
    """Yield the log's batches after `start`; while one is applied, read the next in a thread.

    Reading and decoding overlap the projections' database work (the GIL is free while a
    driver waits), which a rebuild on two cores notices. The first batch is a quarter of
    `limit`, so that little is read before anything is applied (every batch costs the read
    models some work of their own: not smaller). A single batch is read in line.
    """
    if head - start <= limit:
        found = _read(ledger, start, limit, head, topics) if start < head else None
        yield from [found] if found else []
        return
    size = max(limit // FIRST_PART, 1)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ledger-log-reader") as reader:
        pending: Future[Batch | None] | None = reader.submit(
            _read, ledger, start, size, head, topics
        )
        while pending is not None:
            found = pending.result()
            if found is None:
                return
            size = limit
            pending = (
                reader.submit(_read, ledger, found[0], size, head, topics)
                if found[0] < head
                else None
            )
            yield found


def read_notifications(
    recorder: Any, after: int, limit: int, stop: int, topics: set[str]
) -> tuple[int, int, list[Notification]] | None:
    """Read the notifications after `after` up to `stop`, as `select_notifications` does;
    return the last one's id, how many were read, and those of these topics (None: none read).

    The rows come straight from the driver, only the wanted ones' values converted as their
    column types would (the UUID): SQLAlchemy's row handling cost two thirds of the read.
    """
    table = recorder.events_record_cls.__table__
    with recorder.transaction(commit=False) as session:
        conn = session.connection()
        rows = conn.exec_driver_sql(_statement(table, conn.dialect), (after, stop, limit)).all()
        if not rows:
            return None
        uuid = table.c.originator_id.type._cached_result_processor(conn.dialect, None)
        state = table.c.state.type._cached_result_processor(conn.dialect, None)
    return (
        rows[-1][0],
        len(rows),
        [
            Notification(
                id=row[0],
                originator_id=uuid(row[1]) if uuid else row[1],
                originator_version=row[2],
                topic=row[3],
                state=_bytes(state(row[4]) if state else row[4]),
            )
            for row in rows
            if row[3] in topics
        ],
    )


def _statement(table: Any, dialect: Any) -> str:
    mark, quote = "?" if dialect.paramstyle == "qmark" else "%s", dialect.identifier_preparer.quote
    names = [quote(c) for c in ("id", "originator_id", "originator_version", "topic", "state")]
    return (
        f"SELECT {', '.join(names)} FROM {dialect.identifier_preparer.format_table(table)} "
        f"WHERE {names[0]} > {mark} AND {names[0]} <= {mark} ORDER BY {names[0]} LIMIT {mark}"
    )


def _bytes(state: Any) -> bytes:
    return bytes(state) if isinstance(state, memoryview) else state  # type: ignore[no-any-return]
