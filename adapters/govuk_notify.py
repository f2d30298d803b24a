"""Sending email by GOV.UK Notify (LEDGER_NOTIFY_API_KEY): a second delivery adapter.

Each kind of message has a template id (LEDGER_NOTIFY_TEMPLATES). The ledger writes the
wording itself, so one generic template serves every kind: its subject is `((subject))` and its
body `((body))`; `((link))` and `((kind))` are passed too. The outbox message's stable id is
Notify's `reference`. Notify has no idempotency key, so before a notification is handed over
again (an earlier attempt began: it may have reached Notify before the process died), Notify is
asked for that reference, and one it already holds is not sent twice.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient

from adapters.mail import Mail, NotSent

DEFAULT_NOTIFY_URL = "https://api.notifications.service.gov.uk"
DEFAULT_TEMPLATE = "*"  # the template of every kind not given its own
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
# Notify's own record of a notification it could not deliver: handing it over again is right.
FAILED_STATUSES = {"permanent-failure", "temporary-failure", "technical-failure"}
TIMEOUT_SECONDS = 30


def check_api_key(key: str) -> str:
    """Return an API key shaped as Notify makes them (name-serviceid-secret), or refuse it."""
    service, secret = key[-73:-37], key[-36:]
    if len(key) < 74 or key[-74] != "-" or not (UUID.match(service) and UUID.match(secret)):
        raise ValueError(
            "LEDGER_NOTIFY_API_KEY must be a GOV.UK Notify API key (name-<service id>-<secret>)"
        )
    return key


def parse_templates(text: str, kinds: Iterable[str] = ()) -> dict[str, str]:
    """Read `kind=template-id,...` (`*=id` for every other kind), refusing an unknown kind, an
    id that is not a UUID, or a kind of `kinds` left without a template."""
    templates: dict[str, str] = {}
    known = set(kinds)
    for part in filter(None, (p.strip() for p in text.split(","))):
        kind, _, template = (s.strip() for s in part.partition("="))
        if not UUID.match(template):
            raise ValueError(f"LEDGER_NOTIFY_TEMPLATES: {part!r} is not kind=<template id>")
        if known and kind != DEFAULT_TEMPLATE and kind not in known:
            raise ValueError(f"LEDGER_NOTIFY_TEMPLATES: no message is of kind {kind!r}")
        templates[kind] = template
    missing = sorted(k for k in known if k not in templates and DEFAULT_TEMPLATE not in templates)
    if not templates or missing:
        raise ValueError(
            "LEDGER_NOTIFY_TEMPLATES needs a template for every kind of message "
            f"(kind=<id>,... or *=<id>); missing: {', '.join(missing) or 'all'}"
        )
    return templates


@dataclass
class NotifyMailer:
    """Hands each message to GOV.UK Notify with its template, personalisation and reference."""

    api_key: str
    templates: Mapping[str, str]
    base_url: str = DEFAULT_NOTIFY_URL
    client: NotificationsAPIClient = field(init=False)

    def __post_init__(self) -> None:
        self.client = NotificationsAPIClient(
            self.api_key, base_url=self.base_url, timeout=TIMEOUT_SECONDS
        )

    def template(self, kind: str) -> str:
        found = self.templates.get(kind) or self.templates.get(DEFAULT_TEMPLATE)
        if not found:
            raise NotSent(f"no GOV.UK Notify template for {kind!r}", permanent=True)
        return found

    def send(self, mail: Mail) -> None:
        reference = mail.message_id.strip("<>")
        personalisation = {
            "subject": mail.subject,
            "body": mail.body,
            "link": mail.link,
            "kind": mail.kind,
        }
        try:
            if mail.again and self.holds(reference):
                return  # it reached Notify before the last attempt was recorded
            self.client.send_email_notification(
                email_address=mail.to,
                template_id=self.template(mail.kind),
                personalisation=personalisation,
                reference=reference,
            )
        except APIError as error:
            status = error.status_code
            raise NotSent(
                f"GOV.UK Notify answered {error}", permanent=400 <= status < 500
            ) from error

    def holds(self, reference: str) -> bool:
        """Say whether Notify already has a notification with this reference, not failed."""
        found: dict[str, Any] = self.client.get_all_notifications(reference=reference)
        return any(n.get("status") not in FAILED_STATUSES for n in found.get("notifications", []))
