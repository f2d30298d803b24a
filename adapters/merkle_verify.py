"""Check Merkle proofs as an outsider would: RFC 9162 §2.1.3.2 and §2.1.4.2, step by step.

Written from the RFC's verification algorithms, apart from the code that builds the tree
(adapters/merkle.py), so that a mistake in one is not repeated in the other. Consistency is
checked by the witnesses' own verifier (adapters/witness_proofs.py), the same algorithm.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from adapters.witness_proofs import node_hash, verify_consistency

__all__ = ["hash_leaf", "verify_consistency", "verify_inclusion"]


def hash_leaf(entry: bytes) -> bytes:
    """Return the leaf hash of an entry: SHA-256(0x00 || entry)."""
    return hashlib.sha256(b"\x00" + entry).digest()


def _sha256_sized(*hashes: bytes) -> bool:
    return all(len(h) == hashlib.sha256().digest_size for h in hashes)


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
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root
