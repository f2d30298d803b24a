"""A brute-force Merkle tree, straight from RFC 9162 §2.1's definitions, to check the real one."""

from __future__ import annotations

import hashlib
from functools import lru_cache


class ReferenceTree:
    """MTH, PATH and PROOF over a list of entries, recomputed from the entries every time."""

    def __init__(self, entries: list[bytes]) -> None:
        self.entries = entries
        self.mth = lru_cache(maxsize=None)(self._mth)

    def _mth(self, lo: int, hi: int) -> bytes:
        if hi == lo:
            return hashlib.sha256(b"").digest()
        if hi - lo == 1:
            return hashlib.sha256(b"\x00" + self.entries[lo]).digest()
        k = _split(hi - lo)
        return hashlib.sha256(b"\x01" + self.mth(lo, lo + k) + self.mth(lo + k, hi)).digest()

    def root(self, size: int) -> bytes:
        return self.mth(0, size)

    def path(self, m: int, lo: int, hi: int) -> list[bytes]:
        if hi - lo == 1:
            return []
        k = _split(hi - lo)
        if m < k:
            return self.path(m, lo, lo + k) + [self.mth(lo + k, hi)]
        return self.path(m - k, lo + k, hi) + [self.mth(lo, lo + k)]

    def inclusion(self, index: int, size: int) -> list[bytes]:
        return self.path(index, 0, size)

    def subproof(self, m: int, lo: int, hi: int, whole: bool) -> list[bytes]:
        if m == hi - lo:
            return [] if whole else [self.mth(lo, hi)]
        k = _split(hi - lo)
        if m <= k:
            return self.subproof(m, lo, lo + k, whole) + [self.mth(lo + k, hi)]
        return self.subproof(m - k, lo + k, hi, False) + [self.mth(lo, lo + k)]

    def consistency(self, old: int, new: int) -> list[bytes]:
        return self.subproof(old, 0, new, True)


def root(entries: list[bytes]) -> bytes:
    """Return MTH(entries) as RFC 9162 section 2.1.1 defines it."""
    return ReferenceTree(entries).root(len(entries))


def consistency(entries: list[bytes], m: int) -> list[bytes]:
    """Return PROOF(m, entries) as section 2.1.4.1 defines it (none from 0 or to the same size)."""
    n = len(entries)
    return ReferenceTree(entries).consistency(m, n) if 0 < m < n else []


def entries(n: int, tag: str = "event") -> list[bytes]:
    """Return n distinct entries."""
    return [f"{tag} {i}".encode() for i in range(n)]


def _split(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k
