"""Checkpoints: the C2SP body, parsed strictly, signed by the log key named for the origin."""

from __future__ import annotations

import base64
import hashlib

import pytest

from adapters.signed_note import NoteError, generate_key, parse_signer_key, parse_verifier_key
from adapters.tlog_checkpoint import (
    Checkpoint,
    MalformedCheckpoint,
    open_checkpoint,
    parse_body,
    sign_checkpoint,
)

ROOT = base64.b64decode("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=")
SPEC_BODY = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"


def test_the_spec_example_body_parses_and_formats_back_exactly() -> None:
    checkpoint = parse_body(SPEC_BODY)
    assert checkpoint == Checkpoint("example.com/behind-the-sofa", 20852163, ROOT)
    assert checkpoint.body() == SPEC_BODY


def test_extension_lines_are_kept_in_order() -> None:
    checkpoint = parse_body(SPEC_BODY + "first\nsecond\n")
    assert checkpoint.extensions == ("first", "second")
    assert checkpoint.body() == SPEC_BODY + "first\nsecond\n"


def test_an_empty_tree_has_size_zero() -> None:
    empty = Checkpoint("log.example/x", 0, hashlib.sha256(b"").digest())
    assert parse_body(empty.body()) == empty


@pytest.mark.parametrize(
    "body",
    [
        SPEC_BODY[:-1],  # no final newline
        "example.com/log\n20852163\n",  # no root line
        "\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",  # empty origin
        SPEC_BODY.replace("20852163", "020852163"),  # leading zero
        SPEC_BODY.replace("20852163", "-1"),
        SPEC_BODY.replace("20852163", "+5"),
        SPEC_BODY.replace("20852163", " 5"),
        SPEC_BODY.replace("20852163", "\u0665"),  # an Arabic-Indic digit
        SPEC_BODY.replace("20852163", str(2**64)),
        SPEC_BODY.replace("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=", "not base64!"),
        SPEC_BODY.replace("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=", "AAAA"),  # 3 bytes
        SPEC_BODY.replace("=\n", "\n"),  # unpadded
        SPEC_BODY + "\n",  # an empty extension line
    ],
)
def test_a_body_not_exactly_in_the_format_is_refused(body: str) -> None:
    with pytest.raises(MalformedCheckpoint):
        parse_body(body)


def test_a_checkpoint_cannot_hold_a_root_of_the_wrong_length() -> None:
    with pytest.raises(MalformedCheckpoint):
        Checkpoint("log.example/x", 1, b"short")


def test_a_signed_checkpoint_opens_with_the_log_key() -> None:
    skey, vkey = generate_key("log.example/x")
    checkpoint = Checkpoint("log.example/x", 7, ROOT)
    signed = sign_checkpoint(checkpoint, parse_signer_key(skey))
    assert signed.startswith(checkpoint.body() + "\n\u2014 log.example/x ")
    opened, note = open_checkpoint(signed, parse_verifier_key(vkey))
    assert opened == checkpoint
    assert [s.name for s in note.signatures] == ["log.example/x"]


def test_the_log_key_must_be_named_for_the_origin() -> None:
    skey, _ = generate_key("another.example/log")
    with pytest.raises(NoteError, match="origin"):
        sign_checkpoint(Checkpoint("log.example/x", 7, ROOT), parse_signer_key(skey))


def test_a_checkpoint_signed_by_another_key_of_the_same_name_is_refused() -> None:
    skey, _ = generate_key("log.example/x")
    _, other_vkey = generate_key("log.example/x")
    signed = sign_checkpoint(Checkpoint("log.example/x", 7, ROOT), parse_signer_key(skey))
    with pytest.raises(NoteError):
        open_checkpoint(signed, parse_verifier_key(other_vkey))


def test_a_note_whose_body_is_not_a_checkpoint_is_refused_even_if_signed() -> None:
    from adapters.signed_note import sign

    skey, vkey = generate_key("log.example/x")
    signed = sign("log.example/x\nseven\nroot\n", [parse_signer_key(skey)])
    with pytest.raises(MalformedCheckpoint):
        open_checkpoint(signed, parse_verifier_key(vkey))
