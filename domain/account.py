"""A staff account as the log records it: who opened, changed, disabled or reset it, and why.

The log holds the account's facts (role, organisation, whether it may sign in) and every change
to them, each naming the administrator and the reason. Secrets never enter it: password hashes,
two-factor secrets and recovery codes live in the identity store. The person's name and email
address reach the log only sealed under the account's own data key (domain/personal_data.py):
forgetting the account destroys that key, and `Forgotten` says who, when and why.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from domain import limits
from domain import permissions as can
from domain.actors import ADMIN_ORGANISATION, AGENCIES, AUDIT_ORGANISATION, Actor, Role
from domain.errors import InvalidInput, LifecycleError, PermissionDenied
from domain.events import LedgerAggregate, stable_id
from domain.personal_data import key_of

# seals the person's plain values under the account's data key: (key id, sealed values)
Sealer = Callable[[dict[str, str]], tuple[str, dict[str, str]]]
FORGOTTEN = "Erased"  # what the account's name and email read as once it is forgotten

ORGANISATION_OF_ROLE = {Role.AUDITOR: AUDIT_ORGANISATION, Role.ADMINISTRATOR: ADMIN_ORGANISATION}


def account_id(username: str) -> UUID:
    """Return the id of the account with this username (usernames never change)."""
    return stable_id("account", username.lower())


def must_fit_role(role: str, organisation: str, is_council: bool) -> None:
    """Refuse a role in an organisation it cannot belong to."""
    Actor("check", role, organisation)  # an unknown role; an inspector outside an inspectorate
    wanted = ORGANISATION_OF_ROLE.get(Role(role))
    if wanted and organisation != wanted:
        raise InvalidInput(f"A {role} belongs to {wanted}, not '{organisation}'")
    if role == Role.COUNCIL_OFFICER and not is_council:
        raise InvalidInput(f"A council officer belongs to a council; '{organisation}' is not one")
    if role not in (Role.INSPECTOR, Role.MODERATOR) and organisation in AGENCIES:
        raise InvalidInput(f"A {role.replace('_', ' ')} cannot belong to an inspectorate")


def checked_email(email: str) -> str:
    """Return a plausible email address (something@somewhere.tld), or refuse it by name."""
    limits.EMAIL.checked(email)
    local, _, domain = email.strip().rpartition("@")
    if not local or "." not in domain.strip(".") or " " in email.strip():
        raise limits.TextRefused("email", "Enter an email address like name@example.gov.uk")
    return email.strip()


class EmailsUnchanged(LifecycleError):
    """The person chose the emails they already get: there is nothing to record."""

    rule = "emails-unchanged"


def must_not_be_own(actor: Actor, username: str, doing: str) -> None:
    """An administrator cannot lock themselves out: their own account is changed by another."""
    if actor.user.lower() == username.lower():
        raise PermissionDenied(f"You may not {doing} your own account: ask another administrator")


def must_be_own(actor: Actor, username: str, doing: str) -> None:
    """Only the account's own person may do this (their password, their second factor)."""
    if actor.user.lower() != username.lower():
        raise PermissionDenied(f"Only {username} may {doing} their account")


def _sealed_under(values: dict[str, str], key_id: str) -> dict[str, str]:
    """Refuse a value not sealed under the account's key: no plain name reaches the log."""
    for field, value in values.items():
        try:
            if key_of(value) in ("", key_id):
                continue
        except ValueError:
            pass
        raise InvalidInput(f"{field} must be sealed under the account's data key")
    return values


