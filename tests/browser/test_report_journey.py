"""In Chromium with axe: an inspector writes a section of the report, issues the draft, and the
council reads that section in its draft and comments on it."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

import pytest

from tests.browser.conftest import check_accessibility
from tests.browser.steps import continue_and_confirm, sign_in, sign_out, success_banner
from tests.scenarios import BARKING, INSPECTOR, RI, ilacs_2023, register_councils

pytestmark = pytest.mark.browser
STARTS = date(2025, 2, 3)
WORKING_WELL = "Leaders have steadied the workforce.\n\nAgency staff fell from a third to a tenth."


def _judged(live) -> str:
    ledger = live.app.extensions["ledger"]
    register_councils(ledger)
    inspection = ledger.schedule_inspection(INSPECTOR, BARKING, "standard", STARTS)
    live.clock.advance_to(STARTS)
    ledger.start_on_site(INSPECTOR, inspection)
    ledger.record_judgments(INSPECTOR, inspection, ilacs_2023(RI, RI, RI, RI, RI))
    ledger.complete_judgments(INSPECTOR, inspection)
    return str(inspection)


def test_an_inspector_writes_a_section_and_the_council_reads_it_in_its_draft(page, live):
    inspection = _judged(live)
    sign_in(page, "inspector")
    page.goto(f"/inspections/{inspection}")
    page.get_by_role("link", name="Write and read the report").click()
    check_accessibility(page)
    page.get_by_role("link", name="Write The impact of leaders").click()
    check_accessibility(page)
    page.get_by_label("What is working well").fill(WORKING_WELL)
    page.get_by_label("Recommendations").fill("Make supervision reflective")
    continue_and_confirm(page, axe=True)
    assert "saved" in success_banner(page)
    section = page.locator("#section-area-leaders")
    assert "Agency staff fell from a third to a tenth." in section.inner_text()
    check_accessibility(page)

    live.clock.advance_to(STARTS + timedelta(days=21))
    page.goto(f"/inspections/{inspection}/draft")
    page.get_by_role("button", name="Confirm: issue the draft report").click()
    success_banner(page)
    sign_out(page)

    sign_in(page, "officer")
    page.goto(f"/inspections/{inspection}")
    page.get_by_role("link", name="Read the report").click()
    assert "Version 1: draft" in page.locator("#report-stage").inner_text()
    draft = page.locator("#section-area-leaders")
    assert "Leaders have steadied the workforce." in draft.inner_text()
    assert draft.locator("p", has_text="Agency staff fell").count() == 1  # its own paragraph
    check_accessibility(page)
    draft.get_by_role("link", name="Comment on the factual accuracy").click()
    assert page.get_by_label("Which part of the report is this about?").input_value() == (
        "area:leaders"
    )
    page.get_by_label("Your comment on the draft report").fill("Agency staff are now 8%")
    continue_and_confirm(page, axe=True)
    success_banner(page)

    comment = live.app.extensions["ledger"].inspection(INSPECTOR, UUID(inspection)).comments[-1]
    assert (comment["section"], comment["comment"]) == ("area:leaders", "Agency staff are now 8%")
    pdf = page.request.get(f"/reports/{inspection}.pdf")  # the draft as a PDF, for its readers
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
