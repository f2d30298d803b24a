"""Cosignatures v1: a witness's timestamped Ed25519 signature, keyed with type byte 0x04."""

from __future__ import annotations

import base64

import pytest

from adapters.signed_note import (
    InvalidSignature,
    NoteError,
    Signature,
    UnverifiedNote,
    generate_key,
    key_hash,
    open_note,
    parse_signer_key,
    sign,
)
from adapters.tlog_cosignature import (
    cosign,
    cosignature_time,
    generate_cosigner_key,
    parse_cosigner_key,
    parse_cosigner_verifier_key,
    signed_message,
)

BODY = "test\n123\nf+7CoKgXKE/tNys9TTXcr/ad6U/K3xvznmzew9y6SP0=\n"
NOW = 1_764_676_000


def test_the_signed_message_is_the_header_the_time_line_and_the_body() -> None:
    assert signed_message(1679315147, BODY) == (
        b"cosignature/v1\ntime 1679315147\n" + BODY.encode()
    )


def test_an_ed25519_vkey_of_type_01_is_read_as_a_cosigner_of_type_04() -> None:
    # transparency-dev/formats' TestCoSigV1NewVerifier: "works: convert from algEd25519"
    verifier = parse_cosigner_verifier_key(
        "TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6"
    )
    assert verifier.key_hash == key_hash("TEST", b"\x04" + verifier.public_key)
    assert verifier.key_hash != 0x7997405C


def test_a_native_cosignature_vkey_is_read() -> None:
    vkey = "remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2"
    verifier = parse_cosigner_verifier_key(vkey)
    assert (verifier.name, verifier.key_hash) == ("remora.n621.de", 0xDA77ADE7)
    assert verifier.key() == vkey


@pytest.mark.parametrize(
    "vkey",
    [
        "bananas.sigstore.dev+12344556",
        "rekor.sigstore.dev+12345678+THIS_IS_NOT_BASE64!",
        "rekor.sigstore.dev+12345678+AwEB",
        "remora.n621.de+00000000+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2",
    ],
)
def test_a_bad_cosigner_vkey_is_refused(vkey: str) -> None:
    with pytest.raises(NoteError):
        parse_cosigner_verifier_key(vkey)


def test_the_time_of_a_cosignature_is_read_from_its_first_eight_bytes() -> None:
    # transparency-dev/formats' TestCoSigV1Timestamp
    b64 = "ZGhGuQAAAABm/qTPeyKXD+R2rzyQsxPiP8mXum7qq/iF0u4vanlqJyocWODBt97w9uL+8qT7S5gxEHWWOworDcFiEBYJXORmnFBOBA=="
    assert cosignature_time(Signature("w", 0x646846B9, b64)) == 1727964367


def test_a_cosignature_verifies_with_the_witness_key_and_states_its_time() -> None:
    skey, vkey = generate_cosigner_key("witness.example/w1")
    signer = parse_cosigner_key(skey)
    line = cosign(BODY, signer, NOW)
    note = open_note(BODY + "\n" + line.line(), [parse_cosigner_verifier_key(vkey)])
    assert note.signatures == (line,)
    assert cosignature_time(line) == NOW
    assert signer.key() == skey


def test_an_ed25519_signer_key_cosigns_under_the_cosignature_key_hash() -> None:
    skey, _ = generate_key("witness.example/w1")
    cosigner = parse_cosigner_key(skey)
    plain = parse_signer_key(skey)
    assert cosigner.key_hash == key_hash(cosigner.name, b"\x04" + plain.verifier().public_key)
    assert cosigner.key_hash != plain.key_hash


def test_a_cosignature_does_not_verify_as_a_plain_note_signature() -> None:
    skey, _ = generate_key("witness.example/w1")
    line = cosign(BODY, parse_cosigner_key(skey), NOW)
    plain = parse_signer_key(skey).verifier()
    with pytest.raises(UnverifiedNote):  # a different key hash: the plain key does not claim it
        open_note(BODY + "\n" + line.line(), [plain])


def test_a_changed_time_or_extension_line_breaks_the_cosignature() -> None:
    skey, vkey = generate_cosigner_key("w")
    body = BODY + "Extendo\n"
    line = cosign(body, parse_cosigner_key(skey), NOW)
    raw = base64.b64decode(line.base64)
    later = raw[:4] + (NOW + 1).to_bytes(8, "big") + raw[12:]
    retimed = Signature("w", line.key_hash, base64.b64encode(later).decode())
    verifier = parse_cosigner_verifier_key(vkey)
    with pytest.raises(InvalidSignature):
        open_note(body + "\n" + retimed.line(), [verifier])
    with pytest.raises(InvalidSignature):
        open_note(BODY + "Extendx\n\n" + line.line(), [verifier])


def test_a_cosignature_sits_beside_the_log_signature() -> None:
    log_skey, log_vkey = generate_key("test")
    w_skey, w_vkey = generate_cosigner_key("w")
    from adapters.signed_note import parse_verifier_key

    signed = sign(BODY, [parse_signer_key(log_skey)])
    cosigned = signed + cosign(BODY, parse_cosigner_key(w_skey), NOW).line()
    note = open_note(cosigned, [parse_verifier_key(log_vkey), parse_cosigner_verifier_key(w_vkey)])
    assert [s.name for s in note.signatures] == ["test", "w"]


def test_a_time_beyond_two_to_the_63_is_refused() -> None:
    with pytest.raises(NoteError):
        signed_message(2**63, BODY)


def test_the_spec_example_cosignature_states_the_spec_example_time() -> None:
    # c2sp.org/tlog-cosignature: its example line, and "time 1679315147" in its signed message
    b64 = "jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA=="
    assert cosignature_time(Signature("witness.example.com/w1", 0x8D66CF3F, b64)) == 1679315147
