"""`ledger accounts ...`: the same administration as the pages, each change in the log as made
by `cli:<user>` with its reason; refusals in one line with exit 1."""

from __future__ import annotations

import getpass
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from adapters.identity import IdentityStore
from adapters.persistence import ledger_env
from domain.account import Account, account_id
from domain.services import Ledger
from web.cli import main

ENV = {"LEDGER_SECRET_KEY": "cli-test-key"}


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'ledger.sqlite'}"


def run(url: str, *args: str):
    return CliRunner().invoke(main, ["accounts", *args], env={"DATABASE_URL": url, **ENV})


def events(url: str, username: str) -> list:
    ledger = Ledger(env=ledger_env(url))
    try:
        return ledger.events_of(account_id(username))
    finally:
        ledger.close()


def create(url: str, username: str = "jo.smith", role: str = "inspector", organisation="OFSTED"):
    return run(
        url,
        "create",
        username,
        "--name",
        "Jo Smith",
        "--role",
        role,
        "--organisation",
        organisation,
        "--email",
        f"{username}@ofsted.gov.uk",
        "--reason",
        "New starter",
    )


def test_creating_an_account_prints_a_temporary_password_and_records_who_and_why(url):
    result = create(url)
    assert result.exit_code == 0, result.output
    password = result.output.splitlines()[-1]
    account = IdentityStore(url).authenticate("jo.smith", password)
    assert account is not None and account.must_change_password
    (opened,) = events(url, "jo.smith")
    assert isinstance(opened, Account.Opened)
    assert (opened.actor.user, opened.reason) == (f"cli:{getpass.getuser()}", "New starter")


def test_the_list_shows_each_account_and_its_last_sign_in(url):
    create(url)
    listed = run(url, "list")
    assert listed.exit_code == 0 and "jo.smith" in listed.output and "never" in listed.output
    (row,) = json.loads(run(url, "list", "--json").output)
    assert row["username"] == "jo.smith" and row["last_sign_in"] is None
    assert row["email"] == "jo.smith@ofsted.gov.uk" and row["version"] == 1


def test_every_change_is_an_event_with_its_reason(url):
    create(url)
    assert (
        run(
            url,
            "change-role",
            "jo.smith",
            "--role",
            "moderator",
            "--organisation",
            "OFSTED",
            "--reason",
            "Promoted",
        ).exit_code
        == 0
    )
    assert run(url, "disable", "jo.smith", "--reason", "Left").exit_code == 0
    assert IdentityStore(url).get("jo.smith").disabled
    assert run(url, "enable", "jo.smith", "--reason", "Back").exit_code == 0
    reset = run(url, "reset-password", "jo.smith", "--reason", "Forgotten")
    assert reset.exit_code == 0
    assert IdentityStore(url).authenticate("jo.smith", reset.output.splitlines()[-1])
    assert run(url, "erase-email", "jo.smith", "--reason", "Left the service").exit_code == 0
    assert IdentityStore(url).get("jo.smith").email is None
    kinds = [type(e).__name__ for e in events(url, "jo.smith")]
    assert kinds == ["Opened", "RoleChanged", "Disabled", "Enabled", "PasswordReset", "EmailErased"]
    assert [e.reason for e in events(url, "jo.smith")[1:]] == [
        "Promoted",
        "Left",
        "Back",
        "Forgotten",
        "Left the service",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("disable", "nobody", "--reason", "x"), "No account has the username 'nobody'"),
        (("disable", "jo.smith", "--reason", " "), "Enter reason"),
        (
            (
                "change-role",
                "jo.smith",
                "--role",
                "auditor",
                "--organisation",
                "OFSTED",
                "--reason",
                "x",
            ),
            "A auditor belongs to AUDIT",
        ),
        (("enable", "jo.smith", "--reason", "x"), "jo.smith is not disabled"),
    ],
)
def test_a_refusal_is_one_line_and_exit_1(url, args, message):
    create(url)
    result = run(url, *args)
    assert result.exit_code == 1
    assert result.output.strip().startswith("Error:") and message in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_a_bad_email_address_is_refused_and_nothing_is_stored(url):
    result = run(
        url,
        "create",
        "jo",
        "--name",
        "Jo",
        "--role",
        "inspector",
        "--organisation",
        "OFSTED",
        "--email",
        "jo",
        "--reason",
        "x",
    )
    assert result.exit_code == 1 and "Enter an email address like" in result.output
    assert IdentityStore(url).get("jo") is None
