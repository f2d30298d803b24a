"""The log's checkpoint identity: its origin (LEDGER_LOG_ORIGIN) and key (LEDGER_LOG_KEY)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from adapters.persistence import DEFAULT_DATABASE_PATH, kept_secret
from adapters.signed_note import (
    Ed25519Signer,
    NoteError,
    generate_key,
    parse_signer_key,
    valid_name,
)
from adapters.tlog_checkpoint import Checkpoint, sign_checkpoint

DEFAULT_LOG_ORIGIN = "inspection-ledger.example/log"
KEY_FILE_NAME = "log-signing-key"


@dataclass(frozen=True)
class LogIdentity:
    """The origin line of the log's checkpoints and the key that signs them (named the same)."""

    origin: str
    signer: Ed25519Signer

    def verifier_key(self) -> str:
        """Return the public verifier key string witnesses and clients configure."""
        return self.signer.verifier().key()

    def sign(self, size: int, root_hash: bytes) -> str:
        """Return the signed checkpoint of the tree of `size` entries with this root."""
        return sign_checkpoint(Checkpoint(self.origin, size, root_hash), self.signer)


def load_log_identity(
    environ: dict[str, str] | None = None, instance_dir: Path | None = None
) -> LogIdentity:
    """Return the log's identity; without LEDGER_LOG_KEY, a key made once and kept in instance/."""
    environ = dict(os.environ) if environ is None else environ
    origin = environ.get("LEDGER_LOG_ORIGIN", "").strip() or DEFAULT_LOG_ORIGIN
    if not valid_name(origin):
        raise ValueError(f"LEDGER_LOG_ORIGIN must have no spaces or '+', not {origin!r}")
    setting = environ.get("LEDGER_LOG_KEY", "").strip()
    if setting:
        signer = _configured(setting)
        where = "LEDGER_LOG_KEY"
    else:
        path = (instance_dir or Path(DEFAULT_DATABASE_PATH).parent) / KEY_FILE_NAME
        signer, where = _kept(path, origin), str(path)
    if signer.name != origin:
        raise ValueError(
            f"the log key in {where} is named {signer.name!r} but LEDGER_LOG_ORIGIN is "
            f"{origin!r}: a checkpoint's key must be named for its origin"
        )
    return LogIdentity(origin, signer)


def _configured(setting: str) -> Ed25519Signer:
    """Read LEDGER_LOG_KEY: a signer key string, or the path of a file holding one."""
    try:
        text = setting if setting.startswith("PRIVATE+KEY+") else Path(setting).read_text()
        return parse_signer_key(text)
    except OSError as error:
        raise ValueError(f"LEDGER_LOG_KEY names a file that cannot be read: {error}") from None
    except NoteError as error:  # never echo the key itself
        raise ValueError(f"LEDGER_LOG_KEY is not a signer key (PRIVATE+KEY+...): {error}") from None


def _kept(path: Path, origin: str) -> Ed25519Signer:
    """Return the key kept at `path`, writing a new one for `origin` if there is none."""
    try:
        return parse_signer_key(kept_secret(path, lambda: generate_key(origin)[0] + "\n"))
    except NoteError as error:
        raise ValueError(f"{path} does not hold a signer key: {error}") from None
