"""What a person does in the browser: sign in, fill GOV.UK fields, confirm answers."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.browser.conftest import check_accessibility
from tests.web.conftest import ACCOUNTS, PASSWORD


def sign_in(page: Any, role: str) -> None:
    page.goto("/sign-in")
    page.get_by_label("Username").fill(ACCOUNTS[role][0])
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert ACCOUNTS[role][1] in page.locator("#signed-in-as").inner_text()


def sign_out(page: Any) -> None:
    page.goto("/sign-out")
    page.locator("main").get_by_role("button", name="Sign out").click()
    page.get_by_text("You have signed out").wait_for()


def fill_date(page: Any, name: str, day: date) -> None:
    page.locator(f"#{name}-day").fill(str(day.day))
    page.locator(f"#{name}-month").fill(str(day.month))
    page.locator(f"#{name}-year").fill(str(day.year))


def continue_and_confirm(page: Any, axe: bool = False) -> None:
    """Press Continue, check the answers page, then Confirm and submit."""
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Check your answers before submitting").wait_for()
    if axe:
        check_accessibility(page)
    page.get_by_role("button", name="Confirm and submit").click()


def success_banner(page: Any) -> str:
    banner = page.locator(".govuk-notification-banner--success")
    banner.wait_for()
    return str(banner.inner_text())


def error_summary(page: Any) -> str:
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    return str(summary.inner_text())
