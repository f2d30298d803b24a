"""Staff accounts: who may sign in, in which role and organisation, with a hashed password.

This table is what sign-in reads; the log's Account events (domain/account.py) record every
change to it, naming who and why (adapters/account_admin.py makes both). The person's name and
email address are kept here only sealed under the account's data key (`key_id`, the key the
log's events are sealed under too, adapters/personal_data.py) and opened as they are read:
forgetting the account (`forget`) destroys the key, and both read as "Erased" from then on.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

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
from sqlalchemy.engine import Engine, Row
from werkzeug.security import check_password_hash, generate_password_hash

from adapters.persistence import add_missing_columns, is_postgres, release_engine, shared_engine
from adapters.personal_data import KeyVault, master_key
from domain.account import FORGOTTEN
from domain.actors import ACCOUNT_ROLES, Actor
from domain.errors import InvalidInput, NotFound
from domain.personal_data import ERASED, SEALED_PREFIX, PersonalData

metadata = MetaData()
users = Table(
    "ledger_users",
    metadata,
    Column("username", String(100), primary_key=True),
    Column("display_name", Text, nullable=False),  # sealed under key_id
    Column("role", String(40), nullable=False),
    Column("organisation", String(40), nullable=False),
    Column("password_hash", String(300), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("email", Text, nullable=True),  # sealed under key_id
    Column("disabled_at", DateTime(timezone=True), nullable=True),
    Column("must_change_password", Boolean, nullable=False, server_default=text("false")),
    Column("emails_off", Text, nullable=True),  # the optional emails turned off, space-separated
    Column("key_id", String(32), nullable=True),  # the account's data key
    Column("forgotten_at", DateTime(timezone=True), nullable=True),
)
ADDED_COLUMNS = {  # columns later versions added: made on opening a table made before them
    "email": "VARCHAR(254)",
    "disabled_at": "TIMESTAMP",
    "must_change_password": "BOOLEAN NOT NULL DEFAULT false",
    "emails_off": "TEXT",
    "key_id": "VARCHAR(32)",
    "forgotten_at": "TIMESTAMP",
}
WIDENED = ("display_name", "email")  # VARCHAR(200) and (254) before they held sealed values


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
    key_id: str = ""  # the account's data key
    forgotten: bool = False  # its key destroyed: name and email read as "Erased"

    @property
    def actor(self) -> Actor:
        return Actor(self.username, self.role, self.organisation)


class IdentityStore:
    """Accounts kept in the ledger's database, beside (not inside) the event log."""

    def __init__(self, url: str, vault: PersonalData | None = None) -> None:
        self.engine: Engine = shared_engine(url)
        metadata.create_all(self.engine)
        self._add_missing_columns()
        self.vault = vault or KeyVault(url, master_key(), self.engine)
        self._seal_plain_rows()

    def _add_missing_columns(self) -> None:
        with self.engine.begin() as conn:
            add_missing_columns(conn, users.name, ADDED_COLUMNS)
            if is_postgres(str(self.engine.url)):
                found = text(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = :t"
                    " AND character_maximum_length IS NOT NULL AND column_name IN ('display_name',"
                    " 'email')"
                )
                for name in conn.execute(found, {"t": users.name}).scalars():
                    conn.execute(text(f"ALTER TABLE {users.name} ALTER COLUMN {name} TYPE TEXT"))

    def _seal_plain_rows(self) -> None:
        """Seal the names and emails of accounts made before they were sealed, each under a
        new data key of its own (once: a row with a key is sealed)."""
        with self.engine.begin() as conn:
            plain = conn.execute(
                select(users.c.username, users.c.display_name, users.c.email).where(
                    users.c.key_id.is_(None)
                )
            ).all()
            for username, name, email in plain:
                key_id = self.vault.new_person()
                conn.execute(
                    update(users)
                    .where(users.c.username == username)
                    .values(key_id=key_id, **self._sealed(key_id, name, email))
                )

    def _sealed(self, key_id: str, display_name: str, email: str | None) -> dict[str, object]:
        seal = self.vault.seal
        sealed_email = seal(key_id, email or "") or None
        return {"display_name": seal(key_id, display_name), "email": sealed_email}

    def _accounts(self, rows: Sequence[Row[Any]]) -> list[Account]:
        """Return the accounts of these rows, their names and emails opened (with one look-up
        of their keys); a forgotten one's read as "Erased"."""
        values = [v or "" for r in rows for v in (r.display_name, r.email)]
        opened = iter(self.vault.open_many(values))
        found = []
        for r in rows:
            name, email = next(opened), next(opened)
            forgotten = r.forgotten_at is not None or name == ERASED
            found.append(
                Account(
                    r.username,
                    FORGOTTEN if forgotten else name,
                    r.role,
                    r.organisation,
                    None if forgotten else email or None,
                    r.disabled_at is not None,
                    bool(r.must_change_password),
                    frozenset((r.emails_off or "").split()),
                    r.key_id or "",
                    forgotten,
                )
            )
        return found

    def seal(self, account: Account, value: str) -> str:
        """Return a value of the account's person (their address, as sent to) sealed under the
        account's key."""
        return self.vault.seal(account.key_id, value)

    def open_all(self, values: Sequence[str | None]) -> list[str]:
        """Return values sealed by `seal` opened ("erased" once their key is destroyed), with
        one look-up of their keys; one kept before values were sealed is returned as it is."""
        sealed = [v if v and v.startswith(SEALED_PREFIX) else "" for v in values]
        opened = self.vault.open_many(sealed)
        return [o if s else v or "" for o, s, v in zip(opened, sealed, values, strict=True)]

    def add(
        self,
        username: str,
        display_name: str,
        role: str,
        organisation: str,
        password: str,
        email: str | None = None,
        must_change_password: bool = False,
        key_id: str = "",
    ) -> Account:
        """Create an account, or refuse a username already taken; its name and email sealed
        under `key_id` (the key its Opened event is sealed under), else a new data key."""
        Actor(username, role, organisation)  # refuses an unknown role or a misplaced one
        if role not in ACCOUNT_ROLES:
            raise InvalidInput(f"No account may have the role '{role}'")
        if len(password) < STORE_MINIMUM:
            raise InvalidInput(f"A password needs at least {STORE_MINIMUM} characters")
        if self.get(username) is not None:
            raise InvalidInput(f"The username '{username}' is taken")
        key_id = key_id or self.vault.new_person()
        with self.engine.begin() as conn:
            conn.execute(
                users.insert().values(
                    username=username,
                    role=role,
                    organisation=organisation,
                    password_hash=generate_password_hash(password),
                    created_at=datetime.now(UTC),
                    must_change_password=must_change_password,
                    key_id=key_id,
                    **self._sealed(key_id, display_name, email),
                )
            )
        return Account(
            username,
            display_name,
            role,
            organisation,
            email,
            False,
            must_change_password,
            key_id=key_id,
        )

    def get(self, username: str) -> Account | None:
        """Return the account with this username, if there is one."""
        with self.engine.connect() as conn:
            row = conn.execute(select(users).where(users.c.username == username)).first()
        return None if row is None else self._accounts([row])[0]

    def authenticate(self, username: str, password: str) -> Account | None:
        """Return the account if the password is right and it may sign in, else None."""
        with self.engine.connect() as conn:
            row = conn.execute(select(users).where(users.c.username == username)).first()
        stored = DUMMY_HASH if row is None else row.password_hash
        if not check_password_hash(stored, password) or row is None:
            return None
        account = self._accounts([row])[0]
        return None if account.disabled else account

    def all(self) -> list[Account]:
        """Return every account, by organisation then username."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(users).order_by(users.c.organisation, users.c.username))
            found = rows.all()
        return self._accounts(found)

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

    def forget(self, username: str) -> None:
        """Forget the account: it may not sign in, and its data key is destroyed, so its name
        and email (here, in the log and in the outbox) can no longer be opened."""
        account = self.get(username)
        if account is None:
            raise NotFound(f"No account has the username '{username}'")
        now = datetime.now(UTC)
        self._update(username, forgotten_at=now, disabled_at=now)
        if account.key_id:
            self.vault.destroy(account.key_id)

    def _update(self, username: str, **values: object) -> None:
        with self.engine.begin() as conn:
            done = conn.execute(update(users).where(users.c.username == username).values(**values))
        if not done.rowcount:
            raise NotFound(f"No account has the username '{username}'")

    def close(self) -> None:
        release_engine(self.engine)
