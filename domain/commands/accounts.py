"""Commands on staff accounts: each decided by the Account aggregate and recorded in the log."""

from __future__ import annotations

from contextlib import AbstractContextManager

from domain import permissions as can
from domain.account import Account, EmailsUnchanged, account_id
from domain.actors import Actor
from domain.council import council_id
from domain.errors import InvalidInput, NotFound
from domain.store import Store
from domain.unit_of_work import command

TAKE_ON = Actor("account-store", "administrator", "LEDGER")
TAKE_ON_REASON = "Opened before account changes were recorded in the log"


class AccountCommands(Store):
    """Open, change, disable, enable and reset accounts; note passwords and second factors."""

    def open_account(
        self,
        actor: Actor,
        username: str,
        display_name: str,
        role: str,
        organisation: str,
        reason: str,
    ) -> Account:
        """Open an account, refusing a username already taken."""
        can.must_be_administrator(actor, "open accounts")  # deny first, then look at the name
        if self.exists(account_id(username)):
            raise InvalidInput(f"The username '{username}' is taken")
        account = Account.open(
            actor,
            username,
            display_name,
            role,
            organisation,
            reason,
            self._is_council(organisation),
        )
        self._save(account)
        return account

    def take_on_account(
        self, username: str, display_name: str, role: str, organisation: str
    ) -> None:
        """Record an account that exists in the identity store but not yet in the log."""
        if not self.exists(account_id(username)):
            opened = Account.open(
                TAKE_ON, username, display_name, role, organisation, TAKE_ON_REASON, True
            )
            self._save(opened)

    @command
    def change_account_role(
        self,
        actor: Actor,
        username: str,
        role: str,
        organisation: str,
        reason: str,
        expected_version: int | None = None,
    ) -> Account:
        """Give an account another role or organisation."""
        with self._account(actor, username, expected_version) as account:
            account.change_role(actor, role, organisation, reason, self._is_council(organisation))
        return account

    @command
    def disable_account(
        self, actor: Actor, username: str, reason: str, expected_version: int | None = None
    ) -> Account:
        """Stop an account signing in."""
        with self._account(actor, username, expected_version) as account:
            account.disable(actor, reason)
        return account

    @command
    def enable_account(
        self, actor: Actor, username: str, reason: str, expected_version: int | None = None
    ) -> Account:
        """Let a disabled account sign in again."""
        with self._account(actor, username, expected_version) as account:
            account.enable(actor, reason)
        return account

    @command
    def reset_password(
        self, actor: Actor, username: str, reason: str, expected_version: int | None = None
    ) -> Account:
        """Record a password reset by an administrator."""
        with self._account(actor, username, expected_version) as account:
            account.reset_password(actor, reason)
        return account

    @command
    def remove_two_factor(
        self, actor: Actor, username: str, reason: str, expected_version: int | None = None
    ) -> Account:
        """Record that an administrator removed an account's second factor."""
        with self._account(actor, username, expected_version) as account:
            account.remove_two_factor(actor, reason)
        return account

    @command
    def erase_account_email(
        self, actor: Actor, username: str, reason: str, expected_version: int | None = None
    ) -> Account:
        """Record that an account's email address was erased."""
        with self._account(actor, username, expected_version) as account:
            account.erase_email(actor, reason)
        return account

    @command
    def note_password_changed(self, actor: Actor) -> None:
        """Record that the signed-in person chose a new password."""
        with self._account(actor, actor.user, None) as account:
            account.change_password(actor)

    @command
    def note_two_factor_enrolled(self, actor: Actor) -> None:
        """Record that the signed-in person set up two-factor sign-in."""
        with self._account(actor, actor.user, None) as account:
            account.enrol_two_factor(actor)

    def choose_emails(self, actor: Actor, off: frozenset[str]) -> bool:
        """Record which optional emails the signed-in person turned off; say whether that
        changed anything (the same choice again records nothing)."""
        try:
            self._choose_emails(actor, off)
        except EmailsUnchanged:  # decided on the log's own state, not only the cache's
            return False
        return True

    @command
    def _choose_emails(self, actor: Actor, off: frozenset[str]) -> None:
        with self._account(actor, actor.user, None) as account:
            account.choose_emails(actor, off)

    def account(self, username: str) -> Account:
        """Return the account as the log has it, or refuse an unknown username."""
        if not self.exists(account_id(username)):
            raise NotFound(f"No account has the username '{username}'")
        return self._get(Account, account_id(username))

    def _account(
        self, actor: Actor, username: str, expected_version: int | None
    ) -> AbstractContextManager[Account]:
        self.account(username)  # an unknown username: NotFound, before any rule
        return self._changing(Account, account_id(username), expected_version, actor)

    def _is_council(self, organisation: str) -> bool:
        return self.exists(council_id(organisation))
