"""The public statistics page in Chromium: accessible, and no sideways scroll on a phone."""

from __future__ import annotations

import pytest

from tests.browser.conftest import check_accessibility, published_history

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
    assert page.locator(".govuk-error-summary").count() == 1
    check_accessibility(page)
