"""Two-factor sign-in: TOTP secrets (RFC 6238, pyotp) and single-use recovery codes.

Secrets are kept encrypted (Fernet, with a key derived from the service's secret key), never in
the event log; recovery codes are kept only as SHA-256 digests (each is 50 random bits, so a
slow hash buys nothing) and each works once. A code of a time step already used is refused,
so a code seen over someone's shoulder cannot be replayed.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime

import pyotp
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    delete,
    select,
    update,
)
from sqlalchemy.engine import Engine

from adapters.persistence import release_engine, shared_engine

ISSUER = "Inspection Ledger"
RECOVERY_CODES = 10
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
metadata = MetaData()
secrets_table = Table(
    "ledger_two_factor",
    metadata,
    Column("username", String(100), primary_key=True),
    Column("secret", Text, nullable=False),  # Fernet token
    Column("confirmed_at", DateTime(timezone=True), nullable=True),
    Column("last_step", BigInteger, nullable=False, default=0),
)
recovery = Table(
    "ledger_recovery_codes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(100), nullable=False, index=True),
    Column("code_hash", String(64), nullable=False),
    Column("used_at", DateTime(timezone=True), nullable=True),
)


def fernet_for(secret_key: str) -> Fernet:
    """Return the cipher for two-factor secrets, derived from the service's secret key."""
    key = HKDF(hashes.SHA256(), 32, salt=None, info=b"ledger two-factor secrets").derive(
        secret_key.encode("utf-8")
    )
    return Fernet(base64.urlsafe_b64encode(key))


def _normal(code: str) -> str:
    return "".join(c for c in code.lower() if c.isalnum())


def _digest(code: str) -> str:
    return hashlib.sha256(_normal(code).encode("utf-8")).hexdigest()


def new_recovery_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


class TwoFactorStore:
    """Each account's authenticator secret and recovery codes, on the application's clock."""

    def __init__(
        self,
        url: str,
        secret_key: str,
        now: Callable[[], datetime],
        engine: Engine | None = None,
    ) -> None:
        self.engine: Engine = engine or shared_engine(url)  # the identity store's, if given
        self.cipher, self.now = fernet_for(secret_key), now
        metadata.create_all(self.engine)

    def enrolled(self, username: str) -> bool:
        """Say whether the account has a confirmed authenticator."""
        row = self._row(username)
        return row is not None and row.confirmed_at is not None

    def begin(self, username: str) -> str:
        """Make a new secret for an account not yet enrolled (replacing an unconfirmed one)."""
        if self.enrolled(username):
            raise ValueError(f"{username} has two-factor sign-in already")
        secret = pyotp.random_base32()
        sealed = self.cipher.encrypt(secret.encode()).decode()
        with self.engine.begin() as conn:
            conn.execute(delete(secrets_table).where(secrets_table.c.username == username))
            conn.execute(
                secrets_table.insert().values(username=username, secret=sealed, last_step=0)
            )
        return secret

    def pending_secret(self, username: str) -> str | None:
        """Return the secret being set up (not yet confirmed), if any."""
        row = self._row(username)
        return None if row is None or row.confirmed_at is not None else self._open(row.secret)

    def provisioning_uri(self, username: str, secret: str) -> str:
        return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)

    def confirm(self, username: str, code: str) -> list[str] | None:
        """Confirm set-up with a code from the app; return new recovery codes, or None."""
        row = self._row(username)
        if row is None or row.confirmed_at is not None:
            return None
        step = self._matching_step(self._open(row.secret), code, row.last_step)
        if step is None:
            return None
        codes = [new_recovery_code() for _ in range(RECOVERY_CODES)]
        with self.engine.begin() as conn:
            conn.execute(
                update(secrets_table)
                .where(secrets_table.c.username == username)
                .values(confirmed_at=self.now(), last_step=step)
            )
            conn.execute(delete(recovery).where(recovery.c.username == username))
            conn.execute(
                recovery.insert(), [{"username": username, "code_hash": _digest(c)} for c in codes]
            )
        return codes

    def verify(self, username: str, code: str) -> bool:
        """Say whether the code signs the account in: a fresh TOTP code, or an unused
        recovery code (which is then spent)."""
        row = self._row(username)
        if row is None or row.confirmed_at is None:
            return False
        step = self._matching_step(self._open(row.secret), code, row.last_step)
        with self.engine.begin() as conn:
            if step is not None:
                moved = conn.execute(
                    update(secrets_table)
                    .where(
                        (secrets_table.c.username == username) & (secrets_table.c.last_step < step)
                    )
                    .values(last_step=step)
                )
                return bool(moved.rowcount)  # a concurrent use of the same code loses
            spent = conn.execute(
                update(recovery)
                .where(
                    (recovery.c.username == username)
                    & (recovery.c.code_hash == _digest(code))
                    & recovery.c.used_at.is_(None)
                )
                .values(used_at=self.now())
            )
            return bool(spent.rowcount)

    def recovery_codes_left(self, username: str) -> int:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(recovery.c.id).where(
                    (recovery.c.username == username) & recovery.c.used_at.is_(None)
                )
            )
            return len(rows.all())

    def remove(self, username: str) -> None:
        """Forget the account's secret and recovery codes."""
        with self.engine.begin() as conn:
            conn.execute(delete(secrets_table).where(secrets_table.c.username == username))
            conn.execute(delete(recovery).where(recovery.c.username == username))

    def _matching_step(self, secret: str, code: str, last_step: int) -> int | None:
        digits = _normal(code)
        if len(digits) != 6 or not digits.isdigit():
            return None
        totp, now = pyotp.TOTP(secret), self.now()
        step = totp.timecode(now)
        for candidate in (step, step - 1, step + 1):  # one step of clock drift either way
            if candidate > last_step and secrets.compare_digest(
                totp.generate_otp(candidate), digits
            ):
                return candidate
        return None

    def _row(self, username: str):  # type: ignore[no-untyped-def]
        with self.engine.connect() as conn:
            return conn.execute(
                select(secrets_table).where(secrets_table.c.username == username)
            ).first()

    def _open(self, sealed: str) -> str:
        try:
            return self.cipher.decrypt(sealed.encode()).decode()
        except InvalidToken:
            raise ValueError("The two-factor secret cannot be read with this secret key") from None

    def close(self) -> None:
        release_engine(self.engine)
