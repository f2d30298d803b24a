"""Signed checkpoints of the chain's head, kept outside the database (Ed25519)."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from adapters.audit import Verification

SIGNED_FIELDS = ("seq", "head_hash", "taken_at")


def generate_keys(directory: Path) -> tuple[Path, Path]:
    """Write a new signing key and its public key; return their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    private = Ed25519PrivateKey.generate()
    private_path, public_path = (
        directory / "audit-signing-key.pem",
        directory / "audit-public-key.pem",
    )
    if private_path.exists():
        raise FileExistsError(f"{private_path} already exists; refusing to overwrite a signing key")
    private_path.write_bytes(
        private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    private_path.chmod(0o600)
    public_path.write_bytes(
        private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return private_path, public_path


def _payload(checkpoint: dict[str, Any]) -> bytes:
    return json.dumps({k: checkpoint[k] for k in SIGNED_FIELDS}, sort_keys=True).encode()


def make_checkpoint(verification: Verification, private_key_pem: bytes) -> dict[str, Any]:
    """Return the signed head of a verified chain."""
    if not verification.ok:
        raise ValueError("refusing to sign a checkpoint of a log that does not verify")
    key = serialization.load_pem_private_key(private_key_pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("the signing key is not an Ed25519 private key")
    checkpoint: dict[str, Any] = {
        "seq": verification.head_seq,
        "head_hash": verification.head_hash,
        "taken_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    checkpoint["signature"] = base64.b64encode(key.sign(_payload(checkpoint))).decode()
    return checkpoint


def check_signature(checkpoint: dict[str, Any], public_key_pem: bytes) -> None:
    """Refuse a checkpoint whose signature the public key does not confirm."""
    key = serialization.load_pem_public_key(public_key_pem)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("the public key is not an Ed25519 key")
    try:
        key.verify(base64.b64decode(checkpoint["signature"]), _payload(checkpoint))
    except (InvalidSignature, KeyError, ValueError):
        raise ValueError(
            "the checkpoint's signature does not match: it was altered or signed with another key"
        ) from None


def extends(verification: Verification, checkpoint: dict[str, Any]) -> str | None:
    """Return why the log does not extend the checkpoint, or None if it does."""
    seq, expected = int(checkpoint["seq"]), checkpoint["head_hash"]
    if seq == 0:
        return None
    if verification.head_seq < seq:
        return (
            f"the log ends at chain position {verification.head_seq}, before the checkpoint's "
            f"position {seq}: events were removed"
        )
    found = verification.hashes_at.get(seq)
    if found != expected:
        return (
            f"at chain position {seq} the hash is {found}, the checkpoint says {expected}: "
            f"the chain was rewritten up to that point"
        )
    return None
