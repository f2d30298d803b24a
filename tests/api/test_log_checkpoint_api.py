"""The signed checkpoint, its key and witnesses' cosignatures, checked as an outsider would."""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from werkzeug.serving import make_server

from adapters.merkle_verify import hash_leaf, verify_consistency, verify_inclusion
from adapters.signed_note import open_note, parse_verifier_key
from adapters.tlog_checkpoint import open_checkpoint
from adapters.tlog_cosignature import (
    cosign,
    generate_cosigner_key,
    parse_cosigner_key,
    parse_cosigner_verifier_key,
)
from tests.api.conftest import Api, schedule_body
from tests.merkle_reference import root as brute_force_root
from web.bootstrap import witness_keys
from web.cli import main

PROBLEM = "application/problem+json"


def b64(values: list[str]) -> list[bytes]:
    return [base64.b64decode(v) for v in values]


def log_key(api: Api):
    answer = api.get("/log/key", role=None)
    assert (answer.status_code, answer.mimetype) == (200, "text/plain")
    return parse_verifier_key(answer.get_data(as_text=True))


def signed(api: Api) -> str:
    answer = api.get("/log/checkpoint", role=None)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "text/plain; charset=utf-8"
    return answer.get_data(as_text=True)


def test_the_checkpoint_opens_with_the_key_and_proves_every_entry(api_on_every_backend) -> None:
    api = api_on_every_backend
    checkpoint, _ = open_checkpoint(signed(api), log_key(api))
    tree = api.get("/log/tree", role=None).json
    assert checkpoint.size == tree["size"] > 0
    assert checkpoint.root_hash == base64.b64decode(tree["root"])
    entries = [api.get(f"/log/entries/{i}").data for i in range(checkpoint.size)]
    assert checkpoint.root_hash == brute_force_root(entries)  # RFC 6962's definition
    for index, entry in enumerate(entries):
        query = f"index={index}&size={checkpoint.size}"
        proof = b64(api.get(f"/log/proofs/inclusion?{query}", role=None).json["hashes"])
        assert verify_inclusion(
            hash_leaf(entry), index, checkpoint.size, proof, checkpoint.root_hash
        )

    assert api.post("/inspections", schedule_body()).status_code == 201
    newer, _ = open_checkpoint(signed(api), log_key(api))
    assert newer.size > checkpoint.size
    query = f"from={checkpoint.size}&to={newer.size}"
    proof = b64(api.get(f"/log/proofs/consistency?{query}", role=None).json["hashes"])
    assert verify_consistency(
        checkpoint.size, newer.size, checkpoint.root_hash, newer.root_hash, proof
    )
    kept = api.app.extensions["log_checkpoints"].history()
    assert [k.size for k in kept] == [checkpoint.size, newer.size]


def test_a_checkpoint_is_signed_once_per_tree_size(api) -> None:
    first, second = signed(api), signed(api)
    assert first == second
    assert len(api.app.extensions["log_checkpoints"].history()) == 1


@pytest.fixture
def witness(api: Api):
    signer_key, verifier_key = generate_cosigner_key("witness.example/w1")
    api.app.extensions["log_witnesses"] = witness_keys(verifier_key)
    return parse_cosigner_key(signer_key), parse_cosigner_verifier_key(verifier_key)


def post_text(api: Api, text: str, query: str = ""):
    return api.client.post(
        "/api/v1/log/cosignatures" + query, data=text.encode(), content_type="text/plain"
    )


def test_a_witness_cosignature_is_served_with_the_checkpoint(api, witness) -> None:
    signer, verifier = witness
    note = signed(api)
    checkpoint, opened = open_checkpoint(note, log_key(api))
    line = cosign(opened.text, signer, 1_790_000_000).line()
    answer = post_text(api, line, f"?size={checkpoint.size}")
    assert answer.status_code == 200, answer.json
    assert answer.json == {"size": checkpoint.size, "witnesses": ["witness.example/w1"]}
    served = signed(api)
    assert served == note + line
    both = open_note(served, [log_key(api), verifier])
    assert [s.name for s in both.signatures] == [checkpoint.origin, "witness.example/w1"]
    again = post_text(api, note + line)  # the whole cosigned note is taken too, idempotently
    assert again.status_code == 200
    assert signed(api) == served


