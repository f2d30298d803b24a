"""Your notifications: what the notifier sent to the signed-in person, and only that."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update

from adapters.identity import users
from adapters.mail import NotifySettings
from projections.notifying import Notifier
from tests.integration.smtp import smtp_server
from tests.web.conftest import ACCOUNTS, Pages

OFFICER = ACCOUNTS["officer"][0]


def notify(pages: Pages) -> int:
    """Give the Barking officer an address and run the notifier once; return what it sent."""
    identity = pages.app.extensions["identity"]
    address = identity.seal(identity.get(OFFICER), "olu@x.test")  # kept sealed, as add does
    with identity.engine.begin() as conn:
        conn.execute(update(users).where(users.c.username == OFFICER).values(email=address))
    with smtp_server() as (inbox, url):
        settings = NotifySettings(smtp_url=url, base_url="https://ledger.example")
        notifier = Notifier(
            pages.app.config["DATABASE_URL"],
            identity,
            settings.mailer(),
            settings,
            lambda: datetime(2030, 1, 1),
        )
        notifier.catch_up(pages.ledger)
        notifier.engine.dispose()
        return len(inbox.received)


def test_your_notifications_lists_what_was_sent_to_you(pages: Pages):
    sent = notify(pages)
    pages.sign_in("officer")

    page = pages.get("/account/notifications")

    assert page.status_code == 200 and sent > 0
    assert page.text.count('<h2 class="govuk-summary-card__title">') == sent
    assert "Barking and Dagenham" in page.text and "olu@x.test" in page.text
    assert "https://ledger.example/inspections/" in page.text


def test_nobody_else_sees_your_notifications(pages: Pages):
    notify(pages)
    pages.sign_in("other_officer")

    page = pages.get("/account/notifications")

    assert page.status_code == 200 and "No emails have been sent to you" in page.text
    assert "olu@x.test" not in page.text


def test_the_page_needs_signing_in(pages: Pages):
    assert pages.get("/account/notifications").status_code in (302, 401)
