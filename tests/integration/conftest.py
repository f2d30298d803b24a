"""Fixtures for the integration tests: read models caught up after each command; a real SMTP
server and accounts with addresses for the notifier's."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time, timedelta

import pytest

from adapters.delivery import Delivery
from adapters.identity import IdentityStore
from adapters.mail import NotifySettings
from projections.notifying import Notifier, Round
from projections.runner import ReadModels
from tests.integration.smtp import Inbox, smtp_server
from tests.scenarios import BARKING, BARNET, officer, register_councils
from web.bootstrap import build_services

BASE = "https://ledger.example"  # where the notifier's links lead
ACCOUNTS = (  # username, role, organisation, email
    (officer(BARKING).user, "council_officer", BARKING, "olu@barking.example"),
    ("bola.barking", "council_officer", BARKING, "bola@barking.example"),
    (officer(BARNET).user, "council_officer", BARNET, "ben@barnet.example"),
    ("ian.inspector", "inspector", "OFSTED", "ian@ofsted.example"),
    ("mo.moderator", "moderator", "OFSTED", "mo@ofsted.example"),
    ("cai.inspector", "inspector", "CQC", "cai@cqc.example"),
)


@pytest.fixture
def services(database_url, clock, monkeypatch):
    """The ledger and its read models as the application builds them (personal data sealed),
    read models caught up in-process, the councils registered."""
    monkeypatch.setenv("LEDGER_INLINE_PROJECTIONS", "1")
    made = build_services(database_url, clock)
    register_councils(made.ledger)
    yield made
    made.close()


@pytest.fixture
def read_models(database_url: str, ledger):
    models = ReadModels(database_url)
    ledger.after_save.append(lambda: models.catch_up(ledger))
    yield models
    models.close()


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, str]]:
    with smtp_server() as found:
        yield found


@pytest.fixture
def inbox(smtp) -> Inbox:
    return smtp[0]


@pytest.fixture
def identity(database_url: str) -> Iterator[IdentityStore]:
    store = IdentityStore(database_url)
    for username, role, organisation, email in ACCOUNTS:
        store.add(username, username, role, organisation, "a long password", email)
    yield store
    store.close()


class Now:
    """The time of day on the app's clock: nine o'clock of its day, plus what a test adds."""

    def __init__(self, clock) -> None:
        self.clock, self.extra = clock, timedelta(0)

    def __call__(self) -> datetime:
        return datetime.combine(self.clock.day, time(9)) + self.extra

    def move(self, **by: float) -> None:
        self.extra += timedelta(**by)


@pytest.fixture
def now(clock) -> Now:
    return Now(clock)


@pytest.fixture
def notifier(database_url, identity, smtp, now) -> Iterator[Notifier]:
    settings = NotifySettings(
        smtp_url=smtp[1], base_url=BASE, max_attempts=3, retry_after=timedelta(minutes=1)
    )
    found = Notifier(database_url, identity, settings.mailer(), settings, now)
    yield found
    found.close()


def notify_once(notifier: Notifier, ledger) -> Round:
    """Run one round of the notifier (as `ledger notify --once` does); return what it did."""
    notifier.catch_up(ledger)
    assert notifier.last is not None
    return notifier.last


def notify_once_killed_after_handing_over(
    notifier: Notifier, ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run a round that dies after the first message is handed over and before the outbox
    records it as sent (a process killed mid-batch)."""

    def killed(*_: object) -> None:
        raise KeyboardInterrupt("killed between handing over and the outbox")

    monkeypatch.setattr(Delivery, "record_sent", killed)
    with pytest.raises(KeyboardInterrupt):
        notify_once(notifier, ledger)
    monkeypatch.undo()
