"""C2SP tlog cosignatures v1 (https://c2sp.org/tlog-cosignature), Ed25519: a witness's statement."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from adapters.signed_note import (
    ALG_ED25519,
    NoteError,
    Signature,
    ed25519_verifies,
    encode_key,
    key_hash,
    new_seed,
    public_key_of,
    split_key,
    strict_b64decode,
    valid_name,
)

ALG_COSIGNATURE_V1 = 0x04
MAX_TIMESTAMP = 2**63 - 1


def signed_message(timestamp: int, body: str) -> bytes:
    """Return what a v1 cosignature signs: the header, the time line, then the checkpoint body."""
    if not 0 <= timestamp <= MAX_TIMESTAMP:
        raise NoteError("a cosignature time must be between 0 and 2^63 - 1")
    if body.count("\n") < 3 or not body.endswith("\n"):
        raise NoteError("a cosigned note must be a checkpoint body of at least three lines")
    return f"cosignature/v1\ntime {timestamp}\n{body}".encode()


@dataclass(frozen=True)
class CosignatureVerifier:
    """Checks a witness's v1 cosignatures (key hash with type byte 0x04)."""

    name: str
    public_key: bytes

    @property
    def key_hash(self) -> int:
        return key_hash(self.name, bytes([ALG_COSIGNATURE_V1]) + self.public_key)

    def verify(self, message: bytes, signature: bytes) -> bool:
        """Say whether `signature` (8-byte time || Ed25519 signature) cosigns the note text."""
        if len(signature) != 8 + 64:
            return False
        timestamp = int.from_bytes(signature[:8], "big")
        try:
            signed = signed_message(timestamp, message.decode())
        except (NoteError, UnicodeDecodeError):
            return False
        return ed25519_verifies(self.public_key, signed, signature[8:])

    def key(self) -> str:
        """Return the verifier key string, signature type 0x04."""
        return encode_key(self.name, self.key_hash, bytes([ALG_COSIGNATURE_V1]) + self.public_key)


@dataclass(frozen=True)
class CosignatureSigner:
    """A witness's Ed25519 key signing v1 cosignatures at a given time (POSIX seconds)."""

    name: str
    seed: bytes = field(repr=False)
    timestamp: int = 0

    @property
    def key_hash(self) -> int:
        return self.verifier().key_hash

    def at(self, timestamp: int) -> CosignatureSigner:
        """Return this signer set to cosign at `timestamp`."""
        return CosignatureSigner(self.name, self.seed, timestamp)

    def sign(self, message: bytes) -> bytes:
        """Return the timestamped signature: 8-byte big-endian time || Ed25519 signature."""
        signed = signed_message(self.timestamp, message.decode())
        raw = Ed25519PrivateKey.from_private_bytes(self.seed).sign(signed)
        return self.timestamp.to_bytes(8, "big") + raw

    def verifier(self) -> CosignatureVerifier:
        """Return the matching verifier."""
        return CosignatureVerifier(self.name, public_key_of(self.seed))

    def key(self) -> str:
        """Return the signer key string, signature type 0x04."""
        return "PRIVATE+KEY+" + encode_key(
            self.name, self.key_hash, bytes([ALG_COSIGNATURE_V1]) + self.seed
        )


def _typed_ed25519(typed: bytes, what: str) -> bytes:
    if typed[0] not in (ALG_ED25519, ALG_COSIGNATURE_V1) or len(typed) != 33:
        raise NoteError(f"unknown or malformed {what}: expected an Ed25519 key (type 0x01 or 0x04)")
    return typed[1:]


def parse_cosigner_verifier_key(text: str) -> CosignatureVerifier:
    """Return a cosignature verifier from a vkey of type 0x04 (or an Ed25519 vkey, type 0x01)."""
    name, stated, typed = split_key(text.strip())
    if stated != key_hash(name, typed):
        raise NoteError("invalid verifier key: the key hash does not match the key")
    return CosignatureVerifier(name, _typed_ed25519(typed, "witness verifier key"))


def parse_cosigner_key(text: str) -> CosignatureSigner:
    """Return a cosigner from a signer key of type 0x04 (or an Ed25519 signer key, type 0x01)."""
    name, stated, typed = split_key(text.strip(), private=True)
    seed = _typed_ed25519(typed, "witness signer key")
    if stated != key_hash(name, typed[:1] + public_key_of(seed)):
        raise NoteError("invalid signer key: the key hash does not match the key")
    return CosignatureSigner(name, seed)


def generate_cosigner_key(name: str) -> tuple[str, str]:
    """Return a new witness (signer key, verifier key) pair, both of type 0x04."""
    if not valid_name(name):
        raise NoteError(f"a key name must be non-empty, without spaces or '+', not {name!r}")
    signer = CosignatureSigner(name, new_seed())
    return signer.key(), signer.verifier().key()


def cosignature_time(signature: Signature) -> int:
    """Return the POSIX time a v1 cosignature line states."""
    raw = strict_b64decode(signature.base64)
    if raw is None or len(raw) != 4 + 8 + 64:
        raise NoteError("not a v1 Ed25519 cosignature")
    return int.from_bytes(raw[4:12], "big")


def cosign(body: str, signer: CosignatureSigner, timestamp: int) -> Signature:
    """Return the witness's cosignature of a checkpoint body at `timestamp`."""
    dated = signer.at(timestamp)
    raw = dated.key_hash.to_bytes(4, "big") + dated.sign(body.encode())
    return Signature(signer.name, dated.key_hash, base64.b64encode(raw).decode())
