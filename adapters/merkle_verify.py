"""Check Merkle proofs as an outsider would: RFC 9162 §2.1.3.2 and §2.1.4.2, step by step.

Written from the RFC's verification algorithms, apart from the code that builds the tree
(adapters/merkle.py), so that a mistake in one is not repeated in the other.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence


def hash_leaf(entry: bytes) -> bytes:
    """Return the leaf hash of an entry: SHA-256(0x00 || entry)."""
    return hashlib.sha256(b"\x00" + entry).digest()


def _sha256_sized(*hashes: bytes) -> bool:
    return all(len(h) == hashlib.sha256().digest_size for h in hashes)


def _children(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def verify_inclusion(
    leaf_hash: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> bool:
    """Say whether the proof shows leaf `index` with this hash in the tree of `size` and `root`."""
    if not 0 <= index < size or not _sha256_sized(leaf_hash, root, *proof):
        return False
    fn, sn, r = index, size - 1, leaf_hash
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = _children(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = _children(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root


def verify_consistency(
    first: int, second: int, first_root: bytes, second_root: bytes, proof: Sequence[bytes]
) -> bool:
    """Say whether the proof shows the tree of `first` leaves is a prefix of that of `second`."""
    if not 0 < first <= second:
        return False
    if first == second:  # the proof of a tree against itself is empty
        return not proof and first_root == second_root
    if not proof or not _sha256_sized(first_root, second_root, *proof):
        return False
    path = list(proof)
    if first & (first - 1) == 0:  # an exact power of two: the old root is a node of the new tree
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = _children(c, fr), _children(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = _children(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return fr == first_root and sr == second_root and sn == 0
