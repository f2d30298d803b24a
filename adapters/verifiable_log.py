"""The ledger's log as RFC 9162 sees it: the tree head, proofs and entries, read from a recorder."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy.engine import Connection, Engine

from adapters import merkle_store
from adapters.hash_chain import ChainedApplicationRecorder
from adapters.merkle_store import ProofRefused

T = TypeVar("T")


@contextmanager
def _connection(recorder: ChainedApplicationRecorder) -> Iterator[Connection]:
    engine = recorder.datastore.engine
    assert isinstance(engine, Engine)
    with engine.connect() as connection:
        yield connection


def _read(recorder: ChainedApplicationRecorder, query: Callable[[Connection], T]) -> T:
    with _connection(recorder) as connection:
        return query(connection)


def tree_head(recorder: ChainedApplicationRecorder) -> tuple[int, bytes]:
    """Return the current tree's size and root hash."""
    return _read(recorder, lambda c: merkle_store.tree_head(c, recorder.merkle))


def inclusion(recorder: ChainedApplicationRecorder, index: int, size: int) -> list[bytes]:
    """Return the inclusion proof of entry `index` in the tree of `size` entries."""
    return _read(recorder, lambda c: merkle_store.inclusion(c, recorder.merkle, index, size))


def consistency(recorder: ChainedApplicationRecorder, old: int, new: int) -> list[bytes]:
    """Return the proof that the tree of `old` entries is a prefix of the tree of `new`."""
    return _read(recorder, lambda c: merkle_store.consistency(c, recorder.merkle, old, new))


def entry(recorder: ChainedApplicationRecorder, index: int) -> bytes:
    """Return the bytes of entry `index` (the event at chain position index + 1)."""
    if index < 0:
        raise ProofRefused("index", "an entry's index is 0 or more")
    with _connection(recorder) as connection:
        size = merkle_store.stored_size(connection, recorder.merkle)
        found = recorder.entries(connection, index + 1, index + 1) if index < size else []
    if not found:
        raise ProofRefused("index", f"the log holds {size} entries, numbered from 0")
    return found[0]


def backfill(recorder: ChainedApplicationRecorder) -> int:
    """Build the tree of every chained event it lacks (idempotent); return the tree's size."""
    return recorder.fill_tree_locked()
