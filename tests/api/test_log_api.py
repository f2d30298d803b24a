"""The verifiable log over HTTP, checked with the independent verifier as an outsider would."""

from __future__ import annotations

import base64

import pytest

from adapters.merkle_verify import hash_leaf, verify_consistency, verify_inclusion
from tests.api.conftest import schedule_body

PROBLEM = "application/problem+json"


def b64(values):
    return [base64.b64decode(v) for v in values]


def head(api):
    found = api.get("/log/tree", role=None).get_json()
    return found["size"], base64.b64decode(found["root"])


def test_an_outsider_proves_each_entry_is_in_the_tree_and_the_tree_only_grew(api_on_every_backend):
    api = api_on_every_backend
    old_size, old_root = head(api)
    assert old_size > 0
    assert api.post("/inspections", schedule_body()).status_code == 201
    size, root = head(api)
    assert size > old_size
    for index in range(size):
        entry = api.get(f"/log/entries/{index}", role="auditor")
        assert entry.mimetype == "application/octet-stream"
        answer = api.get(f"/log/proofs/inclusion?index={index}&size={size}", role=None)
        assert answer.get_json()["index"] == index and answer.get_json()["size"] == size
        proof = b64(answer.get_json()["hashes"])
        assert verify_inclusion(hash_leaf(entry.data), index, size, proof, root)
    answer = api.get(f"/log/proofs/consistency?from={old_size}&to={size}", role=None).get_json()
    assert (answer["from"], answer["to"]) == (old_size, size)
    assert verify_consistency(old_size, size, old_root, root, b64(answer["hashes"]))


def test_a_proof_of_an_older_tree_checks_against_that_tree_alone(api):
    old_size, old_root = head(api)
    api.post("/inspections", schedule_body())
    answer = api.get(f"/log/proofs/inclusion?index=0&size={old_size}", role=None).get_json()
    entry = api.get("/log/entries/0").data
    assert verify_inclusion(hash_leaf(entry), 0, old_size, b64(answer["hashes"]), old_root)
    assert not verify_inclusion(hash_leaf(entry), 0, old_size, b64(answer["hashes"]), head(api)[1])


@pytest.mark.parametrize(
    "proof, query, field",
    [
        ("inclusion", "index=x&size=3", "query.index"),
        ("inclusion", "size=3", "query.index"),
        ("inclusion", "index=0&size=three", "query.size"),
        ("inclusion", "index=-1&size=3", "query.index"),
        ("inclusion", "index=3&size=3", "query.index"),
        ("inclusion", "index=0&size=0", "query.size"),
        ("inclusion", "index=0&size=999999", "query.size"),
        ("consistency", "from=0&to=3", "query.from"),
        ("consistency", "from=a&to=3", "query.from"),
        ("consistency", "from=4&to=3", "query.to"),
        ("consistency", "from=1", "query.to"),
        ("consistency", "from=1&to=999999", "query.to"),
    ],
)
def test_a_bad_proof_request_is_refused_naming_the_field(api, proof, query, field):
    answer = api.get(f"/log/proofs/{proof}?{query}", role=None)
    assert (answer.status_code, answer.mimetype) == (400, PROBLEM)
    assert field in [e["field"] for e in answer.get_json()["errors"]]


def test_the_proof_of_a_tree_against_itself_is_empty(api):
    size, _ = head(api)
    answer = api.get(f"/log/proofs/consistency?from={size}&to={size}", role=None)
    assert answer.get_json()["hashes"] == []


@pytest.mark.parametrize("role, status", [(None, 401), ("moderator", 403), ("admin", 403)])
def test_only_an_auditor_reads_the_entries(api, role, status):
    answer = api.get("/log/entries/0", role=role)
    assert (answer.status_code, answer.mimetype) == (status, PROBLEM)


def test_an_entry_past_the_end_of_the_log_is_not_found(api):
    size, _ = head(api)
    assert api.get(f"/log/entries/{size}").status_code == 404
    assert api.get("/log/entries/-1").status_code == 404
