"""C2SP signed notes (https://c2sp.org/signed-note) with Ed25519 keys, as golang.org/x/mod does."""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from cryptography.exceptions import InvalidSignature as _BadSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ALG_ED25519 = 0x01
SIGNATURE_PREFIX = "\u2014 "  # an em dash and a space begin every signature line
MAX_SIGNATURES = 100


class NoteError(ValueError):
    """A note, key or signature that cannot be accepted."""


class MalformedNote(NoteError):
    """The bytes are not a signed note."""

    def __init__(self, why: str = "malformed note") -> None:
        super().__init__(why)


class UnverifiedNote(NoteError):
    """No signature of the note is by a known key; the parsed note is kept for inspection."""

    def __init__(self, note: Note) -> None:
        super().__init__("note has no verifiable signatures")
        self.note = note


class InvalidSignature(NoteError):
    """A signature by a known key does not verify: the note was altered or forged."""

    def __init__(self, name: str, key_hash: int) -> None:
        super().__init__(f"invalid signature for key {name}+{key_hash:08x}")


class Verifier(Protocol):
    """A public key that checks signatures under a name and key hash."""

    @property
    def name(self) -> str: ...
    @property
    def key_hash(self) -> int: ...
    def verify(self, message: bytes, signature: bytes) -> bool: ...


class Signer(Protocol):
    """A private key that signs under a name and key hash."""

    @property
    def name(self) -> str: ...
    @property
    def key_hash(self) -> int: ...
    def sign(self, message: bytes) -> bytes: ...


def valid_name(name: str) -> bool:
    """Say whether a key name is non-empty, without spaces or '+'."""
    return bool(name) and not any(c.isspace() for c in name) and "+" not in name


def key_hash(name: str, key: bytes) -> int:
    """Return the 32-bit key hash: SHA-256(name || 0x0A || key)[:4], key starting with its type."""
    return int.from_bytes(hashlib.sha256(name.encode() + b"\n" + key).digest()[:4], "big")


@dataclass(frozen=True)
class Ed25519Verifier:
    """An Ed25519 note verifier (signature type 0x01)."""

    name: str
    public_key: bytes

    @property
    def key_hash(self) -> int:
        return key_hash(self.name, bytes([ALG_ED25519]) + self.public_key)

    def verify(self, message: bytes, signature: bytes) -> bool:
        """Say whether the signature is this key's over the message."""
        return ed25519_verifies(self.public_key, message, signature)

    def key(self) -> str:
        """Return the verifier key string `<name>+<hash>+<base64(0x01 || key)>`."""
        return encode_key(self.name, self.key_hash, bytes([ALG_ED25519]) + self.public_key)


@dataclass(frozen=True)
class Ed25519Signer:
    """An Ed25519 note signer (signature type 0x01), made from a 32-byte seed."""

    name: str
    seed: bytes = field(repr=False)

    @property
    def key_hash(self) -> int:
        return self.verifier().key_hash

    def sign(self, message: bytes) -> bytes:
        """Return the 64-byte Ed25519 signature of the message."""
        return Ed25519PrivateKey.from_private_bytes(self.seed).sign(message)

    def verifier(self) -> Ed25519Verifier:
        """Return the matching verifier."""
        return Ed25519Verifier(self.name, public_key_of(self.seed))

    def key(self) -> str:
        """Return the signer key string `PRIVATE+KEY+<name>+<hash>+<base64(0x01 || seed)>`."""
        return "PRIVATE+KEY+" + encode_key(
            self.name, self.key_hash, bytes([ALG_ED25519]) + self.seed
        )


def public_key_of(seed: bytes) -> bytes:
    """Return the Ed25519 public key of a 32-byte seed."""
    return (
        Ed25519PrivateKey.from_private_bytes(seed)
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )


def ed25519_verifies(public_key: bytes, message: bytes, signature: bytes) -> bool:
    """Say whether an Ed25519 signature is valid (never raises)."""
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
    except (_BadSignature, ValueError):
        return False
    return True


def encode_key(name: str, hash_: int, typed_key: bytes) -> str:
    """Return `<name>+<hex8 hash>+<base64 typed key>`."""
    return f"{name}+{hash_:08x}+{base64.b64encode(typed_key).decode()}"


def split_key(text: str, private: bool = False) -> tuple[str, int, bytes]:
    """Return the name, stated hash and typed key bytes of a key string, or refuse it."""
    parts = text.split("+", 4 if private else 2)
    if private:
        if parts[:2] != ["PRIVATE", "KEY"]:
            raise NoteError("malformed signer key: it must start PRIVATE+KEY+")
        parts = parts[2:]
    if len(parts) != 3:
        raise NoteError("malformed key: it must be <name>+<hash>+<key>")
    name, hash16, key64 = parts
    typed = strict_b64decode(key64)
    hex_digits = "0123456789abcdefABCDEF"
    if len(hash16) != 8 or any(c not in hex_digits for c in hash16):
        raise NoteError("malformed key: the key hash must be 8 hexadecimal digits")
    if not valid_name(name) or typed is None or not typed:
        raise NoteError("malformed key: bad name or key encoding")
    return name, int(hash16, 16), typed


