"""Partner-led frameworks and action-planning visits on the pages (DOMAIN.md §3, §6)."""

from __future__ import annotations

from datetime import date, timedelta

from domain.actors import Actor
from domain.partner_frameworks import TYPICALLY_POSITIVE, YOUTH_JUSTICE_2021
from tests.scenarios import ADMIN, BARNET, INADEQUATE, INSPECTOR, ilacs_2023
from tests.web.conftest import event_count

HMIP = Actor("harri.hmip", "inspector", "HMIP")


def _date(prefix: str, day: date) -> dict[str, list[str]]:
    return {prefix: [str(day.day), str(day.month), str(day.year)]}


def monday_ahead(pages) -> date:
    return pages.clock.day + timedelta(days=28 - pages.clock.day.weekday())


def on_site(pages, type_key: str, actor: Actor) -> str:
    starts = monday_ahead(pages)
    inspection = pages.ledger.schedule_inspection(actor, BARNET, type_key, starts)
    pages.clock.advance_to(starts)
    pages.ledger.start_on_site(actor, inspection)
    return inspection


def test_the_schedule_form_offers_partner_led_frameworks_and_action_planning_visits(pages):
    pages.sign_in("inspector")
    page = pages.get(f"/inspections/new/{BARNET}").text
    for value in ("youth_justice", "area_send", "action_planning_visit", "yjs_2021"):
        assert f'value="{value}"' in page
    assert "Inspection of youth justice services" in page and "Area SEND inspection" in page


def test_a_council_newly_judged_inadequate_is_proposed_an_action_planning_visit(pages):
    starts = date(2025, 6, 2)  # Barnet's last published inspection before this was Good
    judgments = ilacs_2023(*[INADEQUATE] * 5)
    pages.ledger.import_published(
        ADMIN, BARNET, "standard", starts, starts + timedelta(days=42), judgments
    )
    pages.sign_in("inspector")
    page = pages.get(f"/inspections/new/{BARNET}").text
    assert 'value="action_planning_visit" checked' in page
    answers = {"type": "monitoring_visit", **_date("starts_on", monday_ahead(pages))}
    refused = pages.post(f"/inspections/new/{BARNET}", answers | {"reason": ""}, "confirm")
    assert refused.status_code == 422 and "action-planning visit before monitoring" in refused.text


def test_hmi_probation_schedules_a_youth_justice_inspection_and_ofsted_may_not(pages):
    answers = {"type": "youth_justice", **_date("starts_on", monday_ahead(pages))}
    pages.sign_in("inspector")
    before = event_count(pages)
    assert pages.post(f"/inspections/new/{BARNET}", answers, "confirm").status_code == 403
    assert event_count(pages) == before
    pages.sign_in("hmip_inspector")
    check = pages.post(f"/inspections/new/{BARNET}", answers)
    assert "Youth justice services inspection (2021)" in check.text
    assert pages.post(f"/inspections/new/{BARNET}", answers, "confirm").status_code == 302
    assert event_count(pages) == before + 1


def test_the_youth_justice_judgment_form_rates_standards_by_domain_on_hmi_probation_s_scale(pages):
    inspection = on_site(pages, "youth_justice", HMIP)
    pages.sign_in("hmip_inspector")
    form = pages.get(f"/inspections/{inspection}/judgments").text
    assert '<h2 class="govuk-heading-m">4. Resettlement</h2>' in form
    assert ">Requires improvement<" in form and "Requires improvement to be good" not in form
    assert "32–39 Outstanding" in form  # the scoring rule, said from its data
    ratings = {f"grade_{a.key}": "Good" for a in YOUTH_JUSTICE_2021.areas}
    refused = pages.post(
        f"/inspections/{inspection}/judgments",
        ratings | {"grade_overall": "Outstanding"},
        "confirm",
    )
    assert refused.status_code == 422 and "score 26 of 39" in refused.text
    done = pages.post(
        f"/inspections/{inspection}/judgments", ratings | {"grade_overall": "Good"}, "confirm"
    )
    assert done.status_code == 302


def test_the_area_send_form_offers_the_three_published_outcomes_and_no_grade(pages):
    inspection = on_site(pages, "area_send", INSPECTOR)
    pages.sign_in("inspector")
    form = pages.get(f"/inspections/{inspection}/judgments").text
    assert "published outcomes" in form and TYPICALLY_POSITIVE in form
    assert ">Good<" not in form
    data = {"grade_outcome": TYPICALLY_POSITIVE}
    assert pages.post(f"/inspections/{inspection}/judgments", data, "confirm").status_code == 302
