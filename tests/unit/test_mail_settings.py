"""The notifier's settings: LEDGER_SMTP_URL and the back-off, refused at start when wrong."""

from __future__ import annotations

from datetime import timedelta

import pytest

from adapters.mail import SmtpServer, load_notify_settings, smtp_server


@pytest.mark.parametrize(
    ("url", "server"),
    [
        ("smtp://127.0.0.1:2525", SmtpServer("127.0.0.1", 2525)),
        ("smtp://mail.example", SmtpServer("mail.example", 25)),
        (
            "smtp://jo%40x:p%3Ass@mail.example:587?starttls=1",
            SmtpServer("mail.example", 587, "jo@x", "p:ss", True),
        ),
    ],
)
def test_an_smtp_url_names_the_server_credentials_and_starttls(url, server):
    assert smtp_server(url) == server


@pytest.mark.parametrize(
    "url",
    ["http://mail.example", "smtp://", "smtp://mail.example:x", "smtp://m:25/path", "smtp://m?a=1"],
)
def test_anything_else_is_refused_naming_the_setting(url):
    with pytest.raises(ValueError, match="LEDGER_SMTP_URL"):
        smtp_server(url)


def test_the_wait_doubles_after_each_failed_attempt():
    settings = load_notify_settings({"LEDGER_NOTIFY_RETRY_SECONDS": "30"})
    assert [settings.backoff(n) for n in (1, 2, 3)] == [timedelta(seconds=s) for s in (30, 60, 120)]


@pytest.mark.parametrize(
    "environ",
    [
        {"LEDGER_NOTIFY_MAX_ATTEMPTS": "0"},
        {"LEDGER_NOTIFY_MAX_ATTEMPTS": "2.5"},
        {"LEDGER_NOTIFY_RETRY_SECONDS": "soon"},
        {"LEDGER_BASE_URL": "ledger.example"},
    ],
)
def test_nonsense_settings_are_refused_at_start(environ):
    with pytest.raises(ValueError):
        load_notify_settings(environ)


def test_without_a_server_the_notifier_refuses_to_start():
    with pytest.raises(ValueError, match="LEDGER_SMTP_URL is not set"):
        load_notify_settings({}).mailer()
