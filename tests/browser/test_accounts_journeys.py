"""Two-factor sign-in and account administration in a real Chromium, with axe on each page."""

from __future__ import annotations

import time

import pyotp
import pytest

from tests.browser.conftest import check_accessibility
from tests.browser.steps import continue_and_confirm, error_summary, sign_in, sign_out
from tests.web.conftest import ACCOUNTS, PASSWORD

pytestmark = pytest.mark.browser


def test_a_person_sets_up_two_factor_sign_in_and_signs_in_with_a_code(page, live):
    sign_in(page, "inspector")
    page.goto("/account")
    page.get_by_role("link", name="Set up two-factor sign-in").click()
    page.get_by_role("heading", name="Set up two-factor sign-in").wait_for()
    assert page.get_by_role("img", name="QR code to scan with your authenticator app").is_visible()
    check_accessibility(page)
    secret = page.locator("#secret-key").inner_text().replace(" ", "")
    totp = pyotp.TOTP(secret)
    page.get_by_label("Code from your authenticator app").fill(totp.now())
    page.get_by_role("button", name="Confirm").click()
    page.get_by_role("heading", name="Your recovery codes").wait_for()
    assert page.locator("#recovery-codes li").count() == 10
    check_accessibility(page)
    page.get_by_role("button", name="Back to your account").click()
    sign_out(page)

    page.goto("/sign-in")
    page.get_by_label("Username").fill(ACCOUNTS["inspector"][0])
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Enter the code from your authenticator app").wait_for()
    check_accessibility(page)
    page.get_by_label("Code from your authenticator app").fill("000000")
    page.get_by_role("button", name="Continue").click()
    assert "The code is not right" in error_summary(page)
    check_accessibility(page)
    # The code used to set it up cannot be used again: the app's next code is (one step ahead).
    page.get_by_label("Code from your authenticator app").fill(totp.at(time.time() + 30))
    page.get_by_role("button", name="Continue").click()
    assert ACCOUNTS["inspector"][1] in page.locator("#signed-in-as").inner_text()


def test_an_administrator_creates_an_account_whose_owner_then_chooses_a_password(page, live):
    sign_in(page, "admin")
    page.get_by_role("link", name="Accounts").first.click()
    page.get_by_role("heading", name="Accounts").wait_for()
    check_accessibility(page)
    page.get_by_role("button", name="Create an account").click()
    page.get_by_label("Username").fill("jo.smith")
    page.get_by_label("Full name").fill("Jo Smith")
    page.get_by_label("Email address").fill("jo.smith@ofsted.gov.uk")
    page.get_by_label("Inspector").check()
    page.get_by_label("Organisation").fill("OFSTED")
    page.get_by_label("Why is this account needed?").fill("Joined the team")
    check_accessibility(page)
    continue_and_confirm(page, axe=True)
    page.get_by_role("heading", name="Temporary password for jo.smith").wait_for()
    check_accessibility(page)
    password = page.locator("#temporary-password").inner_text()
    page.get_by_role("button", name="Back to the account").click()
    page.get_by_role("heading", name="Jo Smith").wait_for()
    check_accessibility(page)
    sign_out(page)

    page.goto("/sign-in")
    page.get_by_label("Username").fill("jo.smith")
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Choose a new password").wait_for()
    check_accessibility(page)
    page.get_by_label("New password", exact=True).fill("a long and private phrase")
    page.get_by_label("Confirm new password").fill("a long and private phrase")
    page.get_by_role("button", name="Change password").click()
    assert "Jo Smith" in page.locator("#signed-in-as").inner_text()
