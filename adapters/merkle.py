"""The log's Merkle tree (RFC 9162 §2.1): roots and proofs from stored complete subtrees.

A stored node is a complete subtree, named (level, idx): it covers leaves idx * 2**level up to
(idx + 1) * 2**level - 1. Every range a root or proof asks for splits into at most two such
nodes per level, so a proof reads O(log n) nodes. Each computation runs twice: once to learn
which nodes it needs (all read in one query), then with them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

Node = tuple[int, int]  # (level, idx)
NodeReader = Callable[[Sequence[Node]], Mapping[Node, bytes]]
Lookup = Callable[[Node], bytes]
Made = tuple[int, int, bytes]  # (level, idx, hash) of a node that an append completes
EMPTY_ROOT = hashlib.sha256(b"").digest()  # MTH({}) in RFC 9162
PLACEHOLDER = bytes(32)
T = TypeVar("T")


class MissingNode(LookupError):
    """A node the tree should hold is not stored (the tree is behind or was tampered with)."""


def leaf_hash(entry: bytes) -> bytes:
    """Return MTH({d}) = SHA-256(0x00 || d)."""
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """Return SHA-256(0x01 || left || right)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(size: int) -> int:
    """Return the largest power of two smaller than size (size > 1)."""
    return 1 << ((size - 1).bit_length() - 1)


def _range_hash(lo: int, hi: int, get: Lookup) -> bytes:
    size = hi - lo
    if size & (size - 1) == 0 and lo % size == 0:
        return get((size.bit_length() - 1, lo // size))
    k = _split(size)
    return node_hash(_range_hash(lo, lo + k, get), _range_hash(lo + k, hi, get))


def _path(m: int, lo: int, hi: int, get: Lookup) -> list[bytes]:
    """PATH(m, D[lo:hi]) of RFC 9162 §2.1.3.1."""
    if hi - lo == 1:
        return []
    k = _split(hi - lo)
    if m < k:
        return [*_path(m, lo, lo + k, get), _range_hash(lo + k, hi, get)]
    return [*_path(m - k, lo + k, hi, get), _range_hash(lo, lo + k, get)]


def _subproof(m: int, lo: int, hi: int, whole: bool, get: Lookup) -> list[bytes]:
    """SUBPROOF(m, D[lo:hi], b) of RFC 9162 §2.1.4.1."""
    if m == hi - lo:
        return [] if whole else [_range_hash(lo, hi, get)]
    k = _split(hi - lo)
    if m <= k:
        return [*_subproof(m, lo, lo + k, whole, get), _range_hash(lo + k, hi, get)]
    return [*_subproof(m - k, lo + k, hi, False, get), _range_hash(lo, lo + k, get)]


def _gathered(compute: Callable[[Lookup], T], read: NodeReader) -> T:
    wanted: list[Node] = []

    def note(key: Node) -> bytes:
        wanted.append(key)
        return PLACEHOLDER

    compute(note)
    found = read(wanted) if wanted else {}

    def get(key: Node) -> bytes:
        try:
            return found[key]
        except KeyError:
            raise MissingNode(f"the tree holds no node at level {key[0]}, index {key[1]}") from None

    return compute(get)


def root(size: int, read: NodeReader) -> bytes:
    """Return the root hash of the tree of the first `size` leaves."""
    if size == 0:
        return EMPTY_ROOT
    return _gathered(lambda get: _range_hash(0, size, get), read)


def inclusion_proof(index: int, size: int, read: NodeReader) -> list[bytes]:
    """Return the audit path of leaf `index` in the tree of `size` leaves (0 <= index < size)."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of {size}")
    return _gathered(lambda get: _path(index, 0, size, get), read)


def consistency_proof(old: int, new: int, read: NodeReader) -> list[bytes]:
    """Return the proof that the tree of `old` leaves is a prefix of that of `new` leaves."""
    if not 0 < old <= new:
        raise ValueError(f"no consistency proof from {old} to {new}")
    return _gathered(lambda get: _subproof(old, 0, new, True, get), read)


def frontier(size: int) -> list[Node]:
    """Return the nodes a new leaf may join with: one complete subtree per set bit of size."""
    return [(level, (size >> level) - 1) for level in range(size.bit_length()) if size >> level & 1]


def appended(size: int, known: Mapping[Node, bytes], leaves: Sequence[bytes]) -> list[Made]:
    """Return the nodes that adding these leaf hashes to a tree of `size` leaves completes.

    `known` holds at least the frontier of `size`.
    """
    pending = {level: known[(level, idx)] for level, idx in frontier(size)}
    made = []
    for index, value in enumerate(leaves, start=size):
        level, idx = 0, index
        made.append((0, idx, value))
        while idx & 1:  # a right child: its parent is complete now
            value = node_hash(pending.pop(level), value)
            level, idx = level + 1, idx >> 1
            made.append((level, idx, value))
        pending[level] = value
    return made
