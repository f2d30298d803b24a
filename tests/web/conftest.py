"""Fixtures for the pages: an app on a fresh database with the shared story and staff accounts."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.conftest import Clock
from tests.scenarios import BARKING, BARNET, Story, tell_story
from web import create_app

PASSWORD = "correct-horse-battery"
ACCOUNTS = {
    "inspector": ("ian.inspector", "Ian Inspector", "inspector", "OFSTED"),
    "moderator": ("mo.moderator", "Mo Moderator", "moderator", "OFSTED"),
    "second_moderator": ("mo.second", "Mo Second", "moderator", "OFSTED"),
    "cqc_inspector": ("cai.cqc", "Cai CQC", "inspector", "CQC"),
    "officer": (f"officer.{BARKING}", "Olu Officer", "council_officer", BARKING),
    "other_officer": (f"officer.{BARNET}", "Ben Officer", "council_officer", BARNET),
    "auditor": ("aud.itor", "Audrey Auditor", "auditor", "AUDIT"),
    "admin": ("ada.admin", "Ada Admin", "administrator", "LEDGER"),
    "third_moderator": ("mo.third", "Mo Third", "moderator", "OFSTED"),
    "adjudicator": ("ida.adjudicator", "Ida Adjudicator", "adjudicator", "ICASO"),
    "hmip_inspector": ("harri.hmip", "Harri HMIP", "inspector", "HMIP"),
    "hmip_moderator": ("hemi.hmip", "Hemi HMIP", "moderator", "HMIP"),
}


@dataclass
class Pages:
    """The test client, signed in as one role at a time."""

    app: Flask
    client: FlaskClient
    story: Story
    clock: Clock

    def sign_in(self, role: str) -> None:
        self.client.get("/sign-out")
        with self.client.session_transaction() as session:
            session.clear()
        username = ACCOUNTS[role][0]
        response = self.client.post("/sign-in", data={"username": username, "password": PASSWORD})
        assert response.status_code == 302, response.text

    def get(self, path: str) -> TestResponse:
        return self.client.get(path)

    def post(self, path: str, data: dict[str, Any], step: str | None = None) -> TestResponse:
        """Post a form as a browser does: a 303 to the check page is followed with a GET."""
        return see_other(
            self.client, self.client.post(path, data=data | ({"step": step} if step else {}))
        )

    @property
    def ledger_actor(self) -> Any:
        from tests.scenarios import ADMIN

        return ADMIN

    @property
    def ledger(self) -> Any:
        return self.app.extensions["ledger"]


def see_other(client: FlaskClient, response: TestResponse) -> TestResponse:
    """Follow a 303 (Post/Redirect/Get to "Check your answers") as a browser does."""
    return client.get(response.location) if response.status_code == 303 else response


def make_app(database_url: str, clock: Clock, **config: Any) -> Flask:
    return create_app(
        {
            "DATABASE_URL": database_url,
            "TODAY": clock,
            "TESTING": True,
            "SECRET_KEY": "test",
            "WTF_CSRF_ENABLED": False,
            **config,
        }
    )


@pytest.fixture(params=["sqlite"])
def database_url(request: pytest.FixtureRequest, tmp_path: Any) -> str:
    """Pages run on SQLite here; test_pages_on_postgres.py runs the main ones on PostgreSQL."""
    return f"sqlite:///{tmp_path / 'ledger.sqlite'}"


def _open(url: str, clock: Clock, accounts: bool) -> Flask:
    app = make_app(url, clock)
    if accounts:
        for username, name, role, organisation in ACCOUNTS.values():
            app.extensions["identity"].add(username, name, role, organisation, PASSWORD)
    return app


def _close(app: Flask) -> None:
    app.extensions["ledger_services"].close()
    app.extensions["identity"].close()
    app.extensions["ledger_sessions"].close()
    app.extensions["two_factor"].close()
    storage = app.extensions["ledger_limiter"].storage
    if hasattr(storage, "close"):
        storage.close()


class Now:
    """A settable clock of the time of day, for sessions and throttling: `now.move(minutes=5)`."""

    def __init__(self) -> None:
        from datetime import UTC, datetime

        self.moment = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> Any:
        return self.moment

    def move(self, **delta: float) -> None:
        from datetime import timedelta

        self.moment += timedelta(**delta)


@pytest.fixture
def now() -> Now:
    return Now()


@pytest.fixture
def staff_app(tmp_path: Path, clock: Clock, now: Now) -> Iterator[Any]:
    """Make apps on one fresh database with the staff accounts, on the settable clock `now`."""
    made: list[Flask] = []

    def make(**config: Any) -> Flask:
        app = make_app(f"sqlite:///{tmp_path / 'staff.sqlite'}", clock, NOW=now, **config)
        identity = app.extensions["identity"]
        for username, name, role, organisation in ACCOUNTS.values():
            if identity.get(username) is None:
                identity.add(username, name, role, organisation, PASSWORD)
        made.append(app)
        return app

    yield make
    for app in made:
        _close(app)


@pytest.fixture(scope="session")
def story_database(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Story, date]:
    """Tell the shared story once into a SQLite file that each test copies."""
    path = tmp_path_factory.mktemp("story") / "ledger.sqlite"
    clock = Clock(date(2026, 11, 2))
    app = _open(f"sqlite:///{path}", clock, accounts=True)
    story = tell_story(app.extensions["ledger"], clock)
    _close(app)
    return path, story, clock.day


@pytest.fixture
def pages(story_database: tuple[Path, Story, date], tmp_path: Path) -> Iterator[Pages]:
    """The story's ledger (a copy of it), its staff accounts, and a test client."""
    template, story, day = story_database
    for part in template.parent.glob("ledger.sqlite*"):  # with its WAL, if one is left
        shutil.copy(part, tmp_path / part.name)
    clock = Clock(day)
    app = _open(f"sqlite:///{tmp_path / 'ledger.sqlite'}", clock, accounts=False)
    yield Pages(app, app.test_client(), story, clock)
    _close(app)


