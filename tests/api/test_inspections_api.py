"""An inspection's whole lifecycle through /api/v1, each answer with its new ETag."""

from __future__ import annotations

from datetime import date, timedelta

from domain.grades import NOT_JUDGED
from tests.api.conftest import Api, schedule_body
from tests.scenarios import BARKING, GOOD, RI

STARTS = date(2026, 11, 23)
GRADES = {
    "leaders": GOOD,
    "help_and_protection": RI,
    "children_in_care": GOOD,
    "care_leavers": GOOD,
}


def scheduled(api: Api) -> str:
    response = api.post("/inspections", schedule_body(BARKING, STARTS))
    assert response.status_code == 201, response.json
    return response.json["id"]


def on_site(api: Api, clock) -> str:
    inspection = scheduled(api)
    clock.advance_to(STARTS)
    assert api.post(f"/inspections/{inspection}/on-site", if_match='"1"').status_code == 200
    return inspection


def judged(api: Api, clock) -> str:
    inspection = on_site(api, clock)
    body = {"judgments": [{"area": a, "grade": g} for a, g in GRADES.items()]}
    assert api.post(f"/inspections/{inspection}/judgments", body, if_match='"2"').status_code == 200
    assert (
        api.post(f"/inspections/{inspection}/judgments-complete", if_match='"6"').status_code == 200
    )
    return inspection


def test_scheduling_answers_201_with_location_etag_and_the_inspection(api: Api) -> None:
    response = api.post("/inspections", schedule_body(BARKING, STARTS))

    assert response.status_code == 201
    assert response.headers["ETag"] == '"1"'
    assert response.headers["Location"] == f"/api/v1/inspections/{response.json['id']}"
    assert response.json["findings"] == []
    assert (response.json["status"], response.json["framework"]) == ("scheduled", "ilacs_2026")


def test_reading_an_inspection_gives_its_version_as_etag(api: Api) -> None:
    inspection = scheduled(api)

    response = api.get(f"/inspections/{inspection}")

    assert response.status_code == 200
    assert response.headers["ETag"] == '"1"'
    assert response.json["version"] == 1 and response.json["council"] == BARKING


def test_a_finding_is_recorded_with_its_narrative_and_a_new_etag(api: Api, clock) -> None:
    inspection = on_site(api, clock)

    response = api.post(
        f"/inspections/{inspection}/findings",
        {"agency": "OFSTED", "summary": "Supervision is irregular", "recommendations": ["Audit"]},
        if_match='"2"',
    )

    assert response.status_code == 201
    assert response.headers["ETag"] == '"3"'
    [finding] = response.json["findings"]
    assert finding["reference"] == "F1" and finding["recommendations"] == ["Audit"]
    assert finding["recorded_by"] == "ian.inspector"


def test_judgments_that_break_the_framework_are_refused_naming_the_rule(api: Api, clock) -> None:
    inspection = on_site(api, clock)
    body = {"judgments": [{"area": "overall", "grade": GOOD}]}

    response = api.post(f"/inspections/{inspection}/judgments", body, if_match='"2"')

    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert response.json["rule"] == "no-overall-judgment"
    assert len(api.ledger.events_of(inspection)) == 2


def test_the_report_goes_from_draft_to_publication(api: Api, clock) -> None:
    inspection = judged(api, clock)
    clock.advance_to(STARTS + timedelta(days=21))
    assert (
        api.change(f"/inspections/{inspection}/draft", f"/inspections/{inspection}").status_code
        == 200
    )
    comment = api.change(
        f"/inspections/{inspection}/comments",
        f"/inspections/{inspection}",
        {"comment": "Nothing to add", "complete": True},
        role="officer",
    )
    assert comment.status_code == 200 and comment.json["comments_complete"] is True
    final = api.change(
        f"/inspections/{inspection}/final-report", f"/inspections/{inspection}", role="moderator"
    )
    assert final.status_code == 200 and final.json["status"] == "final report issued"
    clock.advance_to(clock.day + timedelta(days=7))

    published = api.change(
        f"/inspections/{inspection}/publication", f"/inspections/{inspection}", role="moderator"
    )

    assert published.status_code == 200
    assert published.json["published_on"] == clock.day.isoformat()
    assert api.get(f"/inspections/{inspection}/action-plan").status_code == 200


