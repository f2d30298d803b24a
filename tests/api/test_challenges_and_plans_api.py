"""Challenges, decisions and action plans through /api/v1, on a story told through the commands."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

import pytest

from tests.api.conftest import Api
from tests.scenarios import (
    BARKING,
    INADEQUATE,
    RI,
    Story,
    challengeable_report,
    publish_after_window,
    tell_story,
)


@pytest.fixture
def story(api: Api, clock) -> Story:
    return tell_story(api.ledger, clock)


@pytest.fixture
def final_report(api: Api, clock) -> str:
    return str(challengeable_report(api.ledger, clock))


def lodge(api: Api, inspection: str) -> dict:
    response = api.change(
        f"/inspections/{inspection}/challenges",
        f"/inspections/{inspection}",
        {
            "subject": "judgment",
            "reference": "children_in_care",
            "grounds": "Placement data misread",
            "evidence": ["Audit"],
        },
        role="officer",
    )
    assert response.status_code == 201, response.json
    return response.json


def test_a_council_lodges_a_challenge_and_the_inspection_notes_it(
    api: Api, final_report: str
) -> None:
    challenge = lodge(api, final_report)

    assert challenge["status"] == "under review" and challenge["council"] == BARKING
    assert api.get(f"/challenges/{challenge['id']}").headers["ETag"] == '"1"'
    assert api.get(f"/inspections/{final_report}").json["open_challenges"] == [challenge["id"]]


def test_an_upheld_challenge_revises_the_judgment_and_keeps_the_original(
    api: Api, final_report: str
) -> None:
    challenge = lodge(api, final_report)

    decided = api.change(
        f"/challenges/{challenge['id']}/decision",
        f"/challenges/{challenge['id']}",
        {
            "outcome": "upheld",
            "reasons": "The data supports RI",
            "revisions": {"children_in_care": RI, "overall": RI},
        },
        role="second_moderator",
    )

    assert decided.status_code == 200 and decided.json["outcome"] == "upheld"
    grades = {j["area"]: j for j in api.get(f"/inspections/{final_report}").json["judgments"]}
    assert grades["children_in_care"]["grade"] == RI
    assert grades["children_in_care"]["challenge_id"] == challenge["id"]
    types = [e["type"] for e in api.get(f"/events/{final_report}?limit=100").json["items"]]
    assert types.count("Inspection.JudgmentRevised") == 2


def test_a_moderator_cannot_decide_a_challenge_to_their_own_judgment(
    api: Api, final_report: str
) -> None:
    challenge = lodge(api, final_report)

    response = api.change(
        f"/challenges/{challenge['id']}/decision",
        f"/challenges/{challenge['id']}",
        {"outcome": "not upheld", "reasons": "Sound"},
        role="inspector",
    )

    assert response.status_code == 403


def test_a_decided_challenge_is_escalated_then_the_adjudicator_recommends(
    api: Api, final_report: str
) -> None:
    challenge = lodge(api, final_report)["id"]
    api.change(
        f"/challenges/{challenge}/decision",
        f"/challenges/{challenge}",
        {"outcome": "not upheld", "reasons": "Sound"},
        role="second_moderator",
    )

    escalated = api.change(
        f"/challenges/{challenge}/escalation",
        f"/challenges/{challenge}",
        {"grounds": "Not heard"},
        role="officer",
    )
    recommended = api.change(
        f"/challenges/{challenge}/adjudicator-recommendation",
        f"/challenges/{challenge}",
        {"outcome": "partially upheld", "recommendation": "Apologise for the delay"},
        role="adjudicator",
    )

    assert escalated.status_code == 200 and escalated.json["stage"] == "adjudicator"
    assert recommended.status_code == 200 and recommended.json["status"] == "closed"
    assert [s["step"] for s in recommended.json["steps"]] == [
        "lodged",
        "decided",
        "escalated",
        "adjudicator recommended",
    ]


def test_a_council_keeps_its_action_plan_through_the_api(
    api: Api, final_report: str, clock
) -> None:
    publish_after_window(api.ledger, clock, UUID(final_report))
    plan = f"/inspections/{final_report}/action-plan"
    api.change(plan + "/submission", plan, {"summary": "Our plan"}, role="officer")

    added = api.change(
        plan + "/actions",
        plan,
        {
            "area": "leaders",
            "recommendation": "Strengthen leaders",
            "description": "Train managers",
            "owner": "Director",
            "due_on": (clock.day + timedelta(days=30)).isoformat(),
        },
        role="officer",
    )
    [action] = added.json["actions"]
    progressed = api.change(
        f"{plan}/actions/{action['reference']}/progress",
        plan,
        {"note": "Half trained", "evidence": ["Register"]},
        role="officer",
    )
    done = api.change(
        f"{plan}/actions/{action['reference']}/completion",
        plan,
        {"evidence": ["Certificates"]},
        role="officer",
    )
    closed = api.change(plan + "/completion", plan, role="officer")

    assert added.status_code == 201
    assert progressed.json["actions"][0]["progress"][0]["note"] == "Half trained"
    assert done.json["actions"][0]["completed_on"] == clock.day.isoformat()
    assert closed.status_code == 200 and closed.json["completed_on"] == clock.day.isoformat()


def test_an_administrator_records_a_dfe_intervention_on_a_council(api: Api, clock) -> None:
    response = api.change(
        f"/councils/{BARKING}/interventions",
        f"/councils/{BARKING}",
        {"kind": "improvement_notice_issued", "on": clock.day.isoformat(), "details": "Notice"},
        role="admin",
    )

    assert response.status_code == 201
    assert response.json["interventions"][0]["kind"] == "improvement_notice_issued"
    assert response.headers["ETag"] == '"2"'


def test_the_disputes_trail_shows_original_and_standing_grades(api: Api, story: Story) -> None:
    rows = api.get(f"/disputes?council={BARKING}").json["items"]

    [row] = rows
    assert (row["original_grade"], row["current_grade"]) == (INADEQUATE, RI)
    assert api.get("/disputes", role="other_officer").json["items"] == [
        r for r in api.get("/disputes").json["items"] if r["council"] != BARKING
    ]


def test_a_decision_may_not_revise_a_judgment_its_challenge_does_not_name(
    api: Api, final_report: str
) -> None:
    challenge = lodge(api, final_report)  # to children_in_care
    before = api.get(f"/inspections/{final_report}").json["judgments"]

    response = api.change(
        f"/challenges/{challenge['id']}/decision",
        f"/challenges/{challenge['id']}",
        {"outcome": "upheld", "reasons": "Bypass", "revisions": {"leaders": "Outstanding"}},
        role="moderator",
    )

    assert response.status_code == 422
    assert response.json["rule"] == "revision-outside-challenge"
    assert "cannot revise leaders" in response.json["detail"]
    assert api.get(f"/inspections/{final_report}").json["judgments"] == before
    assert api.get(f"/challenges/{challenge['id']}").json["status"] == "under review"
