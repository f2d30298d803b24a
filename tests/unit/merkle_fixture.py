"""A brute-force RFC 6962 tree for tests: roots and consistency proofs by the definitions."""

from __future__ import annotations

import hashlib

from adapters.witness_proofs import node_hash


def leaf_hash(entry: bytes) -> bytes:
    """Return SHA-256(0x00 || entry)."""
    return hashlib.sha256(b"\x00" + entry).digest()


def _split(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def root(leaves: list[bytes]) -> bytes:
    """Return MTH(leaves) as RFC 6962 section 2.1 defines it."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaf_hash(leaves[0])
    k = _split(len(leaves))
    return node_hash(root(leaves[:k]), root(leaves[k:]))


def consistency(leaves: list[bytes], m: int) -> list[bytes]:
    """Return PROOF(m, leaves) as RFC 6962 section 2.1.2 defines it."""
    return _subproof(m, leaves, True) if 0 < m < len(leaves) else []


def _subproof(m: int, leaves: list[bytes], whole: bool) -> list[bytes]:
    n = len(leaves)
    if m == n:
        return [] if whole else [root(leaves)]
    k = _split(n)
    if m <= k:
        return [*_subproof(m, leaves[:k], whole), root(leaves[k:])]
    return [*_subproof(m - k, leaves[k:], False), root(leaves[:k])]


def entries(n: int, tag: str = "event") -> list[bytes]:
    """Return n distinct entries."""
    return [f"{tag} {i}".encode() for i in range(n)]
