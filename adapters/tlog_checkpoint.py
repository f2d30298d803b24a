"""C2SP tlog checkpoints (https://c2sp.org/tlog-checkpoint): a Merkle tree head as a signed note."""

from __future__ import annotations

import base64
from collections.abc import Iterable
from dataclasses import dataclass

from adapters.signed_note import (
    MalformedNote,
    Note,
    NoteError,
    Signer,
    Verifier,
    open_note,
    sign,
    strict_b64decode,
)

HASH_SIZE = 32


class MalformedCheckpoint(NoteError):
    """The note text is not a checkpoint body."""


@dataclass(frozen=True)
class Checkpoint:
    """A log's origin, tree size and RFC 6962 root hash, with any extension lines."""

    origin: str
    size: int
    root_hash: bytes
    extensions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.origin or "\n" in self.origin:
            raise MalformedCheckpoint("the origin must be one non-empty line")
        if self.size < 0:
            raise MalformedCheckpoint("the tree size cannot be negative")
        if len(self.root_hash) != HASH_SIZE:
            raise MalformedCheckpoint(f"the root hash must be {HASH_SIZE} bytes")
        if any(not line or "\n" in line for line in self.extensions):
            raise MalformedCheckpoint("extension lines must be non-empty single lines")

    def body(self) -> str:
        """Return the note text: origin, size, base64 root, extension lines, each ending '\\n'."""
        lines = [self.origin, str(self.size), base64.b64encode(self.root_hash).decode()]
        return "".join(line + "\n" for line in [*lines, *self.extensions])


def parse_body(text: str) -> Checkpoint:
    """Return the checkpoint a note text states, refusing anything not exactly in the format."""
    if not text.endswith("\n"):
        raise MalformedCheckpoint("a checkpoint body must end with a newline")
    lines = text[:-1].split("\n")
    if len(lines) < 3:
        raise MalformedCheckpoint("a checkpoint has an origin, a size and a root hash line")
    origin, size, root, *extensions = lines
    if not size.isascii() or not size.isdigit() or (size != "0" and size.startswith("0")):
        raise MalformedCheckpoint(
            f"the tree size must be a decimal without leading zeros: {size!r}"
        )
    decoded = strict_b64decode(root)
    if decoded is None or len(decoded) != HASH_SIZE:
        raise MalformedCheckpoint(f"the root hash must be base64 of {HASH_SIZE} bytes: {root!r}")
    if int(size) >= 2**64:
        raise MalformedCheckpoint("the tree size must fit in 64 bits")
    return Checkpoint(origin, int(size), decoded, tuple(extensions))


def sign_checkpoint(checkpoint: Checkpoint, signer: Signer) -> str:
    """Return the checkpoint signed by the log's key, whose name must be the origin."""
    if signer.name != checkpoint.origin:
        raise NoteError(
            f"the log key is named {signer.name!r} but the origin is {checkpoint.origin!r}"
        )
    return sign(checkpoint.body(), [signer])


def open_checkpoint(
    signed: bytes | str, log: Verifier, others: Iterable[Verifier] = ()
) -> tuple[Checkpoint, Note]:
    """Return the checkpoint and its note if the log's key signed it and its origin is the log's."""
    note = open_note(signed, [log, *others])
    if not any((s.name, s.key_hash) == (log.name, log.key_hash) for s in note.signatures):
        raise NoteError(f"the checkpoint is not signed by the log key {log.name}")
    checkpoint = parse_body(note.text)
    if checkpoint.origin != log.name:
        raise MalformedNote(
            f"the checkpoint's origin {checkpoint.origin!r} is not the log's {log.name!r}"
        )
    return checkpoint, note
