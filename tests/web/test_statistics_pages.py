"""The public statistics page, and the ratings and figures as CSV and ODS."""

from __future__ import annotations

import csv
import io
import zipfile

from tests.scenarios import BARKING, CAMDEN


def _csv(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.text)))


def test_the_statistics_page_gives_national_figures_without_sign_in(pages):
    page = pages.get("/statistics").text
    assert "Statistics" in page and 'id="summary"' in page
    assert "councils rated" in page and "By region" in page and "By judgment" in page
    assert "The impact of leaders on social work practice with children and families" in page
    assert 'href="/statistics.csv' in page and 'href="/ratings.ods"' in page


def test_figures_as_of_a_date_before_any_inspection_count_no_council_rated(pages):
    page = pages.get("/statistics?on=1&on=1&on=2010").text
    assert "As of 1 January 2010" in page and "0 of" in page


def test_a_date_that_is_not_real_is_an_error_summary_naming_the_field(pages):
    response = pages.get("/statistics?on=31&on=2&on=2021")
    assert response.status_code == 400 and "govuk-error-summary" in response.text
    assert "#on" in response.text or 'href="#on' in response.text


def test_the_figures_csv_gives_the_same_counts_as_the_national_statistics(pages):
    from projections.statistics import national_statistics
    from web.pages.common import read

    rows = _csv(pages.get("/statistics.csv"))
    with pages.app.test_request_context(), read() as conn:
        figures = national_statistics(conn, pages.clock.day, pages.ledger.policy)
    headline = {r["group"]: int(r["councils"]) for r in rows if r["table"] == "Headline"}
    assert {g: n for g, n in headline.items() if n} == figures["headline"]
    assert sum(headline.values()) == figures["councils_rated"] > 0


def test_the_ratings_csv_lists_every_rated_council_with_its_judgments(pages):
    response = pages.get("/ratings.csv")
    assert response.mimetype == "text/csv"
    rows = {r["Council code"]: r for r in _csv(response)}
    assert {BARKING, CAMDEN} <= set(rows)
    assert rows[CAMDEN]["Headline grade"] == "Good"  # its 2025 inspection
    help_and_protection = "The experiences and progress of children who need help and protection"
    assert rows[CAMDEN][help_and_protection] == "Outstanding"


def test_the_ratings_ods_is_a_spreadsheet_holding_the_same_councils(pages):
    response = pages.get("/ratings.ods")
    assert response.mimetype == "application/vnd.oasis.opendocument.spreadsheet"
    with zipfile.ZipFile(io.BytesIO(response.data)) as ods:
        assert ods.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
        content = ods.read("content.xml").decode()
    assert "Camden" in content and "Barking and Dagenham" in content


def test_the_figures_ods_has_a_sheet_per_table_with_numbers_as_numbers(pages):
    with zipfile.ZipFile(io.BytesIO(pages.get("/statistics.ods").data)) as ods:
        content = ods.read("content.xml").decode()
    for sheet in ("Headline", "By region", "By type of council", "By judgment", "Movements"):
        assert f'table:name="{sheet}"' in content
    assert 'office:value-type="float"' in content