def parse_verifier_key(text: str) -> Ed25519Verifier:
    """Return the verifier of an Ed25519 verifier key string, checking its hash."""
    name, stated, typed = split_key(text.strip())
    if stated != key_hash(name, typed):
        raise NoteError("invalid verifier key: the key hash does not match the key")
    if typed[0] != ALG_ED25519 or len(typed) != 33:
        raise NoteError("unknown or malformed verifier key: expected an Ed25519 key (type 0x01)")
    return Ed25519Verifier(name, typed[1:])


def parse_signer_key(text: str) -> Ed25519Signer:
    """Return the signer of an Ed25519 signer key string, checking its hash."""
    name, stated, typed = split_key(text.strip(), private=True)
    if typed[0] != ALG_ED25519 or len(typed) != 33:
        raise NoteError("unknown or malformed signer key: expected an Ed25519 seed (type 0x01)")
    signer = Ed25519Signer(name, typed[1:])
    if stated != signer.key_hash:
        raise NoteError("invalid signer key: the key hash does not match the key")
    return signer


def generate_key(name: str) -> tuple[str, str]:
    """Return a new (signer key, verifier key) pair of strings for the name."""
    if not valid_name(name):
        raise NoteError(f"a key name must be non-empty, without spaces or '+', not {name!r}")
    signer = Ed25519Signer(name, new_seed())
    return signer.key(), signer.verifier().key()


def new_seed() -> bytes:
    """Return 32 random bytes: a new Ed25519 private key seed."""
    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )


def strict_b64decode(text: str) -> bytes | None:
    """Decode standard, padded base64, or return None (no whitespace or stray characters)."""
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        return None


@dataclass(frozen=True)
class Signature:
    """One signature line: the key's name, its hash, and base64(key hash || signature)."""

    name: str
    key_hash: int
    base64: str

    def line(self) -> str:
        """Return the signature line, newline included."""
        return f"{SIGNATURE_PREFIX}{self.name} {self.base64}\n"


@dataclass(frozen=True)
class Note:
    """An opened note: its text, the signatures verified and those by unknown keys."""

    text: str
    signatures: tuple[Signature, ...] = ()
    unverified: tuple[Signature, ...] = ()


def sign(text: str, signers: Sequence[Signer], keep: Iterable[Signature] = ()) -> str:
    """Return the signed note: text, blank line, the kept signatures, then the signers' own."""
    if not text.endswith("\n"):
        raise MalformedNote("malformed note: the text must end with a newline")
    check_text(text.encode())
    own = {(s.name, s.key_hash) for s in signers}
    lines = [s.line() for s in keep if (s.name, s.key_hash) not in own]
    for signer in signers:
        if not valid_name(signer.name):
            raise NoteError("invalid signer name")
        raw = signer.key_hash.to_bytes(4, "big") + signer.sign(text.encode())
        lines.append(Signature(signer.name, signer.key_hash, base64.b64encode(raw).decode()).line())
    return text + "\n" + "".join(lines)


def check_text(data: bytes) -> str:
    """Return the note decoded, refusing invalid UTF-8 and control characters but newline."""
    try:
        decoded = data.decode("utf-8")
    except UnicodeDecodeError:
        raise MalformedNote("malformed note: not UTF-8") from None
    if any(ord(c) < 0x20 and c != "\n" for c in decoded):
        raise MalformedNote("malformed note: control characters")
    return decoded


def parse_signature_line(line: str) -> tuple[Signature, bytes]:
    """Return a signature line's signature and its raw bytes after the key hash."""
    if not line.startswith(SIGNATURE_PREFIX):
        raise MalformedNote("malformed note: a signature line must start with an em dash")
    name, _, b64 = line[len(SIGNATURE_PREFIX) :].partition(" ")
    raw = strict_b64decode(b64)
    if raw is None or not valid_name(name) or len(raw) < 5:
        raise MalformedNote("malformed note: bad signature line")
    return Signature(name, int.from_bytes(raw[:4], "big"), b64), raw[4:]


def open_note(message: bytes | str, known: Iterable[Verifier]) -> Note:
    """Return the note if a known key signed it; ignore unknown keys, refuse bad signatures."""
    data = message.encode() if isinstance(message, str) else message
    decoded = check_text(data)
    split = decoded.rfind("\n\n")
    if split < 0 or not decoded.endswith("\n") or split + 2 == len(decoded):
        raise MalformedNote()
    text, lines = decoded[: split + 1], decoded[split + 2 : -1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise MalformedNote("malformed note: too many signatures")
    verifiers: dict[tuple[str, int], list[Verifier]] = {}
    for v in known:
        verifiers.setdefault((v.name, v.key_hash), []).append(v)
    verified: dict[tuple[str, int], Signature] = {}
    unverified: dict[str, Signature] = {}
    for line in lines:
        signature, raw = parse_signature_line(line)
        found = verifiers.get((signature.name, signature.key_hash), [])
        if not found:
            unverified.setdefault(line, signature)
            continue
        if len(found) > 1:
            raise NoteError(f"ambiguous key {signature.name}+{signature.key_hash:08x}")
        if (signature.name, signature.key_hash) in verified:
            continue
        if not found[0].verify(text.encode(), raw):
            raise InvalidSignature(signature.name, signature.key_hash)
        verified[(signature.name, signature.key_hash)] = signature
    note = Note(text, tuple(verified.values()), tuple(unverified.values()))
    if not verified:
        raise UnverifiedNote(note)
    return note
