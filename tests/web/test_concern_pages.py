"""Raising a concern on the public page, and the inspectorate's triage pages."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.scenarios import BARKING
from tests.web.conftest import Pages, event_count

ANSWERS = {
    "council": BARKING,
    "setting_urn": "",
    "relationship": "staff_whistleblower",
    "concern": "Nobody answers the out-of-hours line",
    "name": "Ottoline Frame",
    "email": "ottoline.frame@example.org",
}


def raise_one(pages: Pages, **changes: str) -> str:
    pages.client.get("/sign-out")
    sent = pages.post("/raise-a-concern", ANSWERS | changes)
    assert sent.status_code == 201, sent.text
    assert "Concern sent" in sent.text and sent.headers["Cache-Control"] == "no-store"
    found = re.search(r'id="reference">(CN-[0-9A-F]{8})<', sent.text)
    assert found
    return found.group(1)


def concern_path(pages: Pages, reference: str) -> str:
    listed = pages.get("/concerns").text
    found = re.search(rf'href="(/concerns/[0-9a-f-]{{36}})">{reference}<', listed)
    assert found, listed
    return found.group(1)


def test_anyone_can_open_the_question_page_without_signing_in(pages: Pages) -> None:
    page = pages.get("/raise-a-concern")
    assert page.status_code == 200
    assert "Raise a concern about children&#39;s services" in page.text


def test_a_concern_is_sent_and_confirmed_with_a_reference(pages: Pages) -> None:
    assert raise_one(pages).startswith("CN-")


def test_a_missing_concern_shows_the_error_summary_and_stores_nothing(pages: Pages) -> None:
    before = event_count(pages)
    refused = pages.post("/raise-a-concern", ANSWERS | {"concern": "", "relationship": ""})
    assert refused.status_code == 400
    assert "govuk-error-summary" in refused.text and "Enter your concern" in refused.text
    assert event_count(pages) == before


def test_the_inspectorate_lists_and_reads_the_concern(pages: Pages) -> None:
    reference = raise_one(pages)
    pages.sign_in("inspector")
    path = concern_path(pages, reference)
    page = pages.get(path)
    assert page.status_code == 200
    assert ANSWERS["name"] in page.text and ANSWERS["concern"] in page.text
    assert "Whistleblowing" in page.text


def test_an_unacknowledged_concern_is_overdue_after_three_working_days(pages: Pages) -> None:
    reference = raise_one(pages)
    pages.clock.advance_to(pages.clock() + timedelta(days=10))
    pages.sign_in("inspector")
    listed = pages.get("/concerns").text
    assert reference in listed and "Overdue" in listed


def test_triage_acknowledges_assesses_and_closes_from_the_page(pages: Pages) -> None:
    reference = raise_one(pages)
    pages.sign_in("moderator")
    path = concern_path(pages, reference)
    assert pages.post(f"{path}/acknowledge", {}, step="confirm").status_code == 302
    assert pages.post(f"{path}/assess", {"risk": "high"}, step="confirm").status_code == 302
    closed = pages.post(f"{path}/close", {"outcome": "no_further_action"}, step="confirm")
    assert closed.status_code == 302
    page = pages.get(path).text
    assert "High" in page and "No further action" in page


def test_a_moderator_erases_the_personal_data_from_the_page(pages: Pages) -> None:
    reference = raise_one(pages)
    pages.sign_in("moderator")
    path = concern_path(pages, reference)
    erased = pages.post(f"{path}/erase", {"reason": "The person asked"}, step="confirm")
    assert erased.status_code == 302
    page = pages.get(path).text
    assert ANSWERS["name"] not in page and ANSWERS["concern"] not in page
    assert "Personal data erased" in page


@pytest.mark.parametrize("role", ["officer", "cqc_inspector", "auditor", "admin"])
def test_council_officers_partners_and_others_find_no_concern_pages(
    pages: Pages, role: str
) -> None:
    reference = raise_one(pages)
    pages.sign_in("inspector")
    path = concern_path(pages, reference)
    pages.sign_in(role)
    assert pages.get("/concerns").status_code == 404
    shown = pages.get(path)
    assert shown.status_code == 404 and ANSWERS["name"] not in shown.text
    assert pages.post(f"{path}/acknowledge", {}, step="confirm").status_code == 404


def test_raising_concerns_on_the_page_is_throttled_per_address(pages: Pages) -> None:
    statuses = [pages.post("/raise-a-concern", ANSWERS).status_code for _ in range(11)]
    assert statuses == [201] * 10 + [429]


def test_an_unknown_setting_is_refused_with_the_error_summary_and_nothing_stored(
    pages: Pages,
) -> None:
    before = event_count(pages)
    refused = pages.post("/raise-a-concern", ANSWERS | {"setting_urn": "SC000000"})
    assert refused.status_code == 422
    assert "govuk-error-summary" in refused.text and "No setting has the URN" in refused.text
    assert event_count(pages) == before


def test_the_inspection_page_names_the_concern_to_the_inspectorate_only(pages: Pages) -> None:
    from tests.scenarios import INSPECTOR

    reference = raise_one(pages)
    pages.sign_in("inspector")
    path = concern_path(pages, reference)
    concern_id = path.rsplit("/", 1)[1]
    assert pages.post(f"{path}/link", {"inspection_id": ""}, step="confirm").status_code == 302
    starts = pages.clock.day + timedelta(days=21 + (7 - pages.clock.day.weekday()) % 7)
    inspection = pages.ledger.schedule_inspection(
        INSPECTOR, BARKING, "standard", starts, reason_concern=concern_id
    )
    seen = pages.get(f"/inspections/{inspection}").text
    assert "Brought forward on" in seen and reference in seen
    pages.sign_in("officer")
    council = pages.get(f"/inspections/{inspection}").text
    assert "Brought forward on intelligence" in council
    assert reference not in council and concern_id not in council
