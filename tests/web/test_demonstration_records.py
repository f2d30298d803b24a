"""The demo's invented inspections of real councils are marked as demonstration records."""

from __future__ import annotations

from datetime import date

import pytest

from domain.errors import InvalidInput
from domain.inspection import DEMONSTRATION
from tests.scenarios import (
    BARNET,
    GOOD,
    INSPECTOR,
    ilacs_2023,
    publish_after_window,
    run_to_final_report,
)


def _demonstration(pages):
    judgments = ilacs_2023(GOOD, GOOD, GOOD, GOOD, GOOD)[:-1]  # ILACS 2026: no overall
    inspection = run_to_final_report(
        pages.ledger, pages.clock, BARNET, date(2026, 12, 7), judgments, source=DEMONSTRATION
    )
    publish_after_window(pages.ledger, pages.clock, inspection)
    return inspection


def test_a_demonstration_report_says_it_is_not_the_published_record(pages):
    inspection = _demonstration(pages)
    page = pages.get(f"/reports/{inspection}").text
    assert "Demonstration record" in page and 'id="demonstration"' in page
    assert 'id="ofsted-report"' not in page  # not linked to Ofsted as if imported


def test_the_council_page_and_the_ratings_mark_the_demonstration(pages):
    _demonstration(pages)
    council = pages.get(f"/councils/{BARNET}").text
    assert council.count("Demonstration record") == 2  # its ratings, and its report
    listing = pages.get("/?q=barnet").text
    assert "Demonstration record" in listing


def test_the_published_record_and_real_work_are_not_marked(pages):
    assert "Demonstration record" not in pages.get(f"/councils/{BARNET}").text
    assert "Demonstration record" not in pages.get("/").text
    assert "Demonstration record" not in pages.get(f"/reports/{pages.story.plain}").text


def test_only_real_work_or_the_demonstration_may_be_scheduled(pages):
    with pytest.raises(InvalidInput):
        pages.ledger.schedule_inspection(
            INSPECTOR, BARNET, "standard", date(2027, 3, 1), source="ofsted.csv"
        )
