"""RFC 9162 consistency proof verification, independent of the log's own tree code."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence


def node_hash(left: bytes, right: bytes) -> bytes:
    """Return the RFC 9162 interior node hash: SHA-256(0x01 || left || right)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """Say whether `proof` shows the tree of `new_size` extends the one of `old_size` (2.1.4.2)."""
    if not 0 <= old_size <= new_size or any(len(h) != 32 for h in [*proof, old_root, new_root]):
        return False
    if old_size == new_size:
        return not proof and old_root == new_root
    if old_size == 0 or not proof:  # no proof from the empty tree: callers accept any growth of it
        return False
    path = list(proof)
    if old_size & (old_size - 1) == 0:  # a power of two: the old root is a node of the new tree
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return fr == old_root and sr == new_root and sn == 0
