"""Scheduling an SCCIF inspection on the pages names the setting by its URN."""

from __future__ import annotations

from datetime import timedelta

from domain.inspection import Inspection
from domain.setting import Setting
from tests.scenarios import BARNET, CAMDEN, HOME
from tests.web.conftest import event_count
from tests.web.test_inspectorate_pages import _date


def sccif_answers(pages, urn: str) -> dict[str, str]:
    starts = pages.clock.day + timedelta(days=28 - pages.clock.day.weekday())
    return {"type": "sccif_full", **_date("starts_on", starts), "framework": "", "setting_urn": urn}


def test_an_sccif_inspection_of_a_setting_in_the_councils_area_is_scheduled(pages):
    pages.sign_in("inspector")
    before = event_count(pages)
    done = pages.post(f"/inspections/new/{BARNET}", sccif_answers(pages, HOME), step="confirm")
    assert done.status_code == 302 and event_count(pages) == before + 1
    scheduled = list(pages.ledger.events_of_type(Inspection.Scheduled))[-1]
    assert (scheduled.setting_urn, scheduled.council) == (HOME, BARNET)


def test_an_sccif_inspection_without_a_urn_is_refused_beside_the_urn_field(pages):
    pages.sign_in("inspector")
    before = event_count(pages)
    response = pages.post(f"/inspections/new/{BARNET}", sccif_answers(pages, ""), step="confirm")
    assert response.status_code == 422 and "govuk-error-summary" in response.text
    assert 'href="#setting_urn"' in response.text and event_count(pages) == before


def test_a_urn_of_the_wrong_form_is_refused_on_the_form(pages):
    pages.sign_in("inspector")
    response = pages.post(f"/inspections/new/{BARNET}", sccif_answers(pages, "SC1"), step="confirm")
    assert response.status_code == 400
    assert "Setting URN must be SC followed by 6 digits" in response.text


def test_a_setting_in_another_councils_area_is_refused(pages):
    pages.sign_in("inspector")
    before = event_count(pages)
    response = pages.post(f"/inspections/new/{CAMDEN}", sccif_answers(pages, HOME), step="confirm")
    assert response.status_code == 422 and "is in the area of" in response.text
    assert event_count(pages) == before
    assert len(list(pages.ledger.events_of_type(Setting.Registered))) == 2
