"""Inspectorate pages: work list, scheduling, fieldwork, judgments, report, decisions."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest

from domain.grades import NOT_JUDGED
from tests.scenarios import BARKING, BARNET, CAMDEN, INADEQUATE, ilacs_2023
from tests.web.conftest import event_count, live_inspection, lodged_challenge

ILACS_2023 = ("leaders", "help_and_protection", "children_in_care", "care_leavers", "overall")


def _date(prefix: str, day) -> dict[str, str]:
    return {prefix: [str(day.day), str(day.month), str(day.year)]}


def test_the_work_list_shows_inspections_in_progress_and_challenges_to_decide(pages):
    inspection = live_inspection(pages)
    pages.sign_in("inspector")
    page = pages.get("/work").text
    assert f"/inspections/{inspection}" in page and "findings and judgments" in page


def test_the_schedule_form_proposes_a_type_from_the_councils_last_grade(pages):
    pages.sign_in("inspector")
    page = pages.get(f"/inspections/new?council={CAMDEN}").text
    assert 'id="proposal"' in page and "a short inspection" in page
    assert 'value="short" checked' in page


def test_choosing_no_council_is_an_error(pages):
    pages.sign_in("inspector")
    response = pages.get("/inspections/new?council=")
    assert response.status_code == 400 and "Choose a council" in response.text


def test_scheduling_shows_answers_to_check_then_records_the_inspection(pages):
    pages.sign_in("inspector")
    starts = pages.clock.day + timedelta(days=28 - pages.clock.day.weekday())
    answers = {"type": "short", **_date("starts_on", starts), "framework": "", "theme": ""}
    before = event_count(pages)
    check = pages.post(f"/inspections/new/{CAMDEN}", answers)
    assert check.status_code == 200 and "Check your answers before submitting" in check.text
    assert "ILACS 2023" in check.text and event_count(pages) == before
    done = pages.post(f"/inspections/new/{CAMDEN}", answers, step="confirm")
    assert done.status_code == 302 and event_count(pages) == before + 1
    assert "Inspection of Camden scheduled" in pages.get(done.location).text


def test_changing_answers_returns_to_the_filled_form(pages):
    pages.sign_in("inspector")
    answers = {"type": "short", **_date("starts_on", pages.clock.day), "theme": "Neglect"}
    page = pages.post(f"/inspections/new/{CAMDEN}", answers, step="change").text
    assert 'value="Neglect"' in page and "Check your answers" not in page


def test_a_schedule_without_a_date_is_refused_on_the_form(pages):
    pages.sign_in("inspector")
    before = event_count(pages)
    response = pages.post(f"/inspections/new/{CAMDEN}", {"type": "short"}, step="confirm")
    assert response.status_code == 400 and "Enter the date fieldwork starts" in response.text
    assert "govuk-error-summary" in response.text and event_count(pages) == before


def test_too_little_notice_is_shown_as_an_error_summary_and_nothing_is_stored(pages):
    pages.sign_in("inspector")
    before = event_count(pages)
    answers = {
        "type": "short",
        "framework": "",
        **_date("starts_on", pages.clock.day + timedelta(days=1)),
    }
    response = pages.post(f"/inspections/new/{CAMDEN}", answers, step="confirm")
    assert response.status_code == 422 and "notice-period" in response.text
    assert event_count(pages) == before


@pytest.mark.parametrize("role", ["officer", "auditor"])
def test_only_inspectorates_may_schedule(pages, role):
    pages.sign_in(role)
    assert pages.get("/inspections/new").status_code == 403
    assert pages.post(f"/inspections/new/{CAMDEN}", {}, step="confirm").status_code == 403


def test_an_unknown_council_cannot_be_scheduled(pages):
    pages.sign_in("inspector")
    assert pages.get("/inspections/new/E99999999").status_code == 404


def test_an_agency_records_its_finding_and_another_agency_is_refused(pages):
    inspection = live_inspection(pages)
    pages.sign_in("inspector")
    answers = {"agency": "OFSTED", "summary": "Strong early help", "recommendations": "A\nB"}
    assert (
        pages.post(f"/inspections/{inspection}/findings/new", answers, step="confirm").status_code
        == 302
    )
    assert "Strong early help" in pages.get(f"/inspections/{inspection}").text
    pages.sign_in("cqc_inspector")
    assert pages.get(f"/inspections/{inspection}/findings/new").status_code == 404


def test_a_finding_needs_a_summary(pages):
    inspection = live_inspection(pages)
    pages.sign_in("inspector")
    response = pages.post(
        f"/inspections/{inspection}/findings/new", {"agency": "OFSTED"}, "confirm"
    )
    assert response.status_code == 400 and "Enter a summary of the finding" in response.text


def test_judgments_that_break_the_framework_are_refused_by_rule_name(pages):
    inspection = live_inspection(pages)
    pages.sign_in("inspector")
    grades = dict(
        zip(ILACS_2023, ["Good", "Good", "Inadequate", "Good", "Outstanding"], strict=True)
    )
    before = event_count(pages)
    response = pages.post(
        f"/inspections/{inspection}/judgments",
        {f"grade_{a}": g for a, g in grades.items()},
        "confirm",
    )
    assert response.status_code == 422
    assert (
        "overall-within-key-judgments" in response.text and "govuk-error-summary" in response.text
    )
    assert 'href="#grade_overall"' in response.text and event_count(pages) == before


def test_judgments_within_the_rules_are_recorded(pages):
    inspection = live_inspection(pages)
    pages.sign_in("inspector")
    data = {f"grade_{a}": "Good" for a in ILACS_2023} | {"recommendations_leaders": "Audit"}
    assert pages.post(f"/inspections/{inspection}/judgments", data, "confirm").status_code == 302
    assert pages.ledger.inspection(pages.ledger_actor, inspection).grades()["overall"] == "Good"


def test_an_empty_judgments_form_asks_for_a_grade(pages):
    inspection = live_inspection(pages)
    pages.sign_in("inspector")
    response = pages.post(f"/inspections/{inspection}/judgments", {}, "confirm")
    assert response.status_code == 400 and "Choose at least one grade" in response.text


def test_completing_unfinished_judgments_is_refused_with_the_rule(pages):
    inspection = live_inspection(pages)
    pages.sign_in("inspector")
    assert (
        "Confirm: complete the judgments" in pages.get(f"/inspections/{inspection}/complete").text
    )
    response = pages.post(f"/inspections/{inspection}/complete", {})
    assert response.status_code == 422 and "judgments-incomplete" in response.text


def test_the_steps_take_an_inspection_to_a_draft(pages):
    inspection = live_inspection(pages, CAMDEN, "focused_visit")
    pages.sign_in("inspector")
    assert pages.post(f"/inspections/{inspection}/complete", {}).status_code == 302
    assert pages.post(f"/inspections/{inspection}/draft", {}).status_code == 302
    assert "draft issued" in pages.get(f"/inspections/{inspection}").text


def test_only_a_moderator_may_publish_and_publication_waits_for_the_window(pages):
    from tests.scenarios import ilacs_2023, officer, run_to_final_report

    inspection = run_to_final_report(
        pages.ledger,
        pages.clock,
        BARNET,
        pages.clock.day + timedelta(days=28),
        ilacs_2023(*["Good"] * 5),
    )
    pages.sign_in("inspector")
    assert pages.post(f"/inspections/{inspection}/publish", {}).status_code == 403
    pages.sign_in("moderator")
    response = pages.post(f"/inspections/{inspection}/publish", {})
    assert response.status_code == 422 and "publication-withheld" in response.text
    assert officer(BARNET)  # the council had its say in run_to_final_report


def test_a_moderator_cancels_with_a_reason(pages):
    inspection = live_inspection(pages)
    pages.sign_in("moderator")
    assert pages.post(f"/inspections/{inspection}/cancel", {}, "confirm").status_code == 400
    assert (
        pages.post(f"/inspections/{inspection}/cancel", {"reason": "Flood"}, "confirm").status_code
        == 302
    )
    assert "cancelled" in pages.get(f"/inspections/{inspection}").text


def test_a_moderator_withdraws_a_final_report_with_a_reason_from_the_workspace(pages):
    from tests.scenarios import RI, ilacs_2023, run_to_final_report

    starts = pages.clock.day + timedelta(days=28)
    inspection = run_to_final_report(
        pages.ledger, pages.clock, CAMDEN, starts, ilacs_2023(*[RI] * 5)
    )
    pages.sign_in("moderator")
    workspace = pages.get(f"/inspections/{inspection}").text
    assert f"/inspections/{inspection}/withdraw" in workspace
    assert f"/inspections/{inspection}/cancel" not in workspace  # a final report is withdrawn
    before = event_count(pages)
    assert pages.post(f"/inspections/{inspection}/withdraw", {}, "confirm").status_code == 400
    assert event_count(pages) == before
    data = {"reason": "Evidence base found unsound"}
    assert "Check your answers" in pages.post(f"/inspections/{inspection}/withdraw", data).text
    assert pages.post(f"/inspections/{inspection}/withdraw", data, "confirm").status_code == 302
    assert "withdrawn" in pages.get(f"/inspections/{inspection}").text
    pages.sign_in("inspector")
    assert pages.post(f"/inspections/{inspection}/withdraw", data, "confirm").status_code == 403


def test_an_inspector_of_another_agency_cannot_see_an_unpublished_inspection(pages):
    inspection = live_inspection(pages)
    pages.sign_in("cqc_inspector")
    response = pages.get(f"/inspections/{inspection}")
    assert response.status_code == 404 and "Page not found" in response.text


def test_an_unknown_inspection_is_not_found(pages):
    pages.sign_in("inspector")
    assert pages.get("/inspections/8d3b2f4e-0000-4000-8000-000000000000").status_code == 404


def test_a_moderator_upholds_a_challenge_and_revises_the_judgment(pages):
    challenge = lodged_challenge(pages)
    pages.sign_in("moderator")
    assert pages.get("/work").text.count(f"/challenges/{challenge}") == 1
    assert "Answer due" in pages.get(f"/challenges/{challenge}").text
    form = pages.get(f"/challenges/{challenge}/decide").text
    assert 'id="revise_leaders"' in form and 'id="revise_overall"' in form
    assert 'id="revise_children_in_care"' not in form  # nobody challenged it
    data = {"outcome": "upheld", "reasons": "Evidence supports Good", "revise_leaders": "Good"}
    check = pages.post(f"/challenges/{challenge}/decide", data)
    assert "Check your answers" in check.text and "The impact of leaders" in check.text
    assert pages.post(f"/challenges/{challenge}/decide", data, "confirm").status_code == 302
    decided = pages.get(f"/challenges/{challenge}").text
    assert "Evidence supports Good" in decided
    assert "Answer due" not in decided  # answered: no deadline is left running


def test_a_decision_that_is_not_upheld_cannot_revise_a_judgment(pages):
    challenge = lodged_challenge(pages)
    pages.sign_in("moderator")
    data = {"outcome": "not upheld", "reasons": "No", "revise_leaders": "Good"}
    response = pages.post(f"/challenges/{challenge}/decide", data, "confirm")
    assert response.status_code == 422 and "changes no judgment" in response.text


def test_a_decision_needs_an_outcome_and_reasons(pages):
    challenge = lodged_challenge(pages)
    pages.sign_in("moderator")
    response = pages.post(f"/challenges/{challenge}/decide", {}, "confirm")
    assert response.status_code == 400
    assert "Choose the outcome" in response.text and "Enter the reasons" in response.text


def test_an_inspector_and_a_council_cannot_decide_a_challenge(pages):
    challenge = lodged_challenge(pages)
    for role in ("inspector", "other_officer"):
        pages.sign_in(role)
        assert pages.get(f"/challenges/{challenge}/decide").status_code == 403


def _schedule_rows(page: str) -> list[str]:
    return re.findall(r'<tr class="govuk-table__row" id="council-(E\d+)"', page)


def test_the_schedule_shows_each_councils_next_inspection_window_and_what_is_overdue(pages):
    pages.sign_in("inspector")
    page = pages.get("/schedule").text
    assert sorted(_schedule_rows(page)) == sorted([BARKING, BARNET, CAMDEN])
    barnet = page.split(f'id="council-{BARNET}"')[1].split("</tr>")[0]
    # Good, published 24 June 2019: a short inspection due within six months of three years on
    assert "Short inspection" in barnet and "24 December 2021 to 24 December 2022" in barnet
    assert "Overdue" in barnet and f"/inspections/new/{BARNET}" in barnet
    camden = page.split(f'id="council-{CAMDEN}"')[1].split("</tr>")[0]
    assert "Overdue" not in camden and "13 April 2028 to 13 April 2029" in camden
    assert "3 councils, 1 with something overdue" in page


def test_the_schedule_filters_by_region_and_by_what_is_overdue(pages):
    pages.sign_in("moderator")
    assert _schedule_rows(pages.get("/schedule?overdue=y").text) == [BARNET]
    assert len(_schedule_rows(pages.get("/schedule?region=London").text)) == 3


def test_a_region_not_in_the_list_is_an_error_summary_not_a_crash(pages):
    pages.sign_in("inspector")
    response = pages.get("/schedule?region=Atlantis")
    assert response.status_code == 400
    assert (
        "govuk-error-summary" in response.text and "Choose a region from the list" in response.text
    )


def test_auditors_see_the_schedule_without_scheduling_and_councils_do_not_see_it(pages):
    pages.sign_in("auditor")
    page = pages.get("/schedule").text
    assert len(_schedule_rows(page)) == 3 and "/inspections/new/" not in page
    assert 'href="/schedule"' in page  # in the navigation
    pages.sign_in("officer")
    assert pages.get("/schedule").status_code == 403


def test_the_schedule_shows_the_last_monitoring_visit_held_and_the_next_due_from_it(pages):
    judged = ilacs_2023(INADEQUATE, INADEQUATE, INADEQUATE, INADEQUATE, INADEQUATE)
    pages.ledger.import_published(
        pages.ledger_actor, BARNET, "standard", date(2025, 5, 5), date(2025, 6, 16), judged
    )
    pages.ledger.import_published(
        pages.ledger_actor, BARNET, "monitoring_visit", date(2025, 9, 2), date(2025, 10, 1), []
    )
    pages.sign_in("inspector")
    barnet = pages.get("/schedule").text.split(f'id="council-{BARNET}"')[1].split("</tr>")[0]
    assert "Last monitoring visit held 2 September 2025" in barnet
    assert "Next monitoring visit due 2 December 2025" in barnet


def sif_inspection_on_site(pages):
    """A SIF inspection of Barking on site in 2016, when SIF let some areas go not judged."""
    pages.clock.advance_to(date(2016, 2, 1))
    inspection = live_inspection(pages, BARKING)
    assert pages.ledger.inspection(pages.ledger_actor, inspection).framework_key == "sif"
    return inspection


def test_the_judgments_form_offers_not_judged_only_where_the_framework_allows_it(pages):
    inspection = sif_inspection_on_site(pages)
    pages.sign_in("inspector")
    page = pages.get(f"/inspections/{inspection}/judgments").text
    options = {
        area: page.split(f'id="grade_{area}"')[1].split("</select>")[0]
        for area in ("adoption_performance", "care_leavers", "help_and_protection", "overall")
    }
    assert "Not judged (nothing to judge)" in options["adoption_performance"]
    assert "Not judged (nothing to judge)" in options["care_leavers"]
    assert NOT_JUDGED not in options["help_and_protection"] and NOT_JUDGED not in options["overall"]


def test_not_judged_is_recorded_and_shown_for_an_area_that_may_go_ungraded(pages):
    inspection = sif_inspection_on_site(pages)
    pages.sign_in("inspector")
    data = {"grade_adoption_performance": NOT_JUDGED}
    response = pages.post(f"/inspections/{inspection}/judgments", data, "confirm")
    assert response.status_code == 302, response.text
    grades = pages.ledger.inspection(pages.ledger_actor, inspection).grades()
    assert grades == {"adoption_performance": NOT_JUDGED}
    page = pages.get(f"/inspections/{inspection}").text
    assert "Adoption performance" in page and NOT_JUDGED in page


def test_not_judged_for_an_area_that_must_be_judged_is_refused_on_its_field(pages):
    inspection = sif_inspection_on_site(pages)
    pages.sign_in("inspector")
    before = event_count(pages)
    data = {"grade_help_and_protection": NOT_JUDGED}
    response = pages.post(f"/inspections/{inspection}/judgments", data, "confirm")
    assert response.status_code == 400 and "govuk-error-summary" in response.text
    assert 'href="#grade_help_and_protection"' in response.text
    assert "&#39;Children who need help and protection&#39; must be judged" in response.text
    assert event_count(pages) == before


def test_the_judgments_page_states_the_frameworks_rules_in_plain_english(pages):
    inspection = live_inspection(pages)
    pages.sign_in("inspector")
    page = pages.get(f"/inspections/{inspection}/judgments").text
    rules = html.unescape(page[page.index('id="rules"') :].split("</ul>")[0])
    assert "and no worse than the worst, of 'The impact of leaders" in rules
    assert "`" not in rules and "(limiting-judgment)" not in rules


def test_the_workspace_is_titled_by_the_inspections_type_and_council(pages):
    inspection = live_inspection(pages)
    pages.sign_in("inspector")
    page = pages.get(f"/inspections/{inspection}").text
    assert "<title>Standard inspection: Barnet - Inspection Ledger</title>" in page


def test_a_framework_rule_is_checked_before_check_your_answers(pages):
    inspection = live_inspection(pages)
    pages.sign_in("inspector")
    before = event_count(pages)
    areas = ("leaders", "help_and_protection", "children_in_care", "care_leavers")
    data = {f"grade_{a}": "Good" for a in areas} | {"grade_overall": "Inadequate"}
    response = pages.post(f"/inspections/{inspection}/judgments", data)
    assert response.status_code == 422 and "govuk-error-summary" in response.text
    assert "Check your answers" not in response.text
    assert event_count(pages) == before


def test_a_refusal_says_dates_as_people_read_them_and_no_rule_code(pages):
    pages.sign_in("inspector")
    yesterday = pages.clock.day - timedelta(days=1)
    when = [str(yesterday.day), str(yesterday.month), str(yesterday.year)]
    answers = {"type": "short", "starts_on": when, "framework": "", "theme": ""}
    response = pages.post(f"/inspections/new/{CAMDEN}", answers)
    assert response.status_code == 422
    summary = html.unescape(
        response.text.split('class="govuk-error-summary"')[1].split("</div>")[0]
    )
    assert yesterday.isoformat() not in summary and "(rule:" not in summary
    assert f"{yesterday.day} {yesterday:%B %Y}" in summary
    assert 'data-rule="' in response.text


def test_a_step_that_would_be_refused_is_not_offered_and_says_why(pages):
    from tests.scenarios import INSPECTOR

    starts = pages.clock.day + timedelta(days=21 + (7 - pages.clock.day.weekday()) % 7)
    inspection = pages.ledger.schedule_inspection(INSPECTOR, BARNET, "standard", starts)
    pages.sign_in("inspector")
    page = html.unescape(pages.get(f"/inspections/{inspection}").text)
    assert f"/inspections/{inspection}/start" not in page
    not_yet = page.split('id="not-yet"')[1].split("</div>")[0]
    assert f"Start fieldwork: Fieldwork cannot start before {starts.day} {starts:%B %Y}" in not_yet
    pages.clock.advance_to(starts)
    page = pages.get(f"/inspections/{inspection}").text
    assert f"/inspections/{inspection}/start" in page and 'id="not-yet"' not in page
