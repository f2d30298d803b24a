"""A keyboard-only journey: sign in, find a council by typing, schedule, confirm, go Back."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.browser.conftest import check_accessibility, published_history
from tests.browser.steps import success_banner
from tests.web.conftest import ACCOUNTS, PASSWORD

pytestmark = pytest.mark.browser
STARTS = date(2025, 2, 3)


def tab_to(page: Any, selector: str, most: int = 80) -> None:
    """Press Tab until the element `selector` names has the focus, as a keyboard user does."""
    for _ in range(most):
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def go(page: Any) -> None:
    """Press Enter on a link or button and wait for the page it leads to."""
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()


def type_into(page: Any, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.type(text)


def test_a_keyboard_user_schedules_an_inspection_and_goes_back_safely(page, live):
    published_history(live)
    page.goto("/sign-in")
    type_into(page, "#username", ACCOUNTS["inspector"][0])
    type_into(page, "#password", PASSWORD)
    go(page)
    page.locator("#signed-in-as").wait_for()

    tab_to(page, "a[href='/inspections/new']")
    go(page)
    type_into(page, "input#council", "Barn")  # the accessible autocomplete over the select
    page.get_by_role("option", name="Barnet", exact=True).wait_for()
    check_accessibility(page)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert page.locator("input#council").input_value() == "Barnet"
    tab_to(page, "button.govuk-button")
    go(page)

    page.locator("#proposal").wait_for()
    for part, value in (("day", STARTS.day), ("month", STARTS.month), ("year", STARTS.year)):
        type_into(page, f"#starts_on-{part}", str(value))
    tab_to(page, "button.govuk-button")
    go(page)
    page.get_by_role("heading", name="Check your answers before submitting").wait_for()
    assert "?step=check" in page.url  # a page of its own (Post/Redirect/Get)
    tab_to(page, "button[value='confirm']")
    go(page)
    assert "scheduled" in success_banner(page)

    page.go_back()  # Back: the form again, never the browser's "Confirm form resubmission"
    page.locator("h1").wait_for()
    assert "step=check" not in page.url
    assert page.locator("form").count() >= 1
