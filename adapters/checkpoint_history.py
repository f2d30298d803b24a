"""The log's signed checkpoints as they were served, and the witnesses' cosignatures of them.

A checkpoint is signed when the tree has grown since the last one kept, so each tree size is
signed once (its row's primary key refuses a second). Cosignatures are kept per checkpoint and
witness key: a witness's later cosignature of the same checkpoint replaces its earlier one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    delete,
    insert,
    select,
)
from sqlalchemy.exc import IntegrityError

from adapters import verifiable_log
from adapters.hash_chain import ChainedApplicationRecorder
from adapters.log_keys import LogIdentity
from adapters.merkle_store import big_integer
from adapters.proof_bundle import make_bundle
from adapters.signed_note import Signature
from adapters.tlog_checkpoint import parse_body

metadata = MetaData()
checkpoints = Table(
    "log_checkpoints",
    metadata,
    Column("size", big_integer(), primary_key=True, autoincrement=False),
    Column("root_hash", LargeBinary(32), nullable=False),
    Column("note", Text, nullable=False),
    Column("signed_at", DateTime(timezone=True), nullable=False),
)
cosignatures = Table(
    "log_checkpoint_cosignatures",
    metadata,
    Column("size", big_integer(), primary_key=True, autoincrement=False),
    Column("key_name", String(300), primary_key=True),
    Column("key_hash", big_integer(), primary_key=True, autoincrement=False),
    Column("signature", Text, nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
)


@dataclass(frozen=True)
class KeptCheckpoint:
    size: int
    root_hash: bytes
    note: str
    signed_at: datetime

    @property
    def body(self) -> str:
        """Return the checkpoint body the log's signature (and each cosignature) covers."""
        return self.note[: self.note.index("\n\n") + 1]


class CheckpointHistory:
    """Signs and keeps the log's checkpoints in the log's database; keeps their cosignatures."""

    def __init__(
        self,
        recorder: ChainedApplicationRecorder,
        identity: LogIdentity,
        now: Callable[[], datetime],
    ) -> None:
        engine = recorder.datastore.engine
        assert isinstance(engine, Engine)
        self.recorder, self.identity, self.now, self.engine = recorder, identity, now, engine
        metadata.create_all(engine, checkfirst=True)

    def latest(self) -> KeptCheckpoint:
        """Return the checkpoint of the current tree head, signing and keeping it if it is new."""
        size, root = verifiable_log.tree_head(self.recorder)
        newest = self._newest()
        if newest is not None and newest.size >= size:
            return newest
        note = self.identity.sign(size, root)
        try:
            with self.engine.begin() as connection:
                connection.execute(
                    insert(checkpoints).values(
                        size=size, root_hash=root, note=note, signed_at=self.now()
                    )
                )
        except IntegrityError:  # another request signed this size first: serve theirs
            pass
        found = self.at(size)
        assert found is not None
        return found

    def at(self, size: int) -> KeptCheckpoint | None:
        """Return the checkpoint kept of the tree of `size` entries, if one was."""
        query = select(checkpoints).where(checkpoints.c.size == size)
        with self.engine.connect() as connection:
            row = connection.execute(query).first()
        return KeptCheckpoint(*row) if row else None

    def history(self) -> list[KeptCheckpoint]:
        """Return every checkpoint kept, oldest first."""
        with self.engine.connect() as connection:
            rows = connection.execute(select(checkpoints).order_by(checkpoints.c.size)).all()
        return [KeptCheckpoint(*row) for row in rows]

    def served(self) -> str:
        """Return the latest signed checkpoint with the cosignatures received for it."""
        kept = self.latest()
        return kept.note + "".join(s.line() for s in self.cosignatures(kept.size))

    def bundle(self, index: int) -> tuple[str, int]:
        """Return the proof bundle of entry `index` in the latest served checkpoint, and its size
        (ProofRefused if there is no such entry)."""
        signed = self.served()
        size = size_of(signed[: signed.index("\n\n") + 1])
        entry = verifiable_log.entry(self.recorder, index)
        hashes = verifiable_log.inclusion(self.recorder, index, size)
        return make_bundle(entry, index, size, hashes, signed), size

    def cosignatures(self, size: int) -> list[Signature]:
        """Return the cosignatures kept of the checkpoint of `size` entries, by key name."""
        query = (
            select(cosignatures.c.key_name, cosignatures.c.key_hash, cosignatures.c.signature)
            .where(cosignatures.c.size == size)
            .order_by(cosignatures.c.key_name, cosignatures.c.key_hash)
        )
        with self.engine.connect() as connection:
            return [Signature(*row) for row in connection.execute(query)]

    def keep_cosignatures(self, size: int, signatures: Iterable[Signature]) -> None:
        """Keep verified cosignatures of the checkpoint of `size`, replacing a witness's older."""
        with self.engine.begin() as connection:
            for s in signatures:
                same = (
                    (cosignatures.c.size == size)
                    & (cosignatures.c.key_name == s.name)
                    & (cosignatures.c.key_hash == s.key_hash)
                )
                connection.execute(delete(cosignatures).where(same))
                connection.execute(
                    insert(cosignatures).values(
                        size=size,
                        key_name=s.name,
                        key_hash=s.key_hash,
                        signature=s.base64,
                        received_at=self.now(),
                    )
                )

    def _newest(self) -> KeptCheckpoint | None:
        query = select(checkpoints).order_by(checkpoints.c.size.desc()).limit(1)
        with self.engine.connect() as connection:
            row = connection.execute(query).first()
        return KeptCheckpoint(*row) if row else None


def size_of(body: str) -> int:
    """Return the tree size a checkpoint body states (it must parse as one)."""
    return parse_body(body).size
