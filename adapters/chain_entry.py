"""The bytes that stand for an event in its place in the hash chain, and an append's chain rows.

An entry is the event's chain position, aggregate and version, topic, the command it came from
(correlation), the event that caused it (causation), the previous hash of its own aggregate and
the previous hash of the whole log, then its stored state. Its SHA-256 is its chain hash; its
leaf hash (RFC 9162) is its leaf in the Merkle tree.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

from eventsourcing.persistence import StoredEvent

from adapters.chain_tip import Tip
from adapters.merkle import leaf_hash

SEPARATOR = b"\x1f"


def chain_entry(
    seq: int,
    originator_id: str,
    version: int,
    topic: str,
    state: bytes,
    correlation_id: str,
    causation_id: str,
    aggregate_prev_hash: str,
    prev_hash: str,
) -> bytes:
    """Return the bytes that stand for one event in its place: its chain hash and tree leaf."""
    parts = (
        str(seq),
        originator_id,
        str(version),
        topic,
        correlation_id,
        causation_id,
        aggregate_prev_hash,
        prev_hash,
    )
    return SEPARATOR.join(p.encode() for p in parts) + SEPARATOR + state


def event_hash(*fields: Any) -> str:
    """Return the hash that binds one event to its place in the chain (chain_entry's fields)."""
    return hashlib.sha256(chain_entry(*fields)).hexdigest()


def uuid_text(value: Any) -> str:
    """Return an originator id as the chain writes it."""
    return str(value)


def chained_rows(
    tip: Tip,
    events: Sequence[StoredEvent],
    ids: Sequence[int],
    correlation_id: str,
    causation: Mapping[tuple[str, int], str],
    links: Mapping[str, str],
) -> tuple[list[dict[str, Any]], list[bytes]]:
    """Return the chain rows and tree leaves of events appended at this tip, their aggregates'
    earlier events ending at the hashes in `links`."""
    seq, prev, last_of = tip.size, tip.head, dict(links)
    rows: list[dict[str, Any]] = []
    leaves: list[bytes] = []
    for event, notification_id in zip(events, ids, strict=True):
        originator, version = uuid_text(event.originator_id), event.originator_version
        seq += 1
        cause = causation.get((originator, version), "")
        link = last_of[originator]
        entry = chain_entry(
            seq, originator, version, event.topic, event.state, correlation_id, cause, link, prev
        )
        digest = hashlib.sha256(entry).hexdigest()
        leaves.append(leaf_hash(entry))
        rows.append(
            {
                "seq": seq,
                "notification_id": notification_id,
                "originator_id": originator,
                "originator_version": version,
                "correlation_id": correlation_id,
                "causation_id": cause,
                "aggregate_prev_hash": link,
                "prev_hash": prev,
                "event_hash": digest,
            }
        )
        last_of[originator], prev = digest, digest
    return rows, leaves
