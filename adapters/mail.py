"""Sending email by SMTP, and the notifier's settings (LEDGER_SMTP_URL and the rest)."""

from __future__ import annotations

import os
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from email import policy
from email.message import EmailMessage
from email.utils import formatdate
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlsplit

from adapters.config import _base_url, _positive

DEFAULT_SENDER = "Inspection Ledger <no-reply@ledger.invalid>"
DEFAULT_BASE_URL = "http://127.0.0.1:5000"
SMTP_TIMEOUT_SECONDS = 30
# Lines as long as SMTP allows: folding a subject at 78 characters can break it oddly.
MAIL_POLICY = policy.SMTP.clone(max_line_length=998)


class NotSent(Exception):
    """A mail service's refusal; a permanent one (e.g. Notify's 4xx) is not retried."""

    def __init__(self, reason: str, permanent: bool = False) -> None:
        super().__init__(reason)
        self.permanent = permanent


# What a failed hand-over raises: the server refused, dropped or never answered.
SEND_FAILURES = (smtplib.SMTPException, OSError, NotSent)


@dataclass(frozen=True)
class Mail:
    message_id: str
    to: str
    subject: str
    body: str
    kind: str = ""
    link: str = ""
    again: bool = False  # an earlier attempt began: it may have been handed over already


class Mailer(Protocol):
    def send(self, mail: Mail) -> None:
        """Hand one message to the mail service, or raise one of SEND_FAILURES."""


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    username: str = ""
    password: str = ""
    starttls: bool = False


def smtp_server(url: str) -> SmtpServer:
    """Read `smtp://[user:pass@]host:port[?starttls=1]`, refusing anything else."""
    parts = urlsplit(url.strip())
    try:
        port = parts.port or 25
    except ValueError:
        port = -1
    query = parse_qs(parts.query)
    starttls = query.pop("starttls", ["0"])[-1].lower() in ("1", "true", "yes", "on")
    if parts.scheme != "smtp" or not parts.hostname or port <= 0 or query or parts.path:
        raise ValueError(
            f"LEDGER_SMTP_URL must be like smtp://host:port or "
            f"smtp://user:password@host:port?starttls=1, not {url!r}"
        )
    return SmtpServer(
        parts.hostname,
        port,
        unquote(parts.username or ""),
        unquote(parts.password or ""),
        starttls,
    )


@dataclass(frozen=True)
class SmtpMailer:
    """Sends each message over its own SMTP connection, with its stable Message-ID."""

    server: SmtpServer
    sender: str = DEFAULT_SENDER

    def send(self, mail: Mail) -> None:
        message = EmailMessage(policy=MAIL_POLICY)
        message["From"] = self.sender
        message["To"] = mail.to
        message["Subject"] = mail.subject
        message["Message-ID"] = mail.message_id
        message["Date"] = formatdate(localtime=False, usegmt=True)
        message.set_content(mail.body)
        with smtplib.SMTP(self.server.host, self.server.port, timeout=SMTP_TIMEOUT_SECONDS) as smtp:
            if self.server.starttls:
                smtp.starttls()
            if self.server.username:
                smtp.login(self.server.username, self.server.password)
            smtp.send_message(message)


@dataclass(frozen=True)
class NotifySettings:
    """Where and how notifications are sent (README, "Notifications")."""

    smtp_url: str = ""
    sender: str = DEFAULT_SENDER
    base_url: str = DEFAULT_BASE_URL
    max_attempts: int = 5
    retry_after: timedelta = timedelta(minutes=1)  # doubled after each failed attempt
    notify_api_key: str = ""  # GOV.UK Notify instead of SMTP, when set
    notify_url: str = ""
    notify_templates: tuple[tuple[str, str], ...] = ()

    def backoff(self, attempt: int) -> timedelta:
        """Return how long to wait after the `attempt`-th attempt before the next."""
        return self.retry_after * 2 ** max(attempt - 1, 0)

    def mailer(self) -> Mailer:
        """Return the mailer these settings name (GOV.UK Notify or SMTP), or refuse if none."""
        if self.notify_api_key:
            from adapters.govuk_notify import DEFAULT_NOTIFY_URL, NotifyMailer

            url = self.notify_url or DEFAULT_NOTIFY_URL
            return NotifyMailer(self.notify_api_key, dict(self.notify_templates), url)
        if not self.smtp_url:
            raise ValueError(
                "LEDGER_SMTP_URL is not set (e.g. smtp://127.0.0.1:25), nor LEDGER_NOTIFY_API_KEY"
            )
        return SmtpMailer(smtp_server(self.smtp_url), self.sender)


def load_notify_settings(
    environ: dict[str, str] | None = None, kinds: Iterable[str] = ()
) -> NotifySettings:
    """Return the notifier's settings from LEDGER_* variables, refusing nonsense at start
    (GOV.UK Notify's templates must cover these kinds of message)."""
    from adapters.govuk_notify import check_api_key, parse_templates

    environ = dict(os.environ) if environ is None else environ
    smtp_url = environ.get("LEDGER_SMTP_URL", "").strip()
    if smtp_url:
        smtp_server(smtp_url)
    api_key = environ.get("LEDGER_NOTIFY_API_KEY", "").strip()
    templates: dict[str, str] = {}
    if api_key and smtp_url:
        raise ValueError("Set LEDGER_SMTP_URL or LEDGER_NOTIFY_API_KEY, not both")
    if api_key:
        check_api_key(api_key)
        templates = parse_templates(environ.get("LEDGER_NOTIFY_TEMPLATES", ""), kinds)
    notify_url = environ.get("LEDGER_NOTIFY_BASE_URL", "").strip()
    if notify_url and urlsplit(notify_url).scheme not in ("http", "https"):
        raise ValueError(f"LEDGER_NOTIFY_BASE_URL must be an http(s) address, not {notify_url!r}")
    attempts = _positive(environ, "LEDGER_NOTIFY_MAX_ATTEMPTS", 5)
    if attempts != int(attempts):
        raise ValueError(f"LEDGER_NOTIFY_MAX_ATTEMPTS must be a whole number, not {attempts}")
    return NotifySettings(
        smtp_url=smtp_url,
        sender=environ.get("LEDGER_MAIL_FROM", "").strip() or DEFAULT_SENDER,
        base_url=_base_url(environ.get("LEDGER_BASE_URL", "").strip()) or DEFAULT_BASE_URL,
        max_attempts=int(attempts),
        retry_after=timedelta(seconds=_positive(environ, "LEDGER_NOTIFY_RETRY_SECONDS", 60)),
        notify_api_key=api_key,
        notify_url=notify_url.rstrip("/"),
        notify_templates=tuple(sorted(templates.items())),
    )
