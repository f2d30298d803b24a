"""Staff accounts, for administrators: list, create, change role, disable, enable, reset,
forget.

Every change is decided by the domain (only an administrator, never on their own account) and
recorded in the log with the reason given. A temporary password is in the answer that made it
and nowhere else: a replay of that request (same Idempotency-Key) answers without it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from flask import current_app, g
from marshmallow import Schema, fields

from adapters.account_admin import AccountAdmin, AccountRow
from web.api import schemas
from web.api.auth import actor
from web.api.operations import answer, blueprint, reads, writes
from web.api.pagination import PageArgs, page, page_schema
from web.api.preconditions import expected_version
from web.api.representations import Moment, maybe

bp = blueprint("staff-accounts", "Staff accounts (administrators only)")
Str = fields.String
SECRET = "temporary_password"


class AccountOut(Schema):
    username, display_name, role, organisation = Str(), Str(), Str(), Str()
    email = maybe(Str)
    disabled, must_change_password, two_factor, forgotten = (
        fields.Boolean(),
        fields.Boolean(),
        fields.Boolean(),
        fields.Boolean(),
    )
    last_sign_in = maybe(Moment)


class AccountWithPassword(AccountOut):
    temporary_password = Str(
        metadata={
            "description": "Shown in this answer only (a replay of the request leaves it out): "
            "hand it over; it must be changed at the next sign-in"
        }
    )


def admin() -> AccountAdmin:
    return cast(AccountAdmin, current_app.extensions["account_admin"])


def shown(row: AccountRow) -> dict[str, Any]:
    return row.as_dict()


def current(username: str, status: int = 200, **extra: Any) -> Any:
    """Answer with the account as it stands now; its ETag is its version in the log."""
    row = admin().row(actor(), username)
    return answer(shown(row) | extra, row.version, status, f"/accounts/{username}")


def with_password(username: str, password: str, status: int = 200) -> Any:
    g.idempotency_secret_fields = (SECRET,)  # never kept for a replay
    return current(username, status, temporary_password=password)


@bp.route("/accounts", methods=["GET"])
@reads(bp, page_schema(AccountOut, "AccountPage"), query=PageArgs)
def list_accounts(args: dict[str, Any]) -> Any:
    """List every account with its role, state and last sign-in."""
    return page([shown(r) for r in admin().rows(actor())], args)


@bp.route("/accounts/<username>", methods=["GET"])
@reads(bp, AccountOut, versioned=True)
def get_account(username: str) -> Any:
    """Return one account; the ETag is its version in the log."""
    return current(username)


@bp.route("/accounts", methods=["POST"])
@writes(bp, AccountWithPassword, schemas.CreateAccount, status=201, if_match=False)
def create_account(body: dict[str, Any]) -> Any:
    """Create an account with a temporary password (in this answer only)."""
    password = admin().create(
        actor(),
        body["username"],
        body["display_name"],
        body["role"],
        body["organisation"],
        body["email"],
        body["reason"],
    )
    return with_password(body["username"], password, 201)


@bp.route("/accounts/<username>/role", methods=["POST"])
@writes(bp, AccountOut, schemas.ChangeAccountRole)
def change_role(body: dict[str, Any], username: str) -> Any:
    """Give the account another role or organisation; its sessions end."""
    admin().change_role(
        actor(), username, body["role"], body["organisation"], body["reason"], expected_version()
    )
    return current(username)


def _reasoned(name: str, method: Callable[[AccountAdmin], Callable[..., Any]], doc: str) -> None:
    def view(body: dict[str, Any], username: str) -> Any:
        method(admin())(actor(), username, body["reason"], expected_version())
        return current(username)

    view.__name__, view.__doc__ = name.replace("-", "_"), doc
    decorated = writes(bp, AccountOut, schemas.AccountReason)(view)
    bp.route(f"/accounts/<username>/{name}", methods=["POST"])(decorated)


_reasoned("disable", lambda a: a.disable, "Disable the account: its sessions end, tokens refused.")
_reasoned("enable", lambda a: a.enable, "Let a disabled account sign in again.")
_reasoned(
    "two-factor-removal",
    lambda a: a.remove_two_factor,
    "Remove a lost authenticator; the person sets one up again at sign-in.",
)
_reasoned("email-erasure", lambda a: a.erase_email, "Erase the account's email address.")
_reasoned(
    "forgetting",
    lambda a: a.forget,
    "Forget the account: disabled for good, its data key destroyed; name and email read Erased.",
)


@bp.route("/accounts/<username>/password-reset", methods=["POST"])
@writes(bp, AccountWithPassword, schemas.AccountReason)
def reset_password(body: dict[str, Any], username: str) -> Any:
    """Give a temporary password (in this answer only); every session of the account ends."""
    password = admin().reset_password(actor(), username, body["reason"], expected_version())
    return with_password(username, password)
