"""`ledger notify`: one round, or a loop, through a real SMTP server, on every backend."""

from __future__ import annotations

from click.testing import CliRunner, Result

from tests.scenarios import challengeable_report, register_councils
from web.cli import main


def notify(url: str, *args: str, **env: str) -> Result:
    return CliRunner().invoke(main, ["notify", *args], env={"DATABASE_URL": url, **env})


def test_notify_once_sends_what_is_due_and_a_second_run_nothing(
    database_url, ledger, clock, identity, smtp
):
    inbox, smtp_url = smtp
    register_councils(ledger)
    challengeable_report(ledger, clock)

    first = notify(database_url, "--once", LEDGER_SMTP_URL=smtp_url)
    again = notify(database_url, "--once", LEDGER_SMTP_URL=smtp_url)

    assert first.exit_code == 0, first.output
    # (run at the real time, long after the challenge window of January 2026 closed: the
    # council's two officers, the lead inspector and the moderator hear that it closed)
    assert "12 written" in first.output and "12 sent" in first.output
    assert again.exit_code == 0 and "0 written" in again.output and "0 sent" in again.output
    assert len(inbox.received) == 12
    closed = [m for m in inbox.received if "challenge window closed" in m["Subject"]]
    assert len(closed) == 4
    assert inbox.received[0]["Message-ID"].endswith("@ledger>")


def test_notify_once_reports_a_notification_given_up_on_and_exits_1(
    database_url, ledger, clock, identity, smtp
):
    inbox, smtp_url = smtp
    inbox.refuse.add("bola@barking.example")
    register_councils(ledger)
    challengeable_report(ledger, clock)

    result = notify(
        database_url, "--once", LEDGER_SMTP_URL=smtp_url, LEDGER_NOTIFY_MAX_ATTEMPTS="1"
    )

    assert result.exit_code == 1
    assert result.stderr.count("Failed: ") == 4 and "to bola.barking <" in result.stderr
    assert "challenge_closed to bola.barking" in result.stderr
    assert "550" in result.stderr and "8 sent" in result.stdout


def test_notify_runs_until_stopped(database_url, ledger, clock, identity, smtp):
    inbox, smtp_url = smtp
    register_councils(ledger)
    challengeable_report(ledger, clock)

    result = notify(database_url, "--seconds", "1", LEDGER_SMTP_URL=smtp_url)

    assert result.exit_code == 0, result.output
    assert len(inbox.received) == 12  # with the challenge window closed, as above


def test_notify_refuses_without_a_mail_server_in_one_line(database_url):
    for env in ({}, {"LEDGER_SMTP_URL": "http://mail.example"}):
        result = notify(database_url, "--once", **env)
        assert result.exit_code == 1
        assert len(result.output.strip().splitlines()) == 1
        assert "LEDGER_SMTP_URL" in result.output
