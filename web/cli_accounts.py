"""`ledger accounts`: account administration from the command line, as on the pages.

Each change is recorded in the log as made by `cli:<the operating-system user>`, an
administrator: whoever can run the CLI on the server can reach the database anyway, and this
is how the first administrator's account is made.
"""

from __future__ import annotations

import getpass
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from adapters.account_admin import AccountAdmin, AccountRow
from domain.actors import ACCOUNT_ROLES, Actor

ROLE_CHOICE = click.Choice(sorted(r.value for r in ACCOUNT_ROLES))
REASON = click.option("--reason", required=True, help="Why: recorded in the log with the change.")


def cli_actor() -> Actor:
    """The administrator the CLI acts as: the operating-system user who runs it."""
    return Actor(f"cli:{getpass.getuser()}", "administrator", "LEDGER")


def _secret_key() -> str:
    from web import _secret_key as made_once

    return os.environ.get("LEDGER_SECRET_KEY", "").strip() or made_once()


def as_dict(row: AccountRow) -> dict[str, Any]:
    found = row.as_dict() | {"version": row.version}
    moment = row.last_sign_in
    return found | {"last_sign_in": moment.isoformat() if moment else None}


def register(main: click.Group, opened: Callable[[], Any], errors: Callable[[Any], Any]) -> None:
    """Add the account commands to the `ledger` group."""

    @contextmanager
    def admin() -> Iterator[AccountAdmin]:
        from datetime import UTC, datetime

        from adapters.config import load_security
        from web.bootstrap import (
            build_account_admin,
            build_identity,
            build_sessions,
            build_two_factor,
        )

        with opened() as services:
            url = services.read_models.url
            now = lambda: datetime.now(UTC)  # noqa: E731
            identity = build_identity(url)
            sessions = build_sessions(url, now, load_security())
            two_factor = build_two_factor(url, _secret_key(), now, identity)
            try:
                yield build_account_admin(services.ledger, identity, sessions, two_factor)
            finally:
                for store in (identity, sessions):
                    store.close()

    @main.group()
    def accounts() -> None:
        """Create, change, disable and reset staff accounts (each change is in the log)."""

    @accounts.command("list")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @errors
    def list_(as_json: bool) -> None:
        """List every account with its role, state and last sign-in."""
        with admin() as store:
            rows = store.rows(cli_actor())
        if as_json:
            click.echo(json.dumps([as_dict(r) for r in rows], indent=2))
            return
        for r in rows:
            a = r.account
            state = "disabled" if a.disabled else ("2FA" if r.two_factor else "password")
            last = f"{r.last_sign_in:%Y-%m-%d %H:%M}" if r.last_sign_in else "never"
            click.echo(f"{a.username:<24} {a.role:<16} {a.organisation:<12} {state:<9} {last}")

    @accounts.command("create")
    @click.argument("username")
    @click.option("--name", "display_name", required=True, help="The person's full name.")
    @click.option(
        "--role", required=True, type=click.Choice(sorted(r.value for r in ACCOUNT_ROLES))
    )
    @click.option("--organisation", required=True, help="OFSTED, a council code, AUDIT, LEDGER.")
    @click.option("--email", required=True, help="The person's email address.")
    @REASON
    @errors
    def create(
        username: str, display_name: str, role: str, organisation: str, email: str, reason: str
    ) -> None:
        """Create an account and print its temporary password once."""
        with admin() as store:
            password = store.create(
                cli_actor(), username, display_name, role, organisation, email, reason
            )
        click.echo(f"Created {username}; temporary password (change at first sign-in):")
        click.echo(password)

    @accounts.command("change-role")
    @click.argument("username")
    @click.option(
        "--role", required=True, type=click.Choice(sorted(r.value for r in ACCOUNT_ROLES))
    )
    @click.option("--organisation", required=True)
    @REASON
    @errors
    def change_role(username: str, role: str, organisation: str, reason: str) -> None:
        """Give an account another role or organisation (its sessions end)."""
        with admin() as store:
            store.change_role(cli_actor(), username, role, organisation, reason)
        click.echo(f"{username} is now a {role} at {organisation}")

    def simple(name: str, method: str, help: str, done: str) -> None:
        @accounts.command(name, help=help)
        @click.argument("username")
        @REASON
        @errors
        def run(username: str, reason: str) -> None:
            with admin() as store:
                answer = getattr(store, method)(cli_actor(), username, reason)
            click.echo(done.format(username=username))
            if isinstance(answer, str):
                click.echo(answer)

    simple(
        "disable",
        "disable",
        "Disable USERNAME: every session ends and its API tokens are refused.",
        "Disabled {username}",
    )
    simple("enable", "enable", "Let USERNAME sign in again.", "Enabled {username}")
    simple(
        "reset-password",
        "reset_password",
        "Give USERNAME a temporary password, printed once and changed at their next sign in.",
        "Reset the password of {username}; temporary password (change at next sign-in):",
    )
    simple(
        "remove-two-factor",
        "remove_two_factor",
        "Remove USERNAME's lost authenticator: they set one up again when they next sign in.",
        "Removed two-factor sign-in of {username}",
    )
    simple(
        "forget",
        "forget",
        "Forget USERNAME: disabled for good, its data key destroyed, so its name and email read "
        "as Erased everywhere (the log still verifies).",
        "Forgot {username}: its name and email address are erased",
    )
    simple(
        "erase-email",
        "erase_email",
        "Erase USERNAME's email address (personal data).",
        "Erased the email address of {username}",
    )
