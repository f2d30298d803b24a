"""Read the log in batches for the projections, the next batch read while one is applied."""

from __future__ import annotations

from collections.abc import Generator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from domain.services import Ledger
from projections.base import Undecodable
from projections.decoding import Decoder

Batch = tuple[int, int, list[tuple[int, Any]]]  # last notification id, how many, events
FIRST_PART = 4  # the first read of a long catch-up, before any can be applied: limit / this


def _read(
    ledger: Ledger, decoder: Decoder, after: int, limit: int, head: int, topics: set[str]
) -> Batch | None:
    found = read_rows(ledger.recorder, after, limit, head, topics)
    if found is None:
        return None
    last, count, wanted = found
    event = decoder.event
    try:
        events = [(row[0], event(row[3], row[1], row[2], row[4])) for row in wanted]
    except Exception:  # noqa: BLE001 (rare: find which, one at a time)
        events = [(row[0], decoded(decoder, row[3], row[1], row[2], row[4])) for row in wanted]
    return last, count, events


def decoded(decoder: Decoder, topic: str, raw_id: Any, version: int, state: bytes) -> Any:
    """Return a stored event's event, or what the read models that handle it halt on."""
    try:
        return decoder.event(topic, raw_id, version, state)
    except Exception as error:  # noqa: BLE001
        return Undecodable(topic, error)


def batches(
    ledger: Ledger, start: int, head: int, limit: int, topics: set[str]
) -> Generator[Batch, None, None]:
    """Yield the log's batches after `start`; while one is applied, read the next in a thread.

    Reading and decoding overlap the projections' database work (the GIL is free while a
    driver waits), which a rebuild on two cores notices. The first batch is a quarter of
    `limit`, so that little is read before anything is applied (every batch costs the read
    models some work of their own: not smaller). A single batch is read in line.
    """
    decoder = decoder_of(ledger)
    if head - start <= limit:
        found = _read(ledger, decoder, start, limit, head, topics) if start < head else None
        yield from [found] if found else []
        return
    size = max(limit // FIRST_PART, 1)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ledger-log-reader") as reader:
        pending: Future[Batch | None] | None = reader.submit(
            _read, ledger, decoder, start, size, head, topics
        )
        while pending is not None:
            found = pending.result()
            if found is None:
                return
            size = limit
            pending = (
                reader.submit(_read, ledger, decoder, found[0], size, head, topics)
                if found[0] < head
                else None
            )
            yield found


def read_rows(
    recorder: Any, after: int, limit: int, stop: int, topics: set[str]
) -> tuple[int, int, list[Any]] | None:
    """Read the log's rows after `after` up to `stop`, as `select_notifications` does;
    return the last one's id, how many were read, and those of these topics, as the driver
    gives them (id, originator id, version, topic, state; None: none read).

    The rows come straight from the driver (SQLAlchemy's row handling cost two thirds of
    the read); `Decoder` converts the ids as their column type would. Each query asks for
    the ids of one batch's span at most (past a gap, the next span): asked for everything up
    to `stop`, PostgreSQL, its statistics older than a bulk load, sorted all of it on disk
    for every batch (4 s of its CPU per read of 250,000 events, seven times the reading).
    """
    table = recorder.events_record_cls.__table__
    with recorder.transaction(commit=False) as session:
        conn = session.connection()
        statement, rows = _statement(table, conn.dialect), []
        while not rows and after < stop:
            span = (after, min(after + limit, stop), limit)
            rows, after = conn.exec_driver_sql(statement, span).all(), span[1]
        if not rows:
            return None
        state = table.c.state.type._cached_result_processor(conn.dialect, None)
    wanted = [row for row in rows if row[3] in topics]
    if state is not None:
        wanted = [(*row[:4], state(row[4])) for row in wanted]
    return rows[-1][0], len(rows), wanted


def decoder_of(ledger: Ledger) -> Decoder:
    """Return a decoder of this ledger's rows, converting their ids as SQLAlchemy would."""
    recorder: Any = ledger.recorder
    column = recorder.events_record_cls.__table__.c.originator_id
    dialect = recorder.datastore.engine.dialect
    return Decoder(ledger.mapper, column.type._cached_result_processor(dialect, None))


def _statement(table: Any, dialect: Any) -> str:
    mark, quote = "?" if dialect.paramstyle == "qmark" else "%s", dialect.identifier_preparer.quote
    names = [quote(c) for c in ("id", "originator_id", "originator_version", "topic", "state")]
    return (
        f"SELECT {', '.join(names)} FROM {dialect.identifier_preparer.format_table(table)} "
        f"WHERE {names[0]} > {mark} AND {names[0]} <= {mark} ORDER BY {names[0]} LIMIT {mark}"
    )
