"""Public pages: ratings with filters, a council's history and chart, published reports."""

from __future__ import annotations

from datetime import date

from domain.events import JudgmentInput
from domain.grades import NOT_JUDGED
from tests.scenarios import BARKING, BARNET, CAMDEN


def test_the_ratings_page_lists_every_rated_council_without_sign_in(pages):
    response = pages.get("/")
    assert response.status_code == 200
    page = response.text
    assert "Ratings of children&#39;s services" in page or "Ratings of children's services" in page
    for name in ("Barking and Dagenham", "Camden"):
        assert name in page
    assert 'href="/sign-in"' in page


def test_the_ratings_page_filters_by_overall_grade_and_region(pages):
    page = pages.get("/?grade=Good&region=").text
    assert "Camden" in page and "Barking and Dagenham" not in page
    page = pages.get("/?region=Nowhere").text
    assert "No council matches with these filters" in page


def test_a_council_page_shows_ratings_a_chart_of_grades_and_reports(pages):
    page = pages.get(f"/councils/{BARKING}").text
    assert 'id="current-ratings"' in page
    assert "revised after a challenge was upheld" in page
    assert '<svg class="ledger-chart"' in page and 'class="ledger-chart__line"' in page
    assert "<polyline" not in page  # steps, never slopes between inspections
    assert "to today" in page and 'id="chart-points"' in page
    assert f"/reports/{pages.story.revised}" in page


def test_a_council_is_found_by_its_code_in_any_case(pages):
    assert pages.get(f"/councils/{CAMDEN.lower()}").status_code == 200


def test_an_unknown_council_is_a_gov_uk_404_page(pages):
    response = pages.get("/councils/E99999999")
    assert response.status_code == 404
    assert "Page not found" in response.text and "govuk-template" in response.text


def test_a_published_report_shows_its_judgments_and_findings(pages):
    page = pages.get(f"/reports/{pages.story.revised}").text
    assert "Judgments" in page and "Practice is inconsistent" in page
    assert "Revised after a challenge was upheld" in page


def test_a_withdrawn_report_says_so(pages):
    page = pages.get(f"/reports/{pages.story.withdrawn}").text
    assert "This report was withdrawn" in page


def test_an_unpublished_inspection_has_no_public_report(pages):
    from tests.web.conftest import live_inspection

    inspection = live_inspection(pages, BARNET)
    assert pages.get(f"/reports/{inspection}").status_code == 404
    assert pages.get("/reports/not-a-uuid").status_code == 404


def test_gov_uk_frontend_assets_are_served_from_the_npm_package(pages):
    assert pages.get("/govuk-frontend/govuk-frontend.min.css").status_code == 200
    assert pages.get("/govuk-frontend/govuk-frontend.min.js").status_code == 200
    assert pages.get("/assets/images/favicon.svg").status_code == 200
    assert pages.get("/assets/fonts/../../govuk-frontend.min.css").status_code == 404


def test_pages_load_gov_uk_frontend_as_a_module_and_work_without_it(pages):
    page = pages.get("/").text
    assert '<script type="module" src="/govuk-frontend/govuk-frontend.min.js">' in page
    assert '<form method="get"' in page  # filters are a plain form: no script needed


def test_the_health_check_answers(pages):
    assert pages.get("/healthz").json == {"status": "ok"}


def test_an_ofsted_moderator_records_a_dfe_intervention_shown_on_the_council_page(pages):
    from tests.scenarios import BARKING

    page = pages.get(f"/councils/{BARKING}").text
    assert "Record a DfE intervention" not in page  # the public cannot
    pages.sign_in("officer")
    assert pages.get(f"/councils/{BARKING}/interventions/new").status_code == 403
    pages.sign_in("moderator")
    assert "Record a DfE intervention" in pages.get(f"/councils/{BARKING}").text
    url = f"/councils/{BARKING}/interventions/new"
    assert pages.post(url, {"kind": ""}, "confirm").status_code == 400
    answers = {
        "kind": "improvement_notice_issued",
        "on": ["2", "3", "2026"],
        "details": "Notice on front door practice",
    }
    checked = pages.post(url, answers, "check")
    assert checked.status_code == 200 and "DfE issued an improvement notice" in checked.text
    assert pages.post(url, answers, "confirm").status_code == 302
    page = pages.get(f"/councils/{BARKING}").text
    assert "Improvement notice issued (Notice on front door practice)" in page


def test_a_judgment_ofsted_did_not_make_shows_as_not_judged(pages):
    grades = {"help_and_protection": "Good", "looked_after": "Good", "care_leavers": "Good"} | {
        "leadership": "Good"
    }
    judgments = [JudgmentInput(a, g) for a, g in grades.items()] + [
        JudgmentInput("adoption_performance", NOT_JUDGED),
        JudgmentInput("overall", "Good"),
    ]
    inspection, _ = pages.ledger.import_published(
        pages.ledger_actor, BARKING, "standard", date(2016, 1, 11), date(2016, 3, 7), judgments
    )
    history = pages.get(f"/councils/{BARKING}").text
    report = pages.get(f"/reports/{inspection}").text
    assert "Adoption performance" in history and NOT_JUDGED in history
    assert "Adoption performance" in report and NOT_JUDGED in report


def test_an_abolished_councils_page_shows_the_ratings_it_held_when_it_was_abolished(pages):
    from datetime import timedelta

    from tests.scenarios import ADMIN

    pages.ledger.abolish_council(ADMIN, CAMDEN, pages.clock.day - timedelta(days=30), [])
    page = pages.get(f"/councils/{CAMDEN}").text
    assert "Ratings when it was abolished" in page and "No graded inspection" not in page
    ratings = page[page.index('id="current-ratings"') :].split("</dl>")[0]
    assert "Outstanding" in ratings


def test_the_ratings_are_searched_by_name(pages):
    page = pages.get("/?q=barn").text
    assert "Barnet" in page and "Barking and Dagenham" not in page
    assert 'value="barn"' in page


def test_a_search_that_matches_nothing_says_so(pages):
    page = pages.get("/?q=Atlantis").text
    assert 'id="no-match"' in page and "No council matches ‘Atlantis’" in page
    assert 'id="ratings"' not in page


def test_an_over_long_search_is_an_error_summary_naming_the_field(pages):
    response = pages.get("/?q=" + "x" * 101)
    assert response.status_code == 400 and "govuk-error-summary" in response.text
    assert "Council name must be 100 characters or fewer" in response.text


def test_the_ratings_come_a_page_at_a_time_keeping_the_filters(pages, monkeypatch):
    monkeypatch.setattr("web.pages.public.PAGE_SIZE", 1)
    first = pages.get("/?region=London").text
    assert "govuk-pagination" in first and "1 on this page" in first
    assert "/?region=London&amp;page=2" in first
    second = pages.get("/?region=London&page=2").text
    assert 'aria-current="page"' in second
    beyond = pages.get("/?region=London&page=99").text  # the last page, not an empty one
    assert 'id="ratings"' in beyond and pages.get("/?page=x").status_code == 200
