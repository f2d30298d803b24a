"""Text outside its field's limits is refused at the API with a 422 naming the field."""

from __future__ import annotations

from datetime import date

import pytest

from tests.api.conftest import Api, schedule_body
from tests.api.test_challenges_and_plans_api import final_report  # noqa: F401 (a fixture)
from tests.scenarios import BARKING


def event_count(api: Api) -> int:
    return api.ledger.recorder.max_notification_id() or 0


def refused_fields(response) -> set[str]:
    assert response.status_code == 422, response.json
    assert response.mimetype == "application/problem+json"
    return {error["field"] for error in response.json["errors"]}


@pytest.mark.parametrize(
    "theme",
    ["nul\u0000theme", "lone \ud800 surrogate", "escape \u001b[31m", "x" * 201],
    ids=["NUL", "lone surrogate", "control character", "one over the limit"],
)
def test_scheduling_with_a_theme_outside_its_limits_names_the_field_and_stores_nothing(
    api_on_every_backend: Api, theme: str
) -> None:
    api = api_on_every_backend
    before = event_count(api)
    body = schedule_body(BARKING, date(2026, 11, 23)) | {"type": "focused_visit", "theme": theme}

    response = api.post("/inspections", body)

    assert refused_fields(response) == {"theme"}
    assert event_count(api) == before


def test_a_report_challenge_reference_over_60_characters_is_refused(
    api: Api,
    final_report: str,  # noqa: F811
) -> None:
    before = event_count(api)
    response = api.change(
        f"/inspections/{final_report}/challenges",
        f"/inspections/{final_report}",
        {"subject": "report", "reference": "R" * 61, "grounds": "g"},
        role="officer",
    )

    assert refused_fields(response) == {"reference"}
    assert event_count(api) == before


def test_a_cancellation_reason_over_4000_characters_is_refused(
    api: Api,
    final_report: str,  # noqa: F811
) -> None:
    response = api.change(
        f"/inspections/{final_report}/cancellation",
        f"/inspections/{final_report}",
        {"reason": "x" * 4001},
        role="moderator",
    )

    assert refused_fields(response) == {"reason"}
    assert api.get(f"/inspections/{final_report}").json["status"] == "final report issued"


def test_a_finding_with_too_many_lines_of_recommendations_is_refused(api: Api, clock) -> None:
    from tests.api.test_inspections_api import on_site

    inspection = on_site(api, clock)
    body = {"agency": "OFSTED", "summary": "s", "recommendations": ["r"] * 51}

    response = api.post(f"/inspections/{inspection}/findings", body, if_match='"2"')

    assert refused_fields(response) == {"recommendations"}


def test_an_inspection_starting_beyond_the_two_year_horizon_is_refused(api: Api) -> None:
    response = api.post("/inspections", schedule_body(BARKING, date(9999, 12, 27)))

    assert response.status_code == 422
    assert "years ahead" in response.json["detail"]
