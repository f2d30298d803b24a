"""Queries through /api/v1: councils, ratings as of a date, history, statistics, schedule, events."""

from __future__ import annotations

import pytest

from tests.api.conftest import Api
from tests.scenarios import (
    BARKING,
    BARNET,
    CAMDEN,
    GOOD,
    INADEQUATE,
    NORTHAMPTONSHIRE,
    OUTSTANDING,
    RI,
    Story,
    reorganise_northamptonshire,
    tell_story,
)


@pytest.fixture
def story(api: Api, clock) -> Story:
    return tell_story(api.ledger, clock)


def test_councils_are_listed_by_name_and_read_with_their_version(api: Api) -> None:
    listed = api.get("/councils", role="other_officer").json

    assert [c["code"] for c in listed["items"]] == [BARKING, BARNET, CAMDEN]
    council = api.get(f"/councils/{BARKING}")
    assert council.json["name"] == "Barking and Dagenham" and council.headers["ETag"] == '"1"'


def test_current_ratings_follow_revisions_and_withdrawals(api: Api, story: Story) -> None:
    rows = {r["council"]: r for r in api.get("/ratings", role="other_officer").json["items"]}

    assert rows[BARKING]["overall"] == RI  # revised on challenge from Inadequate
    assert rows[BARNET]["overall"] == GOOD  # the 2022 report was withdrawn: the 2019 one stands
    assert rows[CAMDEN]["overall"] == GOOD


def test_ratings_as_of_a_past_date_show_what_was_in_effect(api: Api, story: Story) -> None:
    rows = {r["council"]: r for r in api.get("/ratings?as_of=2020-01-01").json["items"]}

    assert rows[CAMDEN]["overall"] == OUTSTANDING
    assert (
        api.get("/ratings?grade=Outstanding&as_of=2020-01-01").json["items"][0]["council"] == CAMDEN
    )


def test_a_councils_history_lists_every_grade_with_who_and_why(api: Api, story: Story) -> None:
    items = api.get(f"/councils/{BARKING}/history?limit=100").json["items"]

    revised = [h for h in items if h["challenge_id"]]
    assert {h["area"] for h in revised} == {"children_in_care", "overall"}
    assert all(h["recorded_at"].endswith("+00:00") for h in items)


def test_statistics_count_councils_by_grade_as_of_a_date(api: Api, story: Story) -> None:
    figures = api.get("/statistics?as_of=2020-01-01", role="officer").json

    assert figures["councils_rated"] == 3
    assert figures["overall"] == {RI: 1, GOOD: 1, OUTSTANDING: 1}


def test_the_schedule_shows_council_officers_only_their_own_council(api: Api, story: Story) -> None:
    everyone = api.get("/schedule", role="inspector").json["items"]
    mine = api.get("/schedule", role="officer").json["items"]

    assert {r["council"] for r in everyone} == {BARKING, BARNET, CAMDEN}
    assert [r["council"] for r in mine] == [BARKING]


def test_an_aggregates_event_history_is_paged_with_a_cursor_and_link(
    api: Api, story: Story
) -> None:
    first = api.get(f"/events/{story.revised}?limit=5")
    second = api.get(f"/events/{story.revised}?limit=5&cursor={first.json['next']}")

    assert [e["version"] for e in first.json["items"]] == [1, 2, 3, 4, 5]
    assert [e["version"] for e in second.json["items"]] == [6, 7, 8, 9, 10]
    assert first.json["items"][0]["type"] == "Inspection.Scheduled"
    assert first.json["items"][0]["actor"]["user"] == "ian.inspector"
    assert 'rel="next"' in first.headers["Link"] and first.json["next"] in first.headers["Link"]


def test_the_last_page_has_no_next_cursor(api: Api, story: Story) -> None:
    response = api.get(f"/events/{story.revised}?limit=500")

    assert response.json["next"] is None and "Link" not in response.headers


def test_a_cursor_the_api_never_gave_is_refused(api: Api) -> None:
    response = api.get("/councils?cursor=not-a-cursor")

    assert response.status_code == 400 and response.json["rule"] == "invalid-cursor"


def test_a_council_officer_sees_their_councils_work_list(api: Api, story: Story) -> None:
    council = api.get("/worklist", role="officer").json

    assert council["organisation"] == BARKING
    assert [p["inspection_id"] for p in council["action_plans"]] == [str(story.revised)]


def test_an_inspectorate_sees_its_work_list(api: Api, story: Story) -> None:
    response = api.get("/worklist", role="moderator")

    assert response.status_code == 200 and response.json["organisation"] == "OFSTED"


def test_work_lists_are_refused_to_auditors_and_administrators(api: Api) -> None:
    assert api.get("/worklist", role="auditor").status_code == 403
    assert api.get("/worklist", role="admin").status_code == 403


def test_ratings_and_statistics_as_of_a_date_count_the_councils_that_existed_on_it(
    api: Api, story: Story
) -> None:
    reorganise_northamptonshire(api.ledger)
    before = {r["council"]: r for r in api.get("/ratings?as_of=2021-03-31").json["items"]}
    after = {r["council"]: r for r in api.get("/ratings?as_of=2021-04-01").json["items"]}

    assert before[NORTHAMPTONSHIRE]["overall"] == INADEQUATE and NORTHAMPTONSHIRE not in after
    assert api.get("/statistics?as_of=2021-03-31").json["councils"] == 4  # 3 and Northamptonshire
    assert api.get("/statistics?as_of=2021-04-01").json["councils"] == 4  # 3 and its successor
    assert api.get("/statistics?as_of=2021-04-01").json["councils_rated"] == 3