def live_inspection(pages: Pages, council: str = BARNET, type_key: str = "standard") -> Any:
    """Schedule an inspection three weeks ahead and start its fieldwork; return its id."""
    from datetime import timedelta

    from tests.scenarios import INSPECTOR

    ledger, clock = pages.ledger, pages.clock
    starts = clock.day + timedelta(days=21 + (7 - clock.day.weekday()) % 7)
    inspection = ledger.schedule_inspection(INSPECTOR, council, type_key, starts)
    clock.advance_to(starts)
    ledger.start_on_site(INSPECTOR, inspection)
    return inspection


def event_count(pages: Pages) -> int:
    """Return how many events the ledger holds."""
    return int(pages.ledger.recorder.max_notification_id() or 0)


def drafted_inspection(pages: Pages, council: str = BARKING) -> Any:
    """Take a standard inspection to its draft report; return its id."""
    from tests.scenarios import INSPECTOR, RI, ilacs_2023

    inspection = live_inspection(pages, council)
    pages.ledger.record_judgments(INSPECTOR, inspection, ilacs_2023(RI, RI, RI, RI, RI))
    pages.ledger.complete_judgments(INSPECTOR, inspection)
    pages.ledger.issue_draft(INSPECTOR, inspection)
    return inspection


def lodged_challenge(pages: Pages) -> Any:
    """Take a Barnet inspection to its final report and lodge a challenge; return its id."""
    from tests.scenarios import INSPECTOR, RI, ilacs_2023, officer, run_to_final_report

    inspection = run_to_final_report(
        pages.ledger,
        pages.clock,
        BARNET,
        pages.clock.day + timedelta(days=28),
        ilacs_2023(*[RI] * 5),
    )
    assert INSPECTOR.user == "ian.inspector"  # the judgments were made by the inspector
    return pages.ledger.lodge_challenge(
        officer(BARNET), inspection, "judgment", "leaders", "Misread", ["Audit"]
    )
