"""Export the log with its hashes as JSON Lines; replay such an export into an empty ledger."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from itertools import groupby
from typing import Any, TextIO
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from sqlalchemy import select

from adapters.chain_entry import event_hash
from adapters.chain_tip import GENESIS
from adapters.hash_chain import ChainedApplicationRecorder

BATCH = 2000
# The events that name the council an aggregate belongs to, and the field that holds it.
COUNCIL_FIELDS = {
    "domain.inspection:Inspection.Scheduled": "council",
    "domain.challenge:Challenge.Lodged": "council",
    "domain.action_plan:ActionPlan.Opened": "council",
    "domain.council:Council.Registered": "code",
}


def _recorded_on(state: bytes) -> date:
    stamp = json.loads(state)["timestamp"]["_data_"]
    return datetime.fromisoformat(stamp).date()


def _chained_events(recorder: ChainedApplicationRecorder) -> Iterator[Any]:
    """Yield each chain row joined with its event's topic and state, in chain order."""
    events, chain = recorder.events_record_cls.__table__, recorder.chain  # type: ignore[attr-defined]
    engine = recorder.datastore.engine
    assert engine is not None
    with engine.connect() as conn:
        start = 0
        while True:
            rows = conn.execute(
                select(chain, events.c.topic, events.c.state)
                .join(events, events.c.id == chain.c.notification_id)
                .where(chain.c.seq > start)
                .order_by(chain.c.seq)
                .limit(BATCH)
            ).all()
            if not rows:
                return
            yield from rows
            start = rows[-1].seq


def export(
    recorder: ChainedApplicationRecorder,
    out: TextIO,
    council: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> int:
    """Write every event (of one council, within recording dates) in chain order; return count."""
    owner: dict[str, str] = {}
    written = 0
    for link in _chained_events(recorder):
        event = link
        if event.topic in COUNCIL_FIELDS:
            owner[link.originator_id] = json.loads(event.state)[COUNCIL_FIELDS[event.topic]]
        recorded_on = _recorded_on(event.state)
        if council and owner.get(link.originator_id) != council:
            continue
        if (date_from and recorded_on < date_from) or (date_to and recorded_on > date_to):
            continue
        out.write(
            json.dumps(
                {
                    "seq": link.seq,
                    "position": link.notification_id,
                    "originator_id": link.originator_id,
                    "originator_version": link.originator_version,
                    "topic": event.topic,
                    "state": event.state.decode(),
                    "correlation_id": link.correlation_id,
                    "causation_id": link.causation_id,
                    "aggregate_prev_hash": link.aggregate_prev_hash,
                    "prev_hash": link.prev_hash,
                    "event_hash": link.event_hash,
                    "council": owner.get(link.originator_id, ""),
                    "recorded_on": recorded_on.isoformat(),
                },
                ensure_ascii=False,
            )
            + "\n"
        )
        written += 1
    return written


def read_export(lines: Iterable[str]) -> list[dict[str, Any]]:
    """Parse an export and check each line's hash and links; raise ValueError naming a bad line."""
    records = [json.loads(line) for line in lines if line.strip()]
    previous: dict[str, Any] | None = None
    for number, r in enumerate(records, start=1):
        digest = event_hash(
            r["seq"],
            r["originator_id"],
            r["originator_version"],
            r["topic"],
            r["state"].encode(),
            r["correlation_id"],
            r["causation_id"],
            r["aggregate_prev_hash"],
            r["prev_hash"],
        )
        if digest != r["event_hash"]:
            raise ValueError(f"line {number}: the event does not match its recorded hash")
        if (
            previous
            and r["seq"] == previous["seq"] + 1
            and r["prev_hash"] != previous["event_hash"]
        ):
            raise ValueError(f"line {number}: does not follow the line before it in the chain")
        previous = r
    return records


def is_complete(records: list[dict[str, Any]]) -> bool:
    """Say whether an export holds the whole chain from its first event."""
    return (
        bool(records)
        and records[0]["prev_hash"] == GENESIS
        and all(r["seq"] == n for n, r in enumerate(records, start=1))
    )


def replay(records: list[dict[str, Any]], recorder: ChainedApplicationRecorder) -> str:
    """Store a complete export's events, in order, in an empty ledger; return the new head hash."""
    if not is_complete(records):
        raise ValueError(
            "replay needs a complete export (this one is filtered or starts mid-chain)"
        )
    if recorder.max_notification_id():
        raise ValueError("replay needs an empty ledger; this database already holds events")
    for correlation, group in groupby(records, key=lambda r: r["correlation_id"]):
        batch = list(group)
        stored = [
            StoredEvent(
                UUID(r["originator_id"]), r["originator_version"], r["topic"], r["state"].encode()
            )
            for r in batch
        ]
        causation = {
            (r["originator_id"], r["originator_version"]): r["causation_id"]
            for r in batch
            if r["causation_id"]
        }
        recorder.insert_events(stored, correlation_id=correlation, causation=causation)
    engine = recorder.datastore.engine
    assert engine is not None
    with engine.connect() as conn:
        head = conn.execute(
            select(recorder.chain.c.event_hash).order_by(recorder.chain.c.seq.desc()).limit(1)
        ).scalar()
    return str(head or GENESIS)
