"""API tokens: one per organisation and user, kept only as a SHA-256 hash, revocable."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, DateTime, MetaData, String, Table, bindparam, select, update
from sqlalchemy.engine import Engine, Row

from adapters.identity import Account, IdentityStore, users
from adapters.persistence import release_engine, shared_engine, single_statements
from domain.errors import InvalidInput, NotFound

TOKEN_PREFIX = "ledger_"
metadata = MetaData()
tokens = Table(
    "ledger_api_tokens",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("username", String(100), nullable=False, index=True),
    Column("organisation", String(40), nullable=False),
    Column("label", String(200), nullable=False, default=""),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
)


@dataclass(frozen=True)
class TokenRecord:
    id: str
    username: str
    organisation: str
    label: str
    created_at: datetime
    revoked_at: datetime | None


def token_hash(token: str) -> str:
    """Return the stored form of a token: its SHA-256 digest in hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class TokenStore:
    """API tokens in the ledger's database, beside the staff accounts they belong to."""

    def __init__(self, url: str, identity: IdentityStore) -> None:
        self.engine: Engine = shared_engine(url)
        self.identity = identity
        metadata.create_all(self.engine)

    def create(self, username: str, label: str = "") -> tuple[TokenRecord, str]:
        """Issue a token for an account; return its record and the token (shown only once)."""
        account = self.identity.get(username)
        if account is None:
            raise NotFound(f"No account is called '{username}'")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        record = TokenRecord(
            secrets.token_hex(8), username, account.organisation, label, datetime.now(UTC), None
        )
        with self.engine.begin() as conn:
            conn.execute(
                tokens.insert().values(
                    id=record.id,
                    username=username,
                    organisation=record.organisation,
                    label=label,
                    token_hash=token_hash(token),
                    created_at=record.created_at,
                )
            )
        return record, token

    def all(self) -> list[TokenRecord]:
        """Return every token ever issued, newest first."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(tokens).order_by(tokens.c.created_at.desc())).all()
        return [_record(r) for r in rows]

    def revoke(self, token_id: str) -> TokenRecord:
        """Revoke a token by its id; it stops working at once."""
        with self.engine.begin() as conn:
            changed = conn.execute(
                update(tokens)
                .where((tokens.c.id == token_id) & tokens.c.revoked_at.is_(None))
                .values(revoked_at=datetime.now(UTC))
            ).rowcount
            row = conn.execute(select(tokens).where(tokens.c.id == token_id)).first()
        if row is None:
            raise NotFound(f"No token has the id '{token_id}'")
        if not changed:
            raise InvalidInput(f"Token {token_id} was already revoked")
        return _record(row)

    def account_for(self, token: str) -> Account | None:
        """Return the account a live token belongs to, if it still belongs to its organisation."""
        with single_statements(self.engine) as conn:  # one round trip: on every API write
            row = conn.execute(ACCOUNT, {"digest": token_hash(token)}).first()
        if row is None:
            return None
        return Account(row.username, "", row.role, row.organisation)  # its actor: no name needed

    def close(self) -> None:
        release_engine(self.engine)


# The account (username, role, organisation) a live token belongs to, if it still
# belongs to the token's organisation; no row otherwise. Built once: it runs on every API request.
ACCOUNT = (
    select(users.c.username, users.c.role, users.c.organisation)
    .join_from(tokens, users, users.c.username == tokens.c.username)
    .where(
        (tokens.c.token_hash == bindparam("digest"))
        & tokens.c.revoked_at.is_(None)
        & users.c.disabled_at.is_(None)
        & (users.c.organisation == tokens.c.organisation)
    )
)


def _record(row: Row[Any]) -> TokenRecord:
    values = row._mapping
    return TokenRecord(**{name: values[name] for name in TokenRecord.__dataclass_fields__})
