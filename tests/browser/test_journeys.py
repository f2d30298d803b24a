"""Each journey of issue 4 in a real Chromium, with axe on every page type on the way."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility, published_history
from tests.browser.steps import (
    continue_and_confirm,
    error_summary,
    fill_date,
    sign_in,
    sign_out,
    success_banner,
)
from tests.scenarios import BARNET

pytestmark = pytest.mark.browser
STARTS = date(2025, 2, 3)


def test_an_inspection_goes_from_scheduling_to_the_public_page(page, live):
    published_history(live)
    page.goto("/")
    check_accessibility(page)

    # Inspectorate: schedule, with the type proposed from Barnet's last Good inspection
    sign_in(page, "inspector")
    check_accessibility(page)
    page.get_by_role("link", name="Inspection schedule").click()
    page.get_by_label("Only councils with something overdue").check()
    page.get_by_role("button", name="Apply filters").click()
    check_accessibility(page)
    expect(page.locator(f"#council-{BARNET}")).to_have_count(1)
    page.get_by_role("link", name="Work list").click()
    page.get_by_role("link", name="Schedule an inspection").first.click()
    page.locator("input#council").fill("Barn")  # the autocomplete, once its script has run
    page.get_by_role("option", name="Barnet", exact=True).click()
    page.get_by_role("button", name="Continue").click()
    assert "short inspection" in page.locator("#proposal").inner_text()
    check_accessibility(page)
    assert page.get_by_label("Short inspection").is_checked()
    fill_date(page, "starts_on", STARTS)
    continue_and_confirm(page, axe=True)
    assert "scheduled" in success_banner(page)
    check_accessibility(page)

    # Fieldwork, a finding, judgments (one set refused by the framework's rule)
    assert "Fieldwork cannot start before" in page.locator("#not-yet").inner_text()
    live.clock.advance_to(STARTS)
    page.reload()  # the step is offered once the start date has come
    page.get_by_role("button", name="Start fieldwork").click()
    check_accessibility(page)
    page.get_by_role("button", name="Confirm: start fieldwork").click()
    success_banner(page)
    page.get_by_role("button", name="Record a finding").click()
    page.get_by_label("Summary of the finding").fill("Supervision is not yet consistent")
    page.get_by_label("Recommendations (optional)").fill("Audit supervision records")
    continue_and_confirm(page)
    success_banner(page)
    page.get_by_role("button", name="Make judgments").click()
    check_accessibility(page)
    grades = {
        "grade_leaders": "Good",
        "grade_help_and_protection": "Requires improvement to be good",
        "grade_children_in_care": "Good",
        "grade_care_leavers": "Good",
        "grade_overall": "Outstanding",
    }
    for field, grade in grades.items():
        page.locator(f"#{field}").select_option(grade)
    page.get_by_role("button", name="Continue").click()  # refused before the answers are checked
    assert "Overall effectiveness" in error_summary(page)
    assert page.locator('.govuk-error-summary [data-rule="overall-within-key-judgments"]').count()
    check_accessibility(page)
    page.locator("#grade_overall").select_option("Good")
    continue_and_confirm(page)
    assert "Judgments recorded" in success_banner(page)
    page.get_by_role("button", name="Complete the judgments").click()
    page.get_by_role("button", name="Confirm: complete the judgments").click()
    success_banner(page)
    live.clock.advance_to(STARTS + timedelta(days=21))
    page.get_by_role("button", name="Issue the draft report").click()
    page.get_by_role("button", name="Confirm: issue the draft report").click()
    assert "Draft report issued" in success_banner(page)
    inspection_url = page.url
    sign_out(page)

    # Council: factual accuracy comment before the deadline
    sign_in(page, "other_officer")
    check_accessibility(page)
    page.goto(inspection_url)
    page.get_by_role("button", name="Comment on the draft report").click()
    page.get_by_label("Your comment on the draft report").fill(
        "Paragraph 12 names the wrong service"
    )
    page.get_by_label("These are all our comments").check()
    continue_and_confirm(page)
    success_banner(page)
    sign_out(page)

    # Moderator: final report; publication withheld during the challenge window
    sign_in(page, "moderator")
    page.goto(inspection_url)
    page.get_by_role("button", name="Issue the final report").click()
    page.get_by_role("button", name="Confirm: issue the final report").click()
    success_banner(page)
    assert page.get_by_role("button", name="Publish the report").count() == 0  # not yet
    assert "The council may challenge until the end of" in page.locator("#not-yet").inner_text()
    check_accessibility(page)
    sign_out(page)

    # Council: challenge a judgment chosen from a list
    sign_in(page, "other_officer")
    page.goto(inspection_url)
    page.get_by_role("button", name="Challenge this inspection").click()
    check_accessibility(page)
    page.get_by_label("What are you challenging?").select_option("judgment:help_and_protection")
    page.get_by_label("Your grounds").fill("Our audit of 40 cases shows consistent practice")
    page.get_by_label("Evidence (optional)").fill("Case audit 2025")
    continue_and_confirm(page)
    assert "Challenge lodged" in success_banner(page)
    check_accessibility(page)
    sign_out(page)

    # Moderator: uphold it and revise the judgment; then publish
    sign_in(page, "moderator")
    check_accessibility(page)
    page.get_by_role("link", name="Barnet: challenge to the judgment").click()
    page.get_by_role("button", name="Decide this challenge").click()
    check_accessibility(page)
    page.get_by_label("Upheld", exact=True).check()
    page.get_by_label("Reasons for the decision").fill("The case audit supports Good")
    page.locator("#revise_help_and_protection").select_option("Good")
    continue_and_confirm(page)
    assert "Decision recorded" in success_banner(page)
    live.clock.advance_to(STARTS + timedelta(days=30))
    page.goto(inspection_url)
    page.get_by_role("button", name="Publish the report").click()
    page.get_by_role("button", name="Confirm: publish the report").click()
    assert "Report published" in success_banner(page)
    sign_out(page)

    # Council: the action plan as a task list
    sign_in(page, "other_officer")
    page.goto(inspection_url)
    page.get_by_role("link", name="Action plan").last.click()
    check_accessibility(page)
    page.get_by_role("link", name="Write and submit the plan").click()
    page.get_by_label("Summary of your action plan").fill("Consistent supervision by the summer")
    continue_and_confirm(page)
    success_banner(page)
    page.get_by_role("button", name="Add an action").click()
    page.get_by_label("Which recommendation does this answer?").select_option(
        "Audit supervision records"
    )
    page.get_by_label("Area of practice").fill("Supervision")
    page.get_by_label("What will be done?").fill("Monthly audit of supervision")
    page.get_by_label("Who owns this action?").fill("Head of service")
    fill_date(page, "due_on", date(2025, 9, 30))
    continue_and_confirm(page)
    assert "Action added" in success_banner(page)
    page.get_by_role("link", name="A1: Monthly audit of supervision").click()
    page.get_by_label("What progress has been made?").fill("First audit done")
    continue_and_confirm(page)
    success_banner(page)
    assert "In progress" in page.locator(".govuk-task-list").inner_text()
    check_accessibility(page)
    sign_out(page)

    # Auditor: the inspection's timeline and the as-of rating
    sign_in(page, "auditor")
    check_accessibility(page)
    page.goto(inspection_url)
    page.get_by_role("link", name="Full history of this inspection").click()
    timeline = page.locator("#timeline").inner_text()
    assert "Judgment revised" in timeline and "The case audit supports Good" in timeline
    check_accessibility(page)
    page.goto("/audit/")
    page.locator("input#council").fill("Barnet")  # the autocomplete, once its script has run
    page.locator("#council__listbox").get_by_role("option", name="Barnet", exact=True).click()
    fill_date(page, "on", STARTS + timedelta(days=30))
    page.get_by_role("button", name="Show ratings").click()
    assert "Good" in page.locator("#ratings").inner_text()
    check_accessibility(page)
    page.goto("/audit/disputes")
    check_accessibility(page)
    page.goto("/audit/verification")
    assert "The log is intact" in page.locator("#verification-status").inner_text()
    check_accessibility(page)
    sign_out(page)

    # Public: the council page with the chart, the revised grade and the report
    page.goto(f"/councils/{BARNET}")
    assert "revised after a challenge was upheld" in page.locator("#current-ratings").inner_text()
    check_accessibility(page)
    page.locator("#reports").get_by_role("link").first.click()
    check_accessibility(page)
    page.goto("/no-such-page")
    check_accessibility(page)


def test_the_service_works_without_javascript(browser, live):
    published_history(live)
    context = browser.new_context(base_url=live.url, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, "inspector")
    page.goto(f"/inspections/new?council={BARNET}")
    fill_date(page, "starts_on", STARTS)
    continue_and_confirm(page)
    assert "scheduled" in success_banner(page)
    assert "js-enabled" not in (page.locator("body").get_attribute("class") or "")
    context.close()


def test_refusals_and_missing_pages_are_accessible_gov_uk_pages(page, live):
    published_history(live)
    sign_in(page, "officer")
    page.goto("/audit/")
    assert "You do not have permission" in page.locator("h1").inner_text()
    check_accessibility(page)
    page.goto("/account")
    check_accessibility(page)
    sign_out(page)
    check_accessibility(page)
    page.goto("/?region=London&grade=Good")
    check_accessibility(page)
    page.goto("/sign-in")
    page.get_by_role("button", name="Sign in").click()
    assert "Enter your username" in error_summary(page)
    check_accessibility(page)
