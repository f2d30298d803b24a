"""Partner-led frameworks and action-planning visits through /api/v1 (DOMAIN.md §3, §6)."""

from __future__ import annotations

from datetime import date, timedelta

from domain.partner_frameworks import INCONSISTENT, YOUTH_JUSTICE_2021
from tests.api.conftest import Api
from tests.scenarios import ADMIN, BARNET, CAMDEN, INADEQUATE, ilacs_2023

STANDARDS = [a.key for a in YOUTH_JUSTICE_2021.areas]


def monday_ahead(api: Api, weeks: int = 4) -> date:
    today = api.ledger.today()
    return today + timedelta(weeks=weeks, days=-today.weekday())


def schedule(api: Api, type_key: str, role: str, council: str = BARNET, **extra):
    body = {"council": council, "type": type_key, "starts_on": monday_ahead(api).isoformat()}
    return api.post("/inspections", body | extra, role=role)


def on_site(api: Api, clock, inspection: str, role: str) -> None:
    clock.advance_to(monday_ahead(api))
    path = f"/inspections/{inspection}"
    assert api.change(path + "/on-site", path, {}, role).status_code == 200


def judge(api: Api, inspection: str, role: str, grades: dict[str, str]):
    path = f"/inspections/{inspection}"
    body = {"judgments": [{"area": a, "grade": g} for a, g in grades.items()]}
    return api.change(path + "/judgments", path, body, role)


def test_hmi_probation_schedules_a_youth_justice_inspection_it_leads(api: Api) -> None:
    created = schedule(api, "youth_justice", "hmip_inspector")

    assert created.status_code == 201, created.json
    assert (created.json["lead_agency"], created.json["framework"]) == ("HMIP", "yjs_2021")


def test_ofsted_may_not_schedule_a_youth_justice_inspection(api: Api) -> None:
    refused = schedule(api, "youth_justice", "inspector")

    assert refused.status_code == 403 and "HM Inspectorate of Probation" in refused.json["detail"]


def test_youth_justice_ratings_keep_hmi_probation_s_scoring_rule(api: Api, clock) -> None:
    inspection = schedule(api, "youth_justice", "hmip_inspector").json["id"]
    on_site(api, clock, inspection, "hmip_moderator")
    standards = dict.fromkeys(STANDARDS, "Good")  # 13 Good score 26 of 39: Good

    misrated = judge(api, inspection, "hmip_inspector", standards | {"overall": "Outstanding"})
    by_ofsted = judge(api, inspection, "inspector", standards | {"overall": "Good"})
    rated = judge(api, inspection, "hmip_inspector", standards | {"overall": "Good"})

    assert misrated.status_code == 422 and misrated.json["rule"] == "overall-follows-from-scores"
    assert by_ofsted.status_code == 404  # Ofsted cannot see an unpublished HMIP inspection
    assert rated.status_code == 200
    grades = {j["area"]: j["grade"] for j in rated.json["judgments"]}
    assert grades["overall"] == "Good" and grades["4_1"] == "Good"


def test_an_area_send_inspection_records_one_outcome_and_no_grade(api: Api, clock) -> None:
    created = schedule(api, "area_send", "inspector")
    inspection = created.json["id"]
    on_site(api, clock, inspection, "inspector")

    graded = judge(api, inspection, "inspector", {"outcome": "Good"})
    outcome = judge(api, inspection, "inspector", {"outcome": INCONSISTENT})

    assert created.json["agencies"] == ["CQC", "OFSTED"]
    assert graded.status_code == 422 and graded.json["rule"] == "grade-not-on-scale"
    assert outcome.status_code == 200


def test_a_council_newly_judged_inadequate_gets_an_action_planning_visit_then_monitoring(
    api: Api, clock
) -> None:
    starts, judgments = date(2025, 6, 2), ilacs_2023(*[INADEQUATE] * 5)
    api.ledger.import_published(
        ADMIN, CAMDEN, "standard", starts, starts + timedelta(days=42), judgments
    )
    monitoring_first = schedule(api, "monitoring_visit", "inspector", CAMDEN)
    visit = schedule(api, "action_planning_visit", "inspector", CAMDEN)
    later = monday_ahead(api, 10).isoformat()
    monitoring = api.post(
        "/inspections",
        {"council": CAMDEN, "type": "monitoring_visit", "starts_on": later},
        role="inspector",
    )

    assert monitoring_first.status_code == 422
    assert monitoring_first.json["rule"] == "reason-required"
    assert "action-planning visit before monitoring" in monitoring_first.json["detail"]
    assert visit.status_code == 201 and visit.json["type"] == "action_planning_visit"
    assert monitoring.status_code == 201, monitoring.json
