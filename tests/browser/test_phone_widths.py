"""Staff pages on a phone: the page never scrolls sideways as a whole; wide tables scroll alone."""

from __future__ import annotations

import pytest

from tests.browser.conftest import check_accessibility, published_history
from tests.browser.steps import sign_in
from tests.scenarios import BARNET

pytestmark = pytest.mark.browser

PAGES = {
    "inspector": ["/work", "/schedule", f"/inspections/new?council={BARNET}"],
    "auditor": [
        "/audit/",
        f"/audit/councils/{BARNET}",
        f"/audit/ratings?council={BARNET}&on=1&on=7&on=2022",
        "/audit/disputes",
    ],
    "officer": ["/work", "/account/email-preferences", "/account/notifications"],
}


@pytest.mark.parametrize("role", sorted(PAGES))
def test_staff_pages_fit_a_phone_screen(page, live, role):
    published_history(live)
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(page, role)
    for path in PAGES[role]:
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} is {width} px wide"
        check_accessibility(page)
