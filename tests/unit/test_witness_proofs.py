"""The witness's own RFC 9162 consistency check agrees with the definitions, and refuses forgeries."""

from __future__ import annotations

import pytest

from adapters.witness_proofs import verify_consistency
from tests.merkle_reference import consistency, entries, root

LEAVES = entries(17)


@pytest.mark.parametrize("new", range(1, 18))
def test_every_true_consistency_proof_up_to_seventeen_leaves_verifies(new: int) -> None:
    for old in range(1, new + 1):
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


def test_there_is_no_proof_from_the_empty_tree_and_roots_must_be_hashes() -> None:
    assert not verify_consistency(0, 3, root([]), root(LEAVES[:3]), [])
    assert not verify_consistency(2, 2, b"x", b"x", [])


# RFC 6962 roots of the first n of these leaves, from transparency-dev/merkle's testonly vectors.
VECTOR_LEAVES = [
    bytes.fromhex(h)
    for h in [
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    ]
]
VECTOR_ROOTS = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]


def test_the_test_tree_gives_the_published_rfc_6962_roots() -> None:
    assert [root(VECTOR_LEAVES[:n]).hex() for n in range(9)] == VECTOR_ROOTS


def test_proofs_between_the_published_roots_verify() -> None:
    for new in range(2, 9):
        for old in range(1, new):
            proof = consistency(VECTOR_LEAVES[:new], old)
            old_root, new_root = bytes.fromhex(VECTOR_ROOTS[old]), bytes.fromhex(VECTOR_ROOTS[new])
            assert verify_consistency(old, new, old_root, new_root, proof)
