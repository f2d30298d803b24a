"""Account administration: each change decided and recorded in the log, then made in the store.

The log's Account events are the audit trail (who, when, why); the identity store
(adapters/identity.py) is what sign-in reads and holds the secrets and the email address. A
change is decided by the domain and recorded first, then made in the store, so nothing changes
an account without its event. Accounts in the store with no events yet (made before account
events were recorded, or by a test's shortcut) are taken into the log on their first change.
"""

from __future__ import annotations

import secrets
from collections.abc import Container
from dataclasses import dataclass
from datetime import datetime

from adapters.common_passwords import common_passwords
from adapters.identity import Account, IdentityStore
from adapters.sessions import SessionStore
from adapters.two_factor import ALPHABET, TwoFactorStore
from domain import limits
from domain import permissions as can
from domain.account import FORGOTTEN, account_id, checked_email
from domain.actors import Actor
from domain.errors import InvalidInput, NotFound
from domain.passwords import checked_password
from domain.services import Ledger
from projections.messages import checked_off


def _may_exist(username: str) -> bool:
    """Say whether a username is one an account could have (a NUL never reaches the store)."""
    return limits.USERNAME.problem(username) is None


def temporary_password() -> str:
    """Return a random password to hand over once (80 bits, in four easy-to-read groups)."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


@dataclass(frozen=True)
class AccountRow:
    """An account as administrators see it in the list."""

    account: Account
    last_sign_in: datetime | None
    two_factor: bool
    version: int

    def as_dict(self) -> dict[str, object]:
        """Return the row as plain values (the API's and the CLI's shape; `last_sign_in` stays
        a datetime)."""
        a = self.account
        return {
            "username": a.username,
            "display_name": a.display_name,
            "role": a.role,
            "organisation": a.organisation,
            "email": FORGOTTEN if a.forgotten else a.email,
            "disabled": a.disabled,
            "forgotten": a.forgotten,
            "must_change_password": a.must_change_password,
            "two_factor": self.two_factor,
            "last_sign_in": self.last_sign_in,
        }


class AccountAdmin:
    """What administrators (and each person, for their own password) do to accounts."""

    def __init__(
        self,
        ledger: Ledger,
        identity: IdentityStore,
        sessions: SessionStore,
        two_factor: TwoFactorStore | None = None,
        common: Container[str] | None = None,
    ) -> None:
        self.ledger, self.identity, self.sessions = ledger, identity, sessions
        self.two_factor = two_factor
        self.common = common if common is not None else common_passwords()

    def create(
        self,
        actor: Actor,
        username: str,
        display_name: str,
        role: str,
        organisation: str,
        email: str,
        reason: str,
    ) -> str:
        """Open an account with a temporary password, returned once to hand over."""
        can.must_be_administrator(actor, "open accounts")  # before anything about the name
        email = checked_email(email)
        if self.identity.get(username) is not None:
            raise InvalidInput(f"The username '{username}' is taken")
        opened = self.ledger.open_account(
            actor, username, display_name, role, organisation, reason, email
        )
        password = temporary_password()
        self.identity.add(
            username, display_name.strip(), role, organisation, password, email, True, opened.key_id
        )
        return password

    def change_role(
        self,
        actor: Actor,
        username: str,
        role: str,
        organisation: str,
        reason: str,
        expected_version: int | None = None,
    ) -> None:
        """Give an account another role or organisation; its sessions end (new rights)."""
        expected = self._taken_on(username, expected_version)
        self.ledger.change_account_role(actor, username, role, organisation, reason, expected)
        self.identity.set_role(username, role, organisation)
        self.sessions.end_sessions_of(username)

    def disable(
        self, actor: Actor, username: str, reason: str, expected_version: int | None = None
    ) -> None:
        """Stop an account signing in: every session of it ends, its API tokens stop working."""
        expected = self._taken_on(username, expected_version)
        self.ledger.disable_account(actor, username, reason, expected)
        self.identity.set_disabled(username, True)
        self.sessions.end_sessions_of(username)

    def enable(
        self, actor: Actor, username: str, reason: str, expected_version: int | None = None
    ) -> None:
        """Let a disabled account sign in again."""
        expected = self._taken_on(username, expected_version)
        self.ledger.enable_account(actor, username, reason, expected)
        self.identity.set_disabled(username, False)

    def reset_password(
        self, actor: Actor, username: str, reason: str, expected_version: int | None = None
    ) -> str:
        """Give a temporary password (returned once), to be changed at the next sign-in."""
        expected = self._taken_on(username, expected_version)
        self.ledger.reset_password(actor, username, reason, expected)
        password = temporary_password()
        self.identity.set_password(username, password, must_change=True)
        self.sessions.end_sessions_of(username)
        return password

    def remove_two_factor(
        self, actor: Actor, username: str, reason: str, expected_version: int | None = None
    ) -> None:
        """Remove a lost authenticator: the person sets one up again at their next sign-in."""
        expected = self._taken_on(username, expected_version)
        self.ledger.remove_two_factor(actor, username, reason, expected)
        if self.two_factor is not None:
            self.two_factor.remove(username)
        self.sessions.end_sessions_of(username)

    def erase_email(
        self, actor: Actor, username: str, reason: str, expected_version: int | None = None
    ) -> None:
        """Erase the account's email address (personal data), recording who and why."""
        expected = self._taken_on(username, expected_version)
        self.ledger.erase_account_email(actor, username, reason, expected)
        self.identity.erase_email(username)

    def forget(
        self, actor: Actor, username: str, reason: str, expected_version: int | None = None
    ) -> None:
        """Forget an account (the one way, for the CLI, the API and the page): record who, when
        and why, then destroy its data key, so its name and email read as "Erased" everywhere
        and mail not yet sent to it is withheld; it may no longer sign in."""
        expected = self._taken_on(username, expected_version)
        self.ledger.forget_account(actor, username, reason, expected)
        self.identity.forget(username)
        if self.two_factor is not None:
            self.two_factor.remove(username)
        self.sessions.end_sessions_of(username)

    def change_own_password(
        self, actor: Actor, new_password: str, keep_session: str | None = None
    ) -> int:
        """Set the person's new password; end their other sessions (return how many)."""
        checked_password(new_password, actor.user, self.common)
        self._taken_on(actor.user)
        self.ledger.note_password_changed(actor)
        self.identity.set_password(actor.user, new_password, must_change=False)
        return self.sessions.end_sessions_of(actor.user, keep=keep_session)

    def choose_emails(self, actor: Actor, off: list[str]) -> frozenset[str]:
        """Turn off these optional emails for the person (and every other one back on),
        refusing an unknown or statutory kind; return the kinds now off."""
        chosen = checked_off(off)
        self._taken_on(actor.user)
        self.ledger.choose_emails(actor, chosen)  # records an event only if they changed
        self.identity.set_emails_off(actor.user, chosen)
        return chosen

    def note_enrolled(self, actor: Actor) -> None:
        """Record that the person confirmed their authenticator."""
        self._taken_on(actor.user)
        self.ledger.note_two_factor_enrolled(actor)

    def rows(self, actor: Actor) -> list[AccountRow]:
        """Return every account with its last sign-in (for those who may see accounts)."""
        can.must_be_administrator(actor, "list accounts")
        last = self.sessions.last_sign_ins()
        return [self._row(a, last.get(a.username)) for a in self.identity.all()]

    def row(self, actor: Actor, username: str) -> AccountRow:
        """Return one account as an administrator sees it."""
        can.must_be_administrator(actor, "see accounts")
        account = self.identity.get(username) if _may_exist(username) else None
        if account is None:
            raise NotFound(f"No account has the username '{username}'")
        return self._row(account, self.sessions.last_sign_in(username))

    def _row(self, account: Account, last: datetime | None) -> AccountRow:
        enrolled = self.two_factor is not None and self.two_factor.enrolled(account.username)
        version = (
            self.ledger.account(account.username).version
            if self.ledger.exists(account_id(account.username))
            else 0
        )
        return AccountRow(account, last, enrolled, version)

    def _taken_on(self, username: str, expected_version: int | None = None) -> int | None:
        """Record an account the store has and the log does not, before its first change;
        return the version to expect (0, "not in the log yet", is then 1)."""
        if not _may_exist(username):
            raise NotFound(f"No account has the username '{username[:100]}'")
        if self.ledger.exists(account_id(username)):
            return expected_version
        account = self.identity.get(username)
        if account is None:
            raise NotFound(f"No account has the username '{username}'")
        self.ledger.take_on_account(
            account.username,
            account.display_name,
            account.role,
            account.organisation,
            account.key_id,
        )
        return 1 if expected_version == 0 else expected_version
