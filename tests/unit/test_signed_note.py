"""Signed notes interoperate with golang.org/x/mod/sumdb/note: its test vectors, byte for byte."""

from __future__ import annotations

import pytest

from adapters.signed_note import (
    Ed25519Signer,
    InvalidSignature,
    MalformedNote,
    NoteError,
    Signature,
    UnverifiedNote,
    generate_key,
    open_note,
    parse_signer_key,
    parse_verifier_key,
    sign,
)

PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
PETER_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
ENOCH_VKEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
TEXT = (
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
)
PETER_B64 = (
    "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM="
)
ENOCH_B64 = (
    "rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ="
)
PETER_SIG = f"\u2014 PeterNeumann {PETER_B64}\n"
ENOCH_SIG = f"\u2014 EnochRoot {ENOCH_B64}\n"
PETER = Signature("PeterNeumann", 0xC74F20A3, PETER_B64)
ENOCH = Signature("EnochRoot", 0xAF0CFE78, ENOCH_B64)


def test_signing_with_the_go_test_key_gives_the_go_signed_note_exactly() -> None:
    assert sign(TEXT, [parse_signer_key(PETER_SKEY)]) == TEXT + "\n" + PETER_SIG


def test_signing_replaces_an_earlier_signature_by_the_same_key() -> None:
    stale = Signature("PeterNeumann", 0xC74F20A3, "BADSIGN=")
    assert sign(TEXT, [parse_signer_key(PETER_SKEY)], keep=[stale]) == TEXT + "\n" + PETER_SIG


def test_signing_keeps_other_signatures_before_its_own() -> None:
    signed = sign(TEXT, [parse_signer_key(PETER_SKEY)], keep=[ENOCH])
    assert signed == TEXT + "\n" + ENOCH_SIG + PETER_SIG


def test_a_text_without_a_final_newline_is_not_signed() -> None:
    with pytest.raises(MalformedNote):
        sign("abc", [parse_signer_key(PETER_SKEY)])


def test_the_signer_and_verifier_keys_of_the_go_tests_describe_the_same_key() -> None:
    signer, verifier = parse_signer_key(PETER_SKEY), parse_verifier_key(PETER_VKEY)
    assert (signer.name, signer.key_hash) == ("PeterNeumann", 0xC74F20A3)
    assert signer.verifier() == verifier
    assert signer.key() == PETER_SKEY
    assert verifier.key() == PETER_VKEY


@pytest.mark.parametrize(
    "mangled",
    [
        PETER_VKEY[:-1],
        PETER_VKEY[1:],
        "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+c74f20a3",
        "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        # wrong key length and unknown algorithm, each with its key hash adjusted (Go's tests)
        "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==",
        "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
    ],
)
def test_a_mangled_verifier_key_is_refused(mangled: str) -> None:
    with pytest.raises(NoteError):
        parse_verifier_key(mangled)


def test_every_truncation_or_changed_character_of_a_verifier_key_is_refused() -> None:
    for start in range(len(PETER_VKEY)):
        for end in range(start + 1, len(PETER_VKEY) + 1):
            if (start, end) != (0, len(PETER_VKEY)):
                with pytest.raises(NoteError):
                    parse_verifier_key(PETER_VKEY[start:end])
    for i in range(len(PETER_VKEY)):
        changed = PETER_VKEY[:i] + chr(ord(PETER_VKEY[i]) + 1) + PETER_VKEY[i + 1 :]
        with pytest.raises(NoteError):
            parse_verifier_key(changed)


def test_every_changed_character_of_a_signer_key_is_refused() -> None:
    for i in range(len(PETER_SKEY)):
        changed = PETER_SKEY[:i] + chr(ord(PETER_SKEY[i]) + 1) + PETER_SKEY[i + 1 :]
        with pytest.raises(NoteError):
            parse_signer_key(changed)


def test_a_generated_key_pair_signs_and_verifies() -> None:
    skey, vkey = generate_key("EnochRoot")
    signer, verifier = parse_signer_key(skey), parse_verifier_key(vkey)
    assert signer.verifier() == verifier
    signature = signer.sign(b"hi")
    assert verifier.verify(b"hi", signature)
    assert not verifier.verify(b"hj", signature)
    assert not verifier.verify(b"hi", bytes([signature[0] ^ 1]) + signature[1:])


