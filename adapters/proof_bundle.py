"""A proof bundle: one entry, its inclusion proof and the signed checkpoint, checked offline.

Checking needs only the log's verifier key and this file: the checkpoint's signature, the
entry's leaf hash recomputed from its bytes, and the inclusion proof by the independent verifier
(adapters/merkle_verify.py). Nothing is read from the ledger's database.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from adapters.chain_entry import SEPARATOR
from adapters.merkle_verify import hash_leaf, verify_inclusion
from adapters.signed_note import NoteError, Verifier, strict_b64decode
from adapters.tlog_checkpoint import Checkpoint, open_checkpoint

FORMAT = "inspection-ledger-proof/v1"


class BundleRefused(ValueError):
    """The bundle is malformed or proves nothing: the message says what failed."""


def make_bundle(entry: bytes, index: int, size: int, hashes: Iterable[bytes], signed: str) -> str:
    """Return the JSON bundle proving entry `index` is in the signed checkpoint of `size`."""
    bundle = {
        "format": FORMAT,
        "entry": base64.b64encode(entry).decode(),
        "index": index,
        "size": size,
        "hashes": [base64.b64encode(h).decode() for h in hashes],
        "checkpoint": signed,
    }
    return json.dumps(bundle, indent=2) + "\n"


@dataclass(frozen=True)
class Proved:
    """What a bundle proved: the entry, where it is, and the checkpoint that holds it."""

    entry: bytes
    index: int
    checkpoint: Checkpoint
    cosigners: tuple[str, ...]

    def describe(self) -> str:
        parts = self.entry.split(SEPARATOR, 4)
        event = (
            f" (event {parts[2].decode()} of {parts[1].decode()}, {parts[3].decode()})"
            if len(parts) == 5
            else ""
        )
        root = base64.b64encode(self.checkpoint.root_hash).decode()
        cosigned = f"; cosigned by {', '.join(self.cosigners)}" if self.cosigners else ""
        return (
            f"Proved: entry {self.index}{event}, leaf hash {hash_leaf(self.entry).hex()}, is in "
            f"the log {self.checkpoint.origin} of {self.checkpoint.size} entries with root {root}, "
            f"as signed by its key{cosigned}"
        )


def _field(bundle: dict[str, Any], name: str, kind: type) -> Any:
    value = bundle.get(name)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise BundleRefused(f"the bundle's {name!r} is missing or not a {kind.__name__}")
    return value


def _decoded(text: Any, what: str) -> bytes:
    raw = strict_b64decode(text) if isinstance(text, str) else None
    if raw is None:
        raise BundleRefused(f"the bundle's {what} is not base64")
    return raw


def check_bundle(text: str, log: Verifier, witnesses: Iterable[Verifier] = ()) -> Proved:
    """Return what the bundle proves, or raise BundleRefused saying what does not hold."""
    try:
        bundle = json.loads(text)
    except ValueError:
        raise BundleRefused("the bundle is not JSON") from None
    if not isinstance(bundle, dict) or bundle.get("format") != FORMAT:
        raise BundleRefused(f"the bundle is not a {FORMAT} proof")
    index, size = _field(bundle, "index", int), _field(bundle, "size", int)
    entry = _decoded(bundle.get("entry"), "entry")
    hashes = [_decoded(h, "proof hash") for h in _field(bundle, "hashes", list)]
    try:
        checkpoint, note = open_checkpoint(_field(bundle, "checkpoint", str), log, witnesses)
    except NoteError as error:
        raise BundleRefused(f"the checkpoint does not check with the key: {error}") from None
    if checkpoint.size != size:
        raise BundleRefused(f"the proof is for {size} entries, the checkpoint {checkpoint.size}")
    if not verify_inclusion(hash_leaf(entry), index, size, hashes, checkpoint.root_hash):
        raise BundleRefused(
            f"the inclusion proof of entry {index} does not lead to the checkpoint's root: "
            "the entry or the proof was altered"
        )
    cosigners = tuple(s.name for s in note.signatures if s.name != log.name)
    return Proved(entry, index, checkpoint, cosigners)
