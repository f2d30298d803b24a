"""Staff accounts: who may sign in, in which role and organisation, with a hashed password."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Column, DateTime, MetaData, String, Table, create_engine, select
from sqlalchemy.engine import Engine
from werkzeug.security import check_password_hash, generate_password_hash

from domain.actors import Actor
from domain.errors import InvalidInput

metadata = MetaData()
users = Table(
    "ledger_users",
    metadata,
    Column("username", String(100), primary_key=True),
    Column("display_name", String(200), nullable=False),
    Column("role", String(40), nullable=False),
    Column("organisation", String(40), nullable=False),
    Column("password_hash", String(300), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)


# Checked when no account has the username, so that an unknown name costs what a wrong
# password costs (the same method and parameters as every stored hash): no enumeration by time.
DUMMY_HASH = generate_password_hash(secrets.token_urlsafe(16))


@dataclass(frozen=True)
class Account:
    username: str
    display_name: str
    role: str
    organisation: str

    @property
    def actor(self) -> Actor:
        return Actor(self.username, self.role, self.organisation)


class IdentityStore:
    """Accounts kept in the ledger's database, beside (not inside) the event log."""

    def __init__(self, url: str) -> None:
        self.engine: Engine = create_engine(url)
        metadata.create_all(self.engine)

    def add(
        self, username: str, display_name: str, role: str, organisation: str, password: str
    ) -> Account:
        """Create an account, or refuse a username already taken."""
        Actor(username, role, organisation)  # refuses an unknown role or a misplaced one
        if len(password) < 8:
            raise InvalidInput("A password needs at least 8 characters")
        if self.get(username) is not None:
            raise InvalidInput(f"The username '{username}' is taken")
        with self.engine.begin() as conn:
            conn.execute(
                users.insert().values(
                    username=username,
                    display_name=display_name,
                    role=role,
                    organisation=organisation,
                    password_hash=generate_password_hash(password),
                    created_at=datetime.now(UTC),
                )
            )
        return Account(username, display_name, role, organisation)

    def get(self, username: str) -> Account | None:
        """Return the account with this username, if there is one."""
        with self.engine.connect() as conn:
            row = conn.execute(select(users).where(users.c.username == username)).first()
        return (
            None
            if row is None
            else Account(row.username, row.display_name, row.role, row.organisation)
        )

    def authenticate(self, username: str, password: str) -> Account | None:
        """Return the account if the password is right, else None."""
        with self.engine.connect() as conn:
            row = conn.execute(select(users).where(users.c.username == username)).first()
        stored = DUMMY_HASH if row is None else row.password_hash
        if not check_password_hash(stored, password) or row is None:
            return None
        return Account(row.username, row.display_name, row.role, row.organisation)

    def all(self) -> list[Account]:
        """Return every account, by organisation then username."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(users).order_by(users.c.organisation, users.c.username))
            return [Account(r.username, r.display_name, r.role, r.organisation) for r in rows]

    def close(self) -> None:
        self.engine.dispose()
