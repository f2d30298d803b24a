"""Commands on staff accounts: each decided by the Account aggregate and recorded in the log."""

from __future__ import annotations

from contextlib import AbstractContextManager

from domain import permissions as can
from domain.account import Account, EmailsUnchanged, Sealer, account_id
from domain.actors import Actor
from domain.council import council_id
from domain.errors import InvalidInput, NotFound
from domain.store import Store
from domain.unit_of_work import command

TAKE_ON = Actor("account-store", "administrator", "LEDGER")
TAKE_ON_REASON = "Opened before account changes were recorded in the log"


class AccountCommands(Store):
    """Open, change, disable, enable, reset and forget accounts; note passwords and second
    factors. The person's name and email are sealed under the account's data key
    (`personal_data`, wired by the bootstrap) before any event is made."""

    def open_account(
        self,
        actor: Actor,
        username: str,
        display_name: str,
        role: str,
        organisation: str,
        reason: str,
        email: str = "",
        key_id: str = "",
    ) -> Account:
        """Open an account, refusing a username already taken; its name and email sealed
        under a new data key (or `key_id`, the identity store's key of the account)."""
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
            self._sealer(key_id),
            email,
        )
        self._save(account)
        return account

    def take_on_account(
        self, username: str, display_name: str, role: str, organisation: str, key_id: str = ""
    ) -> None:
        """Record an account that exists in the identity store but not yet in the log (its
        name sealed under the store's key of it)."""
        if not self.exists(account_id(username)):
            opened = Account.open(
                TAKE_ON,
                username,
                display_name,
                role,
                organisation,
                TAKE_ON_REASON,
                True,
                self._sealer(key_id),
            )
            self._save(opened)

    def _sealer(self, key_id: str) -> Sealer:
        def seal(values: dict[str, str]) -> tuple[str, dict[str, str]]:
            vault = self._vault()
            key = key_id or vault.new_person()
            return key, {field: vault.seal(key, value) for field, value in values.items()}

        return seal

    @command
    def forget_account(
        self, actor: Actor, username: str, reason: str, expected_version: int | None = None
    ) -> Account:
        """Record that an account is forgotten (and disabled), then destroy its data key (done
        again if a first attempt recorded the event but failed to destroy the key)."""
        account = self.account(username)
        if account.forgotten:
            account.forget(actor, reason)  # who may, and why; then nothing more to record
        else:
            with self._account(actor, username, expected_version) as account:
                account.forget(actor, reason)
        if account.key_id:
            self._vault().destroy(account.key_id)
        return account

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
