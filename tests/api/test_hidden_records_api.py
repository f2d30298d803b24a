"""A record the caller may not see answers exactly as an absent one, before anything else."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from domain.action_plan import action_plan_id
from domain.commands.concerns import RaisedConcern
from tests.api.conftest import Api, schedule_body
from tests.api.test_permissions_api import CHAL, CONCERN, INSP, MATRIX, PLAN, RAISE, bodies
from tests.scenarios import BARKING, tell_story

ID_ROUTES = sorted(
    (method, rule) for method, rule in MATRIX if "<uuid:" in rule and "<code>" not in rule
)


def answer(api: Api, method: str, path: str, role: str, body: dict[str, Any]) -> Any:
    if method == "GET":
        return api.get(path, role=role)
    return api.post(path, body, role=role, if_match='"1"')  # a stale version, on purpose


def normalised(response: Any, ids: list[str]) -> tuple[int, str, str]:
    """The whole answer with the record's id (and those derived from it) written as <id>."""
    text = response.get_data(as_text=True)
    for id in ids:
        text = text.replace(id, "<id>")
    return response.status_code, response.content_type, text


@pytest.fixture
def api(api_on_every_backend: Api) -> Api:
    """Here on SQLite and on PostgreSQL."""
    return api_on_every_backend


@pytest.fixture
def records(api: Api, clock) -> dict[str, UUID]:
    story = tell_story(api.ledger, clock)
    monday = clock.day + timedelta(weeks=8, days=-clock.day.weekday())
    created = api.post("/inspections", schedule_body(BARKING, monday))
    assert created.status_code == 201, created.json
    return {
        "inspection": UUID(created.json["id"]),  # Barking's, unpublished
        "challenge": story.challenge_revised,  # Barking's; challenges are never public
        "plan": story.revised,  # Barking's published inspection: its plan is not public
        "concern": api.ledger.raise_concern(RaisedConcern(BARKING, "", **RAISE)),  # Ofsted's
    }


def _cases(records: dict[str, UUID]) -> list[tuple[str, str, str]]:
    """(method, rule, kind of record) for every API route with a record's id."""
    cases = []
    for method, rule in ID_ROUTES:
        if rule.startswith(PLAN) or rule == "/events/<uuid:aggregate_id>":
            kinds = ["plan"] if rule.startswith(PLAN) else ["inspection", "challenge", "plan"]
        elif rule.startswith(CHAL):
            kinds = ["challenge"]
        elif rule.startswith(CONCERN):
            kinds = ["concern"]
        else:
            assert rule.startswith(INSP)
            kinds = ["inspection"]
        for kind in kinds:
            cases.append((method, rule, kind))
    return cases


@pytest.mark.parametrize("role", ["other_officer", "cqc_inspector"])
def test_a_hidden_record_answers_every_route_exactly_as_an_absent_one(api, records, role):
    payloads = bodies(api.ledger.today())
    payloads["/findings"] = {"agency": "CQC", "summary": "Seen"}  # not taking part: still 404
    compared = 0
    for method, rule, kind in _cases(records):
        hidden, absent = records[kind], uuid4()
        if rule == "/events/<uuid:aggregate_id>" and kind == "plan":
            hidden, absent = action_plan_id(hidden), action_plan_id(absent)
        body = next((b for suffix, b in payloads.items() if rule.endswith(suffix)), {})
        answers = []
        for id in (hidden, absent):
            path = rule
            for name in (
                "<uuid:inspection_id>",
                "<uuid:challenge_id>",
                "<uuid:aggregate_id>",
                "<uuid:concern_id>",
            ):
                path = path.replace(name, str(id))
            path = path.replace("<action_id>", "A1").replace("<section>", "headline")
            path = path.replace("<comment_id>", "C1")
            answers.append(answer(api, method, path, role, body))
        ids_of = lambda id: [str(id), str(action_plan_id(id))]  # noqa: E731
        seen = normalised(answers[0], ids_of(hidden))
        expected = normalised(answers[1], ids_of(absent))
        assert seen == expected, (method, rule, kind)
        assert seen[0] == 404, (method, rule, kind)
        compared += 1
    assert compared > len(ID_ROUTES) == 33  # every route with a record's id, each kind


def test_a_plan_and_its_events_are_read_by_its_council_lead_inspectorate_and_auditors(api, records):
    plan = records["plan"]
    for role in ("officer", "inspector", "moderator", "auditor", "admin"):
        assert api.get(f"/inspections/{plan}/action-plan", role=role).status_code == 200, role
        assert api.get(f"/events/{action_plan_id(plan)}", role=role).status_code == 200, role
    for role in ("other_officer", "cqc_inspector"):
        assert api.get(f"/inspections/{plan}/action-plan", role=role).status_code == 404, role
        assert api.get(f"/events/{action_plan_id(plan)}", role=role).status_code == 404, role
    # the published inspection itself stays public
    assert api.get(f"/inspections/{plan}", role="other_officer").status_code == 200