def test_an_unknown_witness_is_forbidden_and_nothing_is_kept(api, witness) -> None:
    note = signed(api)
    checkpoint, opened = open_checkpoint(note, log_key(api))
    stranger = parse_cosigner_key(generate_cosigner_key("stranger.example")[0])
    line = cosign(opened.text, stranger, 1).line()
    answer = post_text(api, line, f"?size={checkpoint.size}")
    assert (answer.status_code, answer.mimetype) == (403, PROBLEM)
    assert signed(api) == note


@pytest.mark.parametrize(
    "make, query, field",
    [
        (lambda note, line: "not a signature line", "?size={size}", "body"),
        (lambda note, line: line, "", "query.size"),
        (lambda note, line: line, "?size=x", "query.size"),
        (lambda note, line: line, "?size=999", "query.size"),
        (lambda note, line: line.replace("w1 ", "w1 A"), "?size={size}", "body"),
        (lambda note, line: note.replace("\n\n", "\nextra\n\n") + line, "", "body"),
        (lambda note, line: "\x00" + line, "?size={size}", "body"),
    ],
)
def test_bad_cosignatures_are_refused_naming_the_field(api, witness, make, query, field) -> None:
    signer, _ = witness
    note = signed(api)
    checkpoint, opened = open_checkpoint(note, log_key(api))
    line = cosign(opened.text, signer, 1).line()
    answer = post_text(api, make(note, line), query.format(size=checkpoint.size))
    assert (answer.status_code, answer.mimetype) == (400, PROBLEM)
    assert field in [e["field"] for e in answer.json["errors"]]
    assert signed(api) == note


def test_a_cosignature_of_another_text_does_not_verify(api, witness) -> None:
    signer, _ = witness
    note = signed(api)
    checkpoint, opened = open_checkpoint(note, log_key(api))
    forged = cosign(opened.text.replace("\n", "\nx\n", 1), signer, 1).line()
    answer = post_text(api, forged, f"?size={checkpoint.size}")
    assert (answer.status_code, answer.mimetype) == (400, PROBLEM)
    assert signed(api) == note


@pytest.fixture
def live(api: Api) -> Iterator[str]:
    """The app served over HTTP on a free port, as a witness elsewhere would reach it."""
    server = make_server("127.0.0.1", 0, api.app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_ledger_witness_cosigns_the_live_checkpoint_and_its_growth(api, live, tmp_path) -> None:
    signer_key, verifier_key = generate_cosigner_key("witness.example/w1")
    (tmp_path / "witness-key").write_text(signer_key + "\n")
    api.app.extensions["log_witnesses"] = witness_keys(verifier_key)
    args = ["witness", "--log-url", live, "--key", str(tmp_path / "witness-key")]
    args += ["--log-key", log_key(api).key(), "--state", str(tmp_path / "state.json")]
    for grown in (True, False):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output
        checkpoint, _ = open_checkpoint(signed(api), log_key(api))
        assert post_text(api, result.output, f"?size={checkpoint.size}").status_code == 200
        served = open_note(signed(api), [log_key(api), parse_cosigner_verifier_key(verifier_key)])
        assert [s.name for s in served.signatures][1:] == ["witness.example/w1"]
        if grown:  # the second run checks a consistency proof from the first checkpoint
            assert api.post("/inspections", schedule_body()).status_code == 201


def test_witness_keys_are_read_from_a_comma_separated_setting() -> None:
    keys = [generate_cosigner_key(f"witness.example/w{n}")[1] for n in (1, 2)]
    assert [name for name, _ in witness_keys(f" {keys[0]} ,{keys[1]},")] == [
        "witness.example/w1",
        "witness.example/w2",
    ]
    assert witness_keys("") == {}
    with pytest.raises(ValueError, match="LEDGER_WITNESS_KEYS"):
        witness_keys("not-a-key")
