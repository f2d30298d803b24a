"""Agencies appear by their full names, and HMI Prisons can be chosen to take part."""

from __future__ import annotations

import re
from datetime import timedelta

from tests.scenarios import CAMDEN
from tests.web.conftest import live_inspection

PRISONS, PROBATION = "HM Inspectorate of Prisons", "HM Inspectorate of Probation"
BARE_CODE = re.compile(r"\b(HMIP|HMIPRISONS|HMICFRS|OFSTED)\b(?![\"'=])")


def visible_text(page: str) -> str:
    """The page as a reader sees it: no tags, no attribute values."""
    return re.sub(r"<[^>]*>", " ", page)


def test_the_schedule_form_offers_every_inspectorate_by_name_including_hmi_prisons(pages):
    pages.sign_in("inspector")
    page = pages.get(f"/inspections/new/{CAMDEN}").text
    assert 'value="HMIPRISONS"' in page and PRISONS in page and PROBATION in page
    assert not BARE_CODE.search(visible_text(page))


def test_partners_chosen_on_scheduling_take_part_and_are_shown_by_full_name(pages):
    pages.sign_in("inspector")
    starts = pages.clock.day + timedelta(days=28 - pages.clock.day.weekday())
    answers = {
        "type": "short",
        **{"starts_on": [str(starts.day), str(starts.month), str(starts.year)]},
        "framework": "",
        "theme": "",
        "partners": ["HMIPRISONS", "HMIP"],
    }
    check = pages.post(f"/inspections/new/{CAMDEN}", answers)
    assert f"{PROBATION}, {PRISONS}" in check.text or f"{PRISONS}, {PROBATION}" in check.text
    done = pages.post(f"/inspections/new/{CAMDEN}", answers, step="confirm")
    inspection = pages.get(done.location).text
    assert PRISONS in inspection and PROBATION in inspection and "Ofsted" in inspection
    assert not BARE_CODE.search(visible_text(inspection))


def test_the_finding_form_names_each_agency_in_full(pages):
    inspection = live_inspection(pages)
    pages.sign_in("inspector")
    page = pages.get(f"/inspections/{inspection}/findings/new").text
    assert '<option value="OFSTED" selected>Ofsted</option>' in page
    assert not BARE_CODE.search(visible_text(page))
