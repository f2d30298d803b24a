"""The Merkle tree: RFC 6962/9162 test vectors, and every answer against a brute-force tree."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from adapters import merkle
from adapters.merkle_verify import hash_leaf, verify_consistency, verify_inclusion
from tests.merkle_reference import ReferenceTree

VECTORS = json.loads((Path(__file__).parent / "merkle_vectors.json").read_text())
LEAVES = [bytes.fromhex(h) for h in VECTORS["leaves_hex"]]
ENTRIES = [f"entry {i}".encode() * (i % 5 + 1) for i in range(300)]


def b64(value: str) -> bytes:
    return base64.b64decode(value)


class MemoryTree:
    """The tree's nodes in a dict, grown a few leaves at a time as the store grows them."""

    def __init__(self, entries: list[bytes], step: int = 3) -> None:
        self.nodes: dict[merkle.Node, bytes] = {}
        for start in range(0, len(entries), step):
            known = {k: self.nodes[k] for k in merkle.frontier(start)}
            batch = [merkle.leaf_hash(e) for e in entries[start : start + step]]
            for level, idx, value in merkle.appended(start, known, batch):
                self.nodes[(level, idx)] = value

    def read(self, keys):
        return {k: self.nodes[k] for k in keys if k in self.nodes}


def test_the_roots_of_the_reference_leaves_are_the_rfc_6962_vectors():
    tree = MemoryTree(LEAVES, step=1)
    for size, expected in enumerate(VECTORS["roots_hex"]):
        assert merkle.root(size, tree.read).hex() == expected


def test_leaf_hashes_are_prefixed_with_a_zero_byte_and_nodes_with_a_one():
    assert merkle.leaf_hash(b"").hex() == VECTORS["roots_hex"][1]
    assert merkle.leaf_hash(b"x") == hash_leaf(b"x")


@pytest.mark.parametrize("case", VECTORS["inclusion"], ids=lambda c: c["file"])
def test_the_verifier_decides_every_inclusion_vector_as_the_reference_does(case):
    proof = [b64(p) for p in case["proof"] or []]
    verified = verify_inclusion(
        b64(case["leafHash"]), case["leafIdx"], case["treeSize"], proof, b64(case["root"])
    )
    assert verified is not case["wantErr"]


# Stricter than the reference on purpose (adapters/witness_proofs.py): a "root" that is not a
# 32-byte hash is refused even when both sizes are equal.
NOT_A_HASH = "testdata/consistency/additional/sizes-are-equal-one-and-proof-is-empty.json"


@pytest.mark.parametrize("case", VECTORS["consistency"], ids=lambda c: c["file"])
def test_the_verifier_decides_every_consistency_vector_as_the_reference_does(case):
    proof = [b64(p) for p in case["proof"] or []]
    verified = verify_consistency(
        case["size1"], case["size2"], b64(case["root1"]), b64(case["root2"]), proof
    )
    assert verified is not (case["wantErr"] or case["file"] == NOT_A_HASH)


def test_the_tree_gives_the_happy_path_proofs_of_the_vectors():
    tree, reference = MemoryTree(LEAVES), ReferenceTree(LEAVES)
    for case in VECTORS["inclusion"]:
        if case["desc"] == "happy path" and b64(case["root"]) == reference.root(case["treeSize"]):
            proof = merkle.inclusion_proof(case["leafIdx"], case["treeSize"], tree.read)
            assert proof == [b64(p) for p in case["proof"] or []]
    for case in VECTORS["consistency"]:
        if case["desc"] == "happy path" and b64(case["root2"]) == reference.root(case["size2"]):
            proof = merkle.consistency_proof(case["size1"], case["size2"], tree.read)
            assert proof == [b64(p) for p in case["proof"] or []]


def test_every_root_up_to_300_matches_the_brute_force_tree():
    tree, reference = MemoryTree(ENTRIES, step=7), ReferenceTree(ENTRIES)
    for size in range(1, 301):
        assert merkle.root(size, tree.read) == reference.root(size)


@pytest.mark.parametrize("size", [*range(1, 65), 100, 127, 128, 129, 255, 256, 257, 300])
def test_every_inclusion_proof_matches_the_brute_force_tree_and_verifies(size):
    tree, reference = MemoryTree(ENTRIES), ReferenceTree(ENTRIES)
    root = reference.root(size)
    for index in range(size):
        proof = merkle.inclusion_proof(index, size, tree.read)
        assert proof == reference.inclusion(index, size)
        assert verify_inclusion(hash_leaf(ENTRIES[index]), index, size, proof, root)
        assert not verify_inclusion(hash_leaf(b"forged"), index, size, proof, root)


def test_every_consistency_proof_up_to_64_and_a_sample_to_300_matches_and_verifies():
    tree, reference = MemoryTree(ENTRIES), ReferenceTree(ENTRIES)
    pairs = [(m, n) for n in range(1, 65) for m in range(1, n + 1)]
    pairs += [(m, n) for n in (100, 128, 129, 200, 255, 256, 257, 300) for m in range(1, n + 1, 7)]
    for m, n in pairs:
        proof = merkle.consistency_proof(m, n, tree.read)
        assert proof == reference.consistency(m, n), (m, n)
        assert verify_consistency(m, n, reference.root(m), reference.root(n), proof), (m, n)
        if m < n:
            assert not verify_consistency(m, n, reference.root(m), bytes(32), proof)


def test_a_proof_reads_no_more_than_a_few_nodes_per_level():
    tree, asked = MemoryTree(ENTRIES), []

    def read(keys):
        asked.append(len(keys))
        return tree.read(keys)

    merkle.inclusion_proof(137, 300, read)
    merkle.consistency_proof(137, 300, read)
    assert len(asked) == 2 and max(asked) <= 2 * 9


def test_a_missing_node_is_named_not_guessed():
    tree = MemoryTree(ENTRIES[:10])
    with pytest.raises(merkle.MissingNode):
        merkle.root(12, tree.read)


@pytest.mark.parametrize("index, size", [(-1, 5), (5, 5), (0, 0)])
def test_an_inclusion_proof_outside_the_tree_is_refused(index, size):
    with pytest.raises(ValueError):
        merkle.inclusion_proof(index, size, MemoryTree(ENTRIES).read)


@pytest.mark.parametrize("old, new", [(0, 5), (6, 5), (-1, 3)])
def test_a_consistency_proof_between_impossible_sizes_is_refused(old, new):
    with pytest.raises(ValueError):
        merkle.consistency_proof(old, new, MemoryTree(ENTRIES).read)