class Account(LedgerAggregate):
    """Someone who may sign in: a username, a role in one organisation, enabled or not."""

    class Opened(LedgerAggregate.Created):
        username: str
        display_name: str  # sealed under key_id (v2); plain in v1 events
        role: str
        organisation: str
        reason: str
        key_id: str  # the account's data key (never in the log); "" in v1 events (v2)
        email: str  # sealed under key_id, or "" (v2)

        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["key_id"], state["email"] = "", ""

    def __init__(
        self,
        actor: Actor,
        username: str,
        display_name: str,
        role: str,
        organisation: str,
        reason: str,
        key_id: str,
        email: str,
    ) -> None:
        self.username, self.display_name = username, display_name
        self.role, self.organisation = role, organisation
        self.key_id, self.email = key_id, email
        self.disabled = False
        self.forgotten = False
        self.two_factor = False
        self.emails_off: frozenset[str] = frozenset()

    @classmethod
    def open(
        cls,
        actor: Actor,
        username: str,
        display_name: str,
        role: str,
        organisation: str,
        reason: str,
        is_council: bool,
        seal: Sealer,
        email: str = "",
    ) -> Account:
        """Open an account (an administrator, giving a reason). Every input is checked in plain
        text first; only then are the name and email sealed (`seal`) for the event."""
        can.must_be_administrator(actor, "open accounts")
        limits.USERNAME.checked(username)
        limits.DISPLAY_NAME.checked(display_name)
        limits.ACCOUNT_REASON.checked(reason)
        if not username.strip() or username != username.strip() or " " in username:
            raise InvalidInput("A username is one word, with no spaces")
        must_fit_role(role, organisation, is_council)
        email = checked_email(email) if email else ""
        plain = {"display_name": display_name.strip(), "email": email}
        key_id, sealed = seal(plain)
        return cls._create(
            cls.Opened,
            id=account_id(username),
            actor=actor,
            username=username,
            role=role,
            organisation=organisation,
            reason=reason.strip(),
            key_id=key_id,
            **_sealed_under(sealed, key_id),
        )

    class RoleChanged(LedgerAggregate.Event):
        role: str
        organisation: str
        reason: str

        def apply(self, account: Account) -> None:
            account.role, account.organisation = self.role, self.organisation

    def change_role(
        self, actor: Actor, role: str, organisation: str, reason: str, is_council: bool
    ) -> None:
        """Give the account another role or organisation."""
        self._administered(actor, "change the role of", reason)
        must_fit_role(role, organisation, is_council)
        if (role, organisation) == (self.role, self.organisation):
            raise InvalidInput(f"{self.username} is already a {role} at {organisation}")
        self.trigger_event(
            self.RoleChanged,
            actor=actor,
            role=role,
            organisation=organisation,
            reason=reason.strip(),
        )

    class Disabled(LedgerAggregate.Event):
        reason: str

        def apply(self, account: Account) -> None:
            account.disabled = True

    def disable(self, actor: Actor, reason: str) -> None:
        """Stop the account signing in (its sessions and tokens end with it)."""
        self._administered(actor, "disable", reason)
        if self.disabled:
            raise LifecycleError(f"{self.username} is already disabled")
        self.trigger_event(self.Disabled, actor=actor, reason=reason.strip())

    class Enabled(LedgerAggregate.Event):
        reason: str

        def apply(self, account: Account) -> None:
            account.disabled = False

    def enable(self, actor: Actor, reason: str) -> None:
        """Let a disabled account sign in again."""
        self._administered(actor, "enable", reason)
        if self.forgotten:
            raise LifecycleError(f"{self.username} is forgotten: it cannot be enabled again")
        if not self.disabled:
            raise LifecycleError(f"{self.username} is not disabled")
        self.trigger_event(self.Enabled, actor=actor, reason=reason.strip())

    class PasswordReset(LedgerAggregate.Event):
        reason: str

    def reset_password(self, actor: Actor, reason: str) -> None:
        """Give a temporary password, to be changed at the next sign-in."""
        self._administered(actor, "reset the password of", reason)
        if self.disabled:
            raise LifecycleError(f"{self.username} is disabled: enable it first")
        self.trigger_event(self.PasswordReset, actor=actor, reason=reason.strip())

    class PasswordChanged(LedgerAggregate.Event):
        pass

    def change_password(self, actor: Actor) -> None:
        """Record that the account's own person chose a new password."""
        must_be_own(actor, self.username, "change the password of")
        self.trigger_event(self.PasswordChanged, actor=actor)

    class TwoFactorEnrolled(LedgerAggregate.Event):
        def apply(self, account: Account) -> None:
            account.two_factor = True

    def enrol_two_factor(self, actor: Actor) -> None:
        """Record that the account's own person set up an authenticator app."""
        must_be_own(actor, self.username, "set up two-factor sign-in for")
        self.trigger_event(self.TwoFactorEnrolled, actor=actor)

    class TwoFactorRemoved(LedgerAggregate.Event):
        reason: str

        def apply(self, account: Account) -> None:
            account.two_factor = False

    def remove_two_factor(self, actor: Actor, reason: str) -> None:
        """Remove the second factor (a lost phone): the person sets it up again at sign-in."""
        self._administered(actor, "remove two-factor sign-in from", reason)
        if not self.two_factor:
            raise LifecycleError(f"{self.username} has no two-factor sign-in set up")
        self.trigger_event(self.TwoFactorRemoved, actor=actor, reason=reason.strip())

    class EmailErased(LedgerAggregate.Event):
        reason: str

    def erase_email(self, actor: Actor, reason: str) -> None:
        """Record that the account's email address was erased (the address was never logged)."""
        self._administered(actor, "erase the email address of", reason)
        self.trigger_event(self.EmailErased, actor=actor, reason=reason.strip())

    class Forgotten(LedgerAggregate.Event):
        reason: str

        def apply(self, account: Account) -> None:
            account.forgotten = account.disabled = True

    def forget(self, actor: Actor, reason: str) -> None:
        """Record that the account is forgotten: it may no longer sign in, and its data key is
        destroyed (by the caller, after this is recorded) so its name and email read as
        erased everywhere. Forgetting again records nothing more (the key is destroyed again)."""
        self._administered(actor, "forget", reason)
        if not self.forgotten:
            self.trigger_event(self.Forgotten, actor=actor, reason=reason.strip())

    class EmailsChosen(LedgerAggregate.Event):
        off: list[str]  # the kinds of optional email the person turned off (sorted)

        def apply(self, account: Account) -> None:
            account.emails_off = frozenset(self.off)

    def choose_emails(self, actor: Actor, off: frozenset[str]) -> None:
        """Record which optional emails the account's own person turned off (the kinds are
        checked by the caller against the messages the ledger sends); refuse the choice the
        account already has, so that nothing is recorded for it."""
        must_be_own(actor, self.username, "choose the emails of")
        if off == self.emails_off:
            raise EmailsUnchanged(f"{self.username} has chosen these emails already")
        self.trigger_event(self.EmailsChosen, actor=actor, off=sorted(off))

    def _administered(self, actor: Actor, doing: str, reason: str) -> None:
        can.must_be_administrator(actor, f"{doing} accounts")
        must_not_be_own(actor, self.username, doing)
        limits.ACCOUNT_REASON.checked(reason)
