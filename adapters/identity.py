"""Staff accounts: who may sign in, in which role and organisation, with a hashed password.

This table is what sign-in reads; the log's Account events (domain/account.py) record every
change to it, naming who and why (adapters/account_admin.py makes both). The email address
lives only here, so that erasing it (`erase_email`) leaves nothing of it anywhere.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    MetaData,
    String,
    Table,
    Text,
    select,
    text,
    update,
)
from sqlalchemy.engine import Engine
from werkzeug.security import check_password_hash, generate_password_hash

from adapters.persistence import add_missing_columns, release_engine, shared_engine
from domain.actors import ACCOUNT_ROLES, Actor
from domain.errors import InvalidInput, NotFound

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
    Column("email", String(254), nullable=True),
    Column("disabled_at", DateTime(timezone=True), nullable=True),
    Column("must_change_password", Boolean, nullable=False, server_default=text("false")),
    Column("emails_off", Text, nullable=True),  # the optional emails turned off, space-separated
)
ADDED_COLUMNS = {  # columns later versions added: made on opening a table made before them
    "email": "VARCHAR(254)",
    "disabled_at": "TIMESTAMP",
    "must_change_password": "BOOLEAN NOT NULL DEFAULT false",
    "emails_off": "TEXT",
}


# The store's own floor, for accounts made directly (tests, benchmarks); every password a person
# is given or chooses passes domain/passwords.py first (12 characters, not a common one).
STORE_MINIMUM = 8

# Checked when no account has the username, so that an unknown name costs what a wrong
# password costs (the same method and parameters as every stored hash): no enumeration by time.
DUMMY_HASH = generate_password_hash(secrets.token_urlsafe(16))


@dataclass(frozen=True)
class Account:
    username: str
    display_name: str
    role: str
    organisation: str
    email: str | None = None
    disabled: bool = False
    must_change_password: bool = False
    emails_off: frozenset[str] = frozenset()  # the optional emails the person turned off

    @property
    def actor(self) -> Actor:
        return Actor(self.username, self.role, self.organisation)


def _account(row: object) -> Account:
    r = row._mapping  # type: ignore[attr-defined]
    return Account(
        r["username"],
        r["display_name"],
        r["role"],
        r["organisation"],
        r["email"],
        r["disabled_at"] is not None,
        bool(r["must_change_password"]),
        frozenset((r["emails_off"] or "").split()),
    )


class IdentityStore:
    """Accounts kept in the ledger's database, beside (not inside) the event log."""

    def __init__(self, url: str) -> None:
        self.engine: Engine = shared_engine(url)
        metadata.create_all(self.engine)
        self._add_missing_columns()

    def _add_missing_columns(self) -> None:
        with self.engine.begin() as conn:
            add_missing_columns(conn, users.name, ADDED_COLUMNS)

    def add(
        self,
        username: str,
        display_name: str,
        role: str,
        organisation: str,
        password: str,
        email: str | None = None,
        must_change_password: bool = False,
    ) -> Account:
        """Create an account, or refuse a username already taken."""
        Actor(username, role, organisation)  # refuses an unknown role or a misplaced one
        if role not in ACCOUNT_ROLES:
            raise InvalidInput(f"No account may have the role '{role}'")
        if len(password) < STORE_MINIMUM:
            raise InvalidInput(f"A password needs at least {STORE_MINIMUM} characters")
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
                    email=email,
                    must_change_password=must_change_password,
                )
            )
        return Account(
            username, display_name, role, organisation, email, False, must_change_password
        )

    def get(self, username: str) -> Account | None:
        """Return the account with this username, if there is one."""
        with self.engine.connect() as conn:
            row = conn.execute(select(users).where(users.c.username == username)).first()
        return None if row is None else _account(row)

    def authenticate(self, username: str, password: str) -> Account | None:
        """Return the account if the password is right and it may sign in, else None."""
        with self.engine.connect() as conn:
            row = conn.execute(select(users).where(users.c.username == username)).first()
        stored = DUMMY_HASH if row is None else row.password_hash
        if not check_password_hash(stored, password) or row is None:
            return None
        account = _account(row)
        return None if account.disabled else account

    def all(self) -> list[Account]:
        """Return every account, by organisation then username."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(users).order_by(users.c.organisation, users.c.username))
            return [_account(r) for r in rows]

    def set_password(self, username: str, password: str, must_change: bool) -> None:
        """Store a new password's hash (a temporary one must be changed at the next sign-in)."""
        self._update(
            username,
            password_hash=generate_password_hash(password),
            must_change_password=must_change,
        )

    def set_role(self, username: str, role: str, organisation: str) -> None:
        self._update(username, role=role, organisation=organisation)

    def set_disabled(self, username: str, disabled: bool) -> None:
        self._update(username, disabled_at=datetime.now(UTC) if disabled else None)

    def set_emails_off(self, username: str, off: frozenset[str]) -> None:
        """Keep the optional emails the person turned off (the log's EmailsChosen records it)."""
        self._update(username, emails_off=" ".join(sorted(off)) or None)

    def erase_email(self, username: str) -> None:
        """Erase the account's email address (personal data kept only as long as needed)."""
        self._update(username, email=None)

    def _update(self, username: str, **values: object) -> None:
        with self.engine.begin() as conn:
            done = conn.execute(update(users).where(users.c.username == username).values(**values))
        if not done.rowcount:
            raise NotFound(f"No account has the username '{username}'")

    def close(self) -> None:
        release_engine(self.engine)
