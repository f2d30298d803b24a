"""Deliver the outbox's due notifications: the address read now, retries backed off.

Each notification is claimed (its attempt counted and the next put off) in a transaction of
its own before it is handed to the mail server, and recorded as sent in another after: a
process that dies in between leaves it to be sent again, after the back-off, with the same
Message-ID (Notify: the same reference, looked up first). After the configured number of
attempts, or at once when the service refuses it for good (Notify's 4xx), it is given up on
and reported. An account
without an address (erased, forgotten or never given) is reported at once: there is nothing to
retry. The address a notification went to is kept sealed under its account's data key.
A notification of an optional kind its recipient has turned off (read now, like the address)
is recorded as withheld, not sent: "Your notifications" shows it, so nothing vanishes unseen;
so is every notification to an account forgotten before it was sent.
Statutory kinds (projections/messages.py) are always sent, whatever the account holds.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.engine import Engine

from adapters import outbox
from adapters.identity import IdentityStore
from adapters.mail import SEND_FAILURES, Mail, Mailer, NotifySettings, NotSent
from adapters.outbox import Notification
from projections.messages import turned_off

log = logging.getLogger("ledger.notifier")


@dataclass
class Delivered:
    """What one round of delivery did."""

    sent: list[Notification] = field(default_factory=list)
    retrying: list[Notification] = field(default_factory=list)
    failed: list[tuple[Notification, str]] = field(default_factory=list)
    withheld: list[Notification] = field(default_factory=list)


@dataclass
class Delivery:
    engine: Engine
    identity: IdentityStore
    mailer: Mailer
    settings: NotifySettings
    now: Callable[[], datetime]

    def deliver_due(self) -> Delivered:
        """Send every notification that is due now; return what was sent, put off and failed."""
        done = Delivered()
        now = self.now()
        with self.engine.connect() as conn:
            found = outbox.due(conn, now, limit=10_000)
        for notification in found:
            self._deliver(notification, now, done)
        return done

    def _deliver(self, notification: Notification, now: datetime, done: Delivered) -> None:
        attempt = notification.attempts + 1
        with self.engine.begin() as conn:
            if not outbox.claim(conn, notification, now, self.settings.backoff(attempt)):
                return  # another notifier has it
        account = self.identity.get(notification.recipient)
        if account and (account.forgotten or turned_off(notification.kind, account.emails_off)):
            with self.engine.begin() as conn:
                outbox.mark_withheld(conn, notification.id, now)
            done.withheld.append(notification)
            return
        address = account.email if account and not account.disabled else None
        if not address:
            self._not_sent(notification, "The account has no email address", True, done)
            return
        try:
            self.mailer.send(
                Mail(
                    notification.message_id,
                    address,
                    notification.subject,
                    notification.body,
                    notification.kind,
                    notification.record,
                    again=notification.attempts > 0,
                )
            )
        except SEND_FAILURES as error:
            reason = f"{type(error).__name__}: {error}"
            permanent = isinstance(error, NotSent) and error.permanent
            give_up = permanent or attempt >= self.settings.max_attempts
            self._not_sent(notification, reason, give_up, done)
            return
        self.record_sent(notification, self.identity.seal(account, address), now)
        done.sent.append(notification)

    def record_sent(self, notification: Notification, address: str, now: datetime) -> None:
        """Record that the mail server took the notification (the address it was sent to,
        sealed under its account's data key)."""
        with self.engine.begin() as conn:
            outbox.mark_sent(conn, notification.id, address, now)

    def _not_sent(
        self, notification: Notification, reason: str, give_up: bool, done: Delivered
    ) -> None:
        with self.engine.begin() as conn:
            outbox.mark_not_sent(conn, notification.id, reason, give_up)
        if give_up:
            log.error(
                "notification %s (%s) to %s failed: %s",
                notification.message_id,
                notification.kind,
                notification.recipient,
                reason,
            )
            done.failed.append((notification, reason))
        else:
            log.warning("notification %s not sent yet: %s", notification.message_id, reason)
            done.retrying.append(notification)
