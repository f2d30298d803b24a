"""Fixtures for the integration tests: read models caught up after each command; a real SMTP
server and accounts with addresses for the notifier's."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from adapters.identity import IdentityStore
from projections.runner import ReadModels
from tests.integration.smtp import Inbox, smtp_server
from tests.scenarios import BARKING, BARNET, officer

ACCOUNTS = (  # username, role, organisation, email
    (officer(BARKING).user, "council_officer", BARKING, "olu@barking.example"),
    ("bola.barking", "council_officer", BARKING, "bola@barking.example"),
    (officer(BARNET).user, "council_officer", BARNET, "ben@barnet.example"),
    ("ian.inspector", "inspector", "OFSTED", "ian@ofsted.example"),
    ("mo.moderator", "moderator", "OFSTED", "mo@ofsted.example"),
    ("cai.inspector", "inspector", "CQC", "cai@cqc.example"),
)


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
