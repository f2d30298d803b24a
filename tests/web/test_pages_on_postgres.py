"""The main pages, and a form submission, on PostgreSQL (the other page tests use SQLite)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.conftest import Clock, _empty_postgres
from tests.scenarios import BARKING, CAMDEN, tell_story
from tests.web.conftest import Pages, _close, _open

pytestmark = pytest.mark.postgres


@pytest.fixture
def pages_on_postgres(postgres_url, monkeypatch):
    monkeypatch.setenv("LEDGER_INLINE_PROJECTIONS", "1")
    _empty_postgres(postgres_url)
    clock = Clock(date(2026, 11, 2))
    app = _open(postgres_url, clock, accounts=True)
    story = tell_story(app.extensions["ledger"], clock)
    yield Pages(app, app.test_client(), story, clock)
    _close(app)


def test_every_kind_of_page_answers_on_postgresql(pages_on_postgres):
    pages, story = pages_on_postgres, pages_on_postgres.story
    for path in ("/", f"/councils/{BARKING}", f"/reports/{story.revised}"):
        assert pages.get(path).status_code == 200, path
    pages.sign_in("officer")
    for path in (
        "/work",
        f"/inspections/{story.revised}",
        f"/inspections/{story.revised}/action-plan",
    ):
        assert pages.get(path).status_code == 200, path
    pages.sign_in("auditor")
    for path in (
        "/audit/",
        "/audit/disputes",
        f"/audit/inspection/{story.revised}",
        "/audit/disputes.csv",
    ):
        assert pages.get(path).status_code == 200, path
    assert (
        "Requires improvement"
        in pages.get(f"/audit/ratings?council={BARKING}&on=1&on=1&on=2020").text
    )


def test_scheduling_through_the_pages_on_postgresql(pages_on_postgres):
    pages = pages_on_postgres
    pages.sign_in("inspector")
    starts = pages.clock.day + timedelta(days=28 - pages.clock.day.weekday())
    answers = {
        "type": "short",
        "framework": "",
        "starts_on": [str(starts.day), str(starts.month), str(starts.year)],
    }
    response = pages.post(f"/inspections/new/{CAMDEN}", answers, "confirm")
    assert response.status_code == 302
    assert "Inspection of Camden scheduled" in pages.get(response.location).text
    assert "Camden" in pages.get("/work").text
