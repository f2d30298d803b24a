"""The public statistics, help and information pages in Chromium: accessible, no sideways scroll."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility, published_history
from tests.scenarios import BARNET

pytestmark = pytest.mark.browser


def page_scrolls_sideways(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


@pytest.mark.parametrize("width", [375, 1280])
def test_the_statistics_page_is_accessible_and_fits_the_screen(page, live, width):
    published_history(live)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto("/")
    if width < 641:  # GOV.UK service navigation folds behind "Menu" on a phone
        page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="Statistics").first.click()
    assert "councils rated" in page.locator("main").inner_text()
    assert not page_scrolls_sideways(page)
    check_accessibility(page)
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Year").fill("2021")
    page.get_by_role("button", name="Show figures").click()
    expect(page.locator(".govuk-error-summary")).to_have_count(1)  # once the answer has loaded
    check_accessibility(page)


@pytest.mark.parametrize("path", ["/help", "/accessibility", "/privacy", "/cookies", "/contact"])
def test_the_help_and_information_pages_are_accessible_on_a_phone(page, live, path):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(path)
    assert page.locator("h1").count() == 1
    assert not page_scrolls_sideways(page)
    check_accessibility(page)


@pytest.mark.parametrize("width", [375, 1280])
def test_a_council_page_fits_the_screen_and_its_chart_text_is_readable(page, live, width):
    published_history(live)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"/councils/{BARNET}")
    assert not page_scrolls_sideways(page)
    sizes = page.eval_on_selector_all(
        ".ledger-chart text", "els => els.map(e => e.getBoundingClientRect().height)"
    )
    assert sizes and min(sizes) >= 12, sizes
    check_accessibility(page)
    page.screenshot(path=f"/tmp/council-{width}.png", full_page=True)