def test_a_key_name_with_a_space_or_plus_cannot_be_generated() -> None:
    for name in ("a b", "a+b", ""):
        with pytest.raises(NoteError):
            generate_key(name)


def test_opening_verifies_the_known_key_and_sets_aside_the_unknown_one() -> None:
    note = open_note(TEXT + "\n" + PETER_SIG + ENOCH_SIG, [parse_verifier_key(PETER_VKEY)])
    assert note.text == TEXT
    assert note.signatures == (PETER,)
    assert note.unverified == (ENOCH,)


def test_opening_with_both_keys_verifies_both() -> None:
    known = [parse_verifier_key(PETER_VKEY), parse_verifier_key(ENOCH_VKEY)]
    note = open_note(TEXT + "\n" + PETER_SIG + ENOCH_SIG, known)
    assert note.signatures == (PETER, ENOCH)
    assert note.unverified == ()


def test_a_note_signed_by_no_known_key_is_refused_but_kept_for_inspection() -> None:
    with pytest.raises(UnverifiedNote) as refused:
        open_note(TEXT + "\n" + PETER_SIG + ENOCH_SIG, [])
    assert refused.value.note.unverified == (PETER, ENOCH)


def test_the_same_key_given_twice_is_ambiguous_only_if_it_signed() -> None:
    peter, enoch = parse_verifier_key(PETER_VKEY), parse_verifier_key(ENOCH_VKEY)
    with pytest.raises(NoteError, match="ambiguous key EnochRoot"):
        open_note(TEXT + "\n" + ENOCH_SIG, [enoch, peter, enoch])
    assert open_note(TEXT + "\n" + PETER_SIG, [enoch, peter, enoch]).signatures == (PETER,)


def test_more_than_a_hundred_signatures_is_malformed() -> None:
    with pytest.raises(MalformedNote):
        open_note(TEXT + "\n" + PETER_SIG * 101, [parse_verifier_key(PETER_VKEY)])


def test_an_altered_signature_by_a_known_key_is_refused() -> None:
    altered = PETER_SIG[:60] + "ABCD" + PETER_SIG[60:]
    with pytest.raises(InvalidSignature, match="PeterNeumann\\+c74f20a3"):
        open_note(TEXT + "\n" + altered, [parse_verifier_key(PETER_VKEY)])


def test_an_altered_text_is_refused() -> None:
    with pytest.raises(InvalidSignature):
        open_note(
            TEXT.replace("answer", "Answer") + "\n" + PETER_SIG, [parse_verifier_key(PETER_VKEY)]
        )


def test_repeated_signatures_are_counted_once() -> None:
    enoch_altered = ENOCH_SIG[:60] + "ABCD" + ENOCH_SIG[60:]
    note = open_note(
        TEXT + "\n" + PETER_SIG + PETER_SIG + ENOCH_SIG + ENOCH_SIG + enoch_altered,
        [parse_verifier_key(PETER_VKEY)],
    )
    assert note.signatures == (PETER,)
    assert [s.name for s in note.unverified] == ["EnochRoot", "EnochRoot"]
    assert note.unverified[1].base64 == enoch_altered.split(" ")[2].strip()


@pytest.mark.parametrize(
    "message",
    [
        TEXT,
        TEXT + "\n",
        TEXT + "\n" + PETER_SIG[:-1],
        "\x01" + TEXT + "\n" + PETER_SIG,
        TEXT + "\n" + f"\u2014 Bad Name {PETER_B64}",
        TEXT + "\n" + PETER_SIG + "Unexpected line.\n",
        TEXT + "\n" + PETER_SIG.replace("\u2014", "-"),
    ],
)
def test_a_malformed_note_is_refused(message: str) -> None:
    with pytest.raises(MalformedNote):
        open_note(message, [parse_verifier_key(PETER_VKEY)])


def test_invalid_utf8_is_malformed() -> None:
    with pytest.raises(MalformedNote):
        open_note(b"\xff" + (TEXT + "\n" + PETER_SIG).encode(), [parse_verifier_key(PETER_VKEY)])


def test_a_signer_repr_does_not_show_the_seed() -> None:
    assert "seed" not in repr(Ed25519Signer("n", bytes(32)))
