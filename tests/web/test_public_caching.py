"""Public pages carry validators and Cache-Control, and answer a conditional GET with 304."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

import pytest

from tests.calls import count_calls
from tests.scenarios import ADMIN, BARNET, GOOD, INSPECTOR, ilacs_2023
from tests.web.conftest import Pages, live_inspection
from web.pages import public


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Count how often the ratings page is built."""
    return count_calls(monkeypatch, public, "ratings")


def conditional(pages: Pages, path: str, tag: str) -> Any:
    return pages.client.get(path, headers={"If-None-Match": tag})


def test_a_public_page_has_a_validator_and_may_be_kept_by_any_cache(pages: Pages) -> None:
    for path in ("/", f"/councils/{BARNET}", "/statistics", "/settings", "/help"):
        response = pages.get(path)
        assert response.status_code == 200, path
        assert response.headers["ETag"].startswith('W/"c-'), path
        assert response.headers["Cache-Control"] == (
            "public, max-age=60, stale-while-revalidate=60"
        ), path
        assert {"Cookie", "Authorization"} <= set(response.vary), path
    assert pages.get("/").headers["ETag"] == pages.get("/").headers["ETag"]  # nonce left out


def test_a_matching_validator_gets_304_without_building_the_page(
    pages: Pages, built: Counter[str]
) -> None:
    tag = pages.get("/").headers["ETag"]

    again = conditional(pages, "/", tag)

    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == tag
    assert "Content-Security-Policy" not in again.headers  # the stored page's nonce stands
    assert again.headers["Cache-Control"].startswith("public, max-age=60")
    assert built["ratings"] == 1
    assert conditional(pages, "/", 'W/"c-other"').status_code == 200


def test_a_published_report_gives_the_page_a_new_validator(
    pages: Pages, built: Counter[str]
) -> None:
    tag = pages.get("/").headers["ETag"]
    starts = pages.clock.day - timedelta(days=50)  # the newest report of all
    judgments = ilacs_2023(GOOD, GOOD, GOOD, GOOD, GOOD)
    pages.ledger.import_published(
        ADMIN, BARNET, "standard", starts, starts + timedelta(days=42), judgments
    )

    fresh = conditional(pages, "/", tag)

    assert fresh.status_code == 200 and fresh.headers["ETag"] != tag
    assert conditional(pages, "/", fresh.headers["ETag"]).status_code == 304


def test_an_unpublished_change_leaves_the_validator_as_it_was(
    pages: Pages, built: Counter[str]
) -> None:
    inspection = live_inspection(pages)
    tag = pages.get(f"/councils/{BARNET}").headers["ETag"]

    pages.ledger.record_finding(INSPECTOR, inspection, "OFSTED", "Supervision is irregular")
    again = conditional(pages, f"/councils/{BARNET}", tag)

    assert again.status_code == 304  # the page was built again, and said nothing new
    assert again.headers["ETag"] == tag


def test_a_signed_in_person_gets_private_answers_with_no_validator(pages: Pages) -> None:
    tag = pages.get("/").headers["ETag"]
    pages.sign_in("inspector")

    response = conditional(pages, "/", tag)

    assert response.status_code == 200 and "ETag" not in response.headers
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "Cookie" in response.vary
