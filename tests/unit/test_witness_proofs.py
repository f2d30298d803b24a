"""The witness's own RFC 9162 consistency check agrees with the definitions, and refuses forgeries."""

from __future__ import annotations

import pytest

from adapters.witness_proofs import verify_consistency
from tests.unit.merkle_fixture import consistency, entries, root

LEAVES = entries(17)


@pytest.mark.parametrize("new", range(1, 18))
def test_every_true_consistency_proof_up_to_seventeen_leaves_verifies(new: int) -> None:
    for old in range(0, new + 1):
        proof = consistency(LEAVES[:new], old)
        assert verify_consistency(old, new, root(LEAVES[:old]), root(LEAVES[:new]), proof), (
            old,
            new,
        )


@pytest.mark.parametrize("new", range(2, 18))
def test_a_changed_hash_in_any_proof_fails(new: int) -> None:
    for old in range(1, new):
        proof = consistency(LEAVES[:new], old)
        for i in range(len(proof)):
            forged = [*proof]
            forged[i] = bytes([forged[i][0] ^ 1]) + forged[i][1:]
            assert not verify_consistency(old, new, root(LEAVES[:old]), root(LEAVES[:new]), forged)


def test_a_rewritten_history_is_not_consistent() -> None:
    other = [*LEAVES[:3], b"rewritten", *LEAVES[4:10]]
    proof = consistency(other, 5)
    assert not verify_consistency(5, 10, root(LEAVES[:5]), root(other), proof)


def test_proofs_for_the_wrong_sizes_or_with_hashes_missing_or_added_fail() -> None:
    old_root, new_root = root(LEAVES[:6]), root(LEAVES[:13])
    proof = consistency(LEAVES[:13], 6)
    assert verify_consistency(6, 13, old_root, new_root, proof)
    assert not verify_consistency(6, 13, old_root, new_root, proof[:-1])
    assert not verify_consistency(6, 13, old_root, new_root, [*proof, proof[0]])
    assert not verify_consistency(6, 13, old_root, new_root, [])
    assert not verify_consistency(13, 6, new_root, old_root, proof)
    assert not verify_consistency(6, 13, old_root, new_root, [b"short", *proof[1:]])


def test_equal_sizes_need_equal_roots_and_no_proof() -> None:
    assert verify_consistency(4, 4, root(LEAVES[:4]), root(LEAVES[:4]), [])
    assert not verify_consistency(4, 4, root(LEAVES[:4]), root(LEAVES[1:5]), [])
