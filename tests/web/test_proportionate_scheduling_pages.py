"""Proportionate scheduling on the schedule page: a departure asks "Why this type?"."""

from __future__ import annotations

from datetime import timedelta

from tests.scenarios import CAMDEN
from tests.web.conftest import event_count


def _answers(pages, **extra: str) -> dict[str, object]:
    starts = pages.clock.day + timedelta(days=28 - pages.clock.day.weekday())
    when = [str(starts.day), str(starts.month), str(starts.year)]
    return {"type": "monitoring_visit", "starts_on": when, "framework": "", "theme": ""} | extra


def test_a_monitoring_visit_of_an_outstanding_council_without_a_reason_is_an_error_summary(pages):
    pages.sign_in("inspector")
    before = event_count(pages)
    response = pages.post(f"/inspections/new/{CAMDEN}", _answers(pages), step="confirm")
    assert response.status_code == 422 and "govuk-error-summary" in response.text
    assert "Why this type?" in response.text and "reason-required" in response.text
    assert event_count(pages) == before


def test_a_departure_with_a_reason_is_scheduled_and_its_reason_shown_on_the_audit_timeline(pages):
    pages.sign_in("inspector")
    answers = _answers(pages, reason="Serious incident notification")
    done = pages.post(f"/inspections/new/{CAMDEN}", answers, step="confirm")
    assert done.status_code == 302
    inspection = done.location.rstrip("/").split("/")[-1]
    pages.sign_in("auditor")
    assert "Serious incident notification" in pages.get(f"/audit/inspection/{inspection}").text


def test_the_proposed_type_asks_no_reason(pages):
    pages.sign_in("inspector")
    page = pages.get(f"/inspections/new?council={CAMDEN}").text
    assert "Why this type?" not in page
