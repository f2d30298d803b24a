"""Envelope encryption of personal data: a data key per person, wrapped by a master key.

Each person gets a random 256-bit data key; their values are sealed with AES-GCM under it
("enc:v1:<key id>:<base64 of nonce and ciphertext>", the key id bound as associated data).
The data keys are kept wrapped (AES-GCM under the master key, LEDGER_MASTER_KEY) in the table
`ledger_person_keys`, which is NOT the append-only log: erasing a person deletes their row,
and from then on nothing sealed under it can be opened, in the log, the read models or any
copy of them, while the log's hash chain, which covers only ciphertext, still verifies.
"""

from __future__ import annotations

import base64
import binascii
import os
import secrets
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Column, MetaData, String, Table, delete, select
from sqlalchemy.engine import Engine

from adapters.persistence import DEFAULT_DATABASE_PATH, kept_secret, release_engine, shared_engine
from domain.personal_data import ERASED, SEALED_PREFIX, key_of

NONCE = 12
metadata = MetaData()
person_keys = Table(
    "ledger_person_keys",
    metadata,
    Column("key_id", String(32), primary_key=True),
    Column("wrapped", String(200), nullable=False),  # base64 of nonce and wrapped data key
)


def master_key(environ: Mapping[str, str] | None = None, instance: Path | None = None) -> bytes:
    """Return the master key: LEDGER_MASTER_KEY (base64 of 32 bytes), else one kept in the
    instance folder, made on first use (set LEDGER_MASTER_KEY in production)."""
    environ = os.environ if environ is None else environ
    text = environ.get("LEDGER_MASTER_KEY", "").strip()
    if not text:
        return _instance_key(instance or DEFAULT_DATABASE_PATH.parent)
    try:
        key = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != 32:
        raise ValueError("LEDGER_MASTER_KEY must be the base64 of 32 random bytes")
    return key


def _instance_key(folder: Path) -> bytes:
    made = kept_secret(
        folder / "master_key", lambda: base64.b64encode(secrets.token_bytes(32)).decode()
    )
    return base64.b64decode(made)


class KeyVault:
    """The `PersonalData` port on the ledger's database: one wrapped data key per person."""

    def __init__(
        self,
        url: str,
        master: bytes,
        engine: Engine | None = None,
        random_bytes: Callable[[int], bytes] = secrets.token_bytes,
    ) -> None:
        self.engine = engine or shared_engine(url)
        self.master = AESGCM(master)
        self.random_bytes = random_bytes  # seeded only where output must repeat (golden files)
        metadata.create_all(self.engine)

    def new_person(self) -> str:
        """Make and keep a wrapped data key for a new person; return its id."""
        key_id, key = self.random_bytes(16).hex(), self.random_bytes(32)  # a 256-bit data key
        with self.engine.begin() as conn:
            conn.execute(
                person_keys.insert().values(key_id=key_id, wrapped=self._wrap(key_id, key))
            )
        return key_id

    def seal(self, key_id: str, value: str) -> str:
        """Return `value` encrypted under the person's key ("" stays "")."""
        if not value:
            return ""
        key = self._key(key_id)
        if key is None:
            raise LookupError("The person's data key is destroyed: nothing more can be sealed")
        nonce = self.random_bytes(NONCE)
        sealed = AESGCM(key).encrypt(nonce, value.encode("utf-8"), key_id.encode())
        return f"{SEALED_PREFIX}{key_id}:{base64.b64encode(nonce + sealed).decode()}"

    def open(self, sealed: str) -> str:
        """Return the value, or `ERASED` once its key is destroyed ("" stays "")."""
        return self.open_many([sealed])[0]

    def open_many(self, sealed: Sequence[str]) -> list[str]:
        """Return each value opened, as `open` does, looking up their keys at once."""
        key_ids = [key_of(value) for value in sealed]
        keys = self._keys({k for k in key_ids if k})
        return [
            _opened(value, key_id, keys.get(key_id)) if key_id else ""
            for value, key_id in zip(sealed, key_ids, strict=True)
        ]

    def destroy(self, key_id: str) -> bool:
        """Delete the person's wrapped key; say whether there was one."""
        with self.engine.begin() as conn:
            gone = conn.execute(delete(person_keys).where(person_keys.c.key_id == key_id))
        return bool(gone.rowcount)

    def close(self) -> None:
        release_engine(self.engine)

    def _wrap(self, key_id: str, key: bytes) -> str:
        nonce = self.random_bytes(NONCE)
        return base64.b64encode(nonce + self.master.encrypt(nonce, key, key_id.encode())).decode()

    def _key(self, key_id: str) -> bytes | None:
        return self._keys({key_id}).get(key_id)

    def _keys(self, key_ids: set[str]) -> dict[str, bytes]:
        """Return the data keys of these ids that are not destroyed, unwrapped."""
        if not key_ids:
            return {}
        c = person_keys.c
        with self.engine.connect() as conn:
            rows = conn.execute(select(c.key_id, c.wrapped).where(c.key_id.in_(key_ids))).all()
        found = {}
        for key_id, wrapped in rows:
            raw = base64.b64decode(wrapped)
            try:
                found[key_id] = self.master.decrypt(raw[:NONCE], raw[NONCE:], key_id.encode())
            except InvalidTag:
                raise ValueError("A data key does not open with this master key") from None
        return found


def _opened(sealed: str, key_id: str, key: bytes | None) -> str:
    if key is None:
        return ERASED
    raw = base64.b64decode(sealed.rsplit(":", 1)[1])
    return AESGCM(key).decrypt(raw[:NONCE], raw[NONCE:], key_id.encode()).decode("utf-8")