def test_an_inspection_can_be_cancelled_with_a_reason(api: Api) -> None:
    inspection = scheduled(api)

    response = api.post(
        f"/inspections/{inspection}/cancellation",
        {"reason": "Council reorganised"},
        role="moderator",
        if_match='"1"',
    )

    assert response.status_code == 200
    assert (response.json["status"], response.json["ended_reason"]) == (
        "cancelled",
        "Council reorganised",
    )


def test_an_inspection_without_a_final_report_cannot_be_withdrawn(api: Api, clock) -> None:
    inspection = on_site(api, clock)

    response = api.post(
        f"/inspections/{inspection}/withdrawal",
        {"reason": "Lead inspector ill"},
        role="moderator",
        if_match="*",
    )

    assert response.status_code == 422 and response.json["rule"] == "no-report-to-withdraw"
    assert api.get(f"/inspections/{inspection}").json["status"] == "on site"


def test_the_list_shows_only_inspections_the_caller_may_see(api: Api) -> None:
    inspection = scheduled(api)

    mine = api.get("/inspections?council=" + BARKING, role="officer").json["items"]
    theirs = api.get("/inspections", role="other_officer").json["items"]

    assert [i["id"] for i in mine] == [inspection]
    assert theirs == []


def test_an_unpublished_inspection_is_hidden_from_other_councils_and_agencies(api: Api) -> None:
    inspection = scheduled(api)

    assert api.get(f"/inspections/{inspection}", role="officer").status_code == 200
    assert api.get(f"/inspections/{inspection}", role="other_officer").status_code == 404
    assert api.get(f"/inspections/{inspection}", role="cqc_inspector").status_code == 404
    assert api.get(f"/events/{inspection}", role="other_officer").status_code == 404


def sif_on_site(api: Api, clock) -> str:
    """A SIF inspection on site in 2016, when SIF let some areas go not judged."""
    clock.advance_to(date(2016, 2, 1))
    response = api.post("/inspections", schedule_body(BARKING, date(2016, 2, 22)))
    assert response.status_code == 201 and response.json["framework"] == "sif", response.json
    clock.advance_to(date(2016, 2, 22))
    inspection = response.json["id"]
    assert api.post(f"/inspections/{inspection}/on-site", if_match='"1"').status_code == 200
    return inspection


def test_not_judged_is_accepted_for_an_area_the_framework_lets_go_ungraded(api: Api, clock) -> None:
    inspection = sif_on_site(api, clock)
    body = {"judgments": [{"area": "adoption_performance", "grade": NOT_JUDGED}]}

    response = api.post(f"/inspections/{inspection}/judgments", body, if_match='"2"')

    assert response.status_code == 200, response.json
    assert {j["area"]: j["grade"] for j in response.json["judgments"]} == {
        "adoption_performance": NOT_JUDGED
    }


def test_not_judged_elsewhere_is_refused_naming_the_field(api: Api, clock) -> None:
    inspection = sif_on_site(api, clock)
    body = {
        "judgments": [
            {"area": "care_leavers", "grade": NOT_JUDGED},
            {"area": "help_and_protection", "grade": NOT_JUDGED},
        ]
    }

    response = api.post(f"/inspections/{inspection}/judgments", body, if_match='"2"')

    assert response.status_code == 422 and response.json["rule"] == "judgment-required"
    [error] = response.json["errors"]
    assert error["field"] == "judgments.1.grade"
    assert "'Children who need help and protection' must be judged" in error["message"]
    assert len(api.ledger.events_of(inspection)) == 2


def test_a_grade_off_the_scale_is_refused_naming_the_field(api: Api, clock) -> None:
    inspection = on_site(api, clock)
    body = {"judgments": [{"area": "leaders", "grade": "Adequate"}]}

    response = api.post(f"/inspections/{inspection}/judgments", body, if_match='"2"')

    assert response.status_code == 422 and response.json["rule"] == "grade-not-on-scale"
    assert response.json["errors"][0]["field"] == "judgments.0.grade"
