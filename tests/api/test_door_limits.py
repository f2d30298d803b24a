"""Crafted input at the door gets a 4xx problem, never a 500: size, nesting, text, headers, cursors."""

from __future__ import annotations

import base64
import json
from datetime import date

import pytest

from tests.api.conftest import Api, schedule_body
from tests.scenarios import BARKING

PROBLEM = "application/problem+json"


def raw_post(api: Api, path: str, body: bytes | str, if_match: str = "*", **headers: str):
    """POST bytes as JSON, as a client that builds its own body would."""
    given = api.headers("inspector", If_Match=if_match, Idempotency_Key="raw-1", **headers)
    return api.client.post(
        "/api/v1" + path, data=body, headers=given | {"Content-Type": "application/json"}
    )


def scheduled(api: Api) -> str:
    return api.post("/inspections", schedule_body(BARKING, date(2026, 11, 23))).json["id"]


def nested(depth: int) -> str:
    return '{"agency": "OFSTED", "summary": "x", "x": ' + "[" * depth + "]" * depth + "}"


def cursor(value: object) -> str:
    return base64.urlsafe_b64encode(json.dumps({"o": value}).encode()).decode().rstrip("=")


def events(api: Api, inspection: str) -> int:
    return len(api.ledger.events_of(inspection))


def test_a_body_over_the_limit_gets_413_and_writes_nothing(api: Api) -> None:
    inspection = scheduled(api)
    body = json.dumps({"agency": "OFSTED", "summary": "x", "pad": "y" * (1024 * 1024)})
    response = raw_post(api, f"/inspections/{inspection}/findings", body)
    assert (response.status_code, response.mimetype) == (413, PROBLEM)
    assert response.json["type"].endswith("request-too-large")
    assert response.json["detail"] == "The request is larger than 1,048,576 bytes"
    assert events(api, inspection) == 1


def test_the_request_limit_is_configurable(api: Api) -> None:
    api.app.config["MAX_CONTENT_LENGTH"] = 100
    response = api.post("/inspections", schedule_body() | {"theme": "t" * 200})
    assert response.status_code == 413
    assert response.json["detail"] == "The request is larger than 100 bytes"


@pytest.mark.parametrize("depth", [33, 5000])
def test_json_nested_too_deep_gets_400(api: Api, depth: int) -> None:
    inspection = scheduled(api)
    response = raw_post(api, f"/inspections/{inspection}/findings", nested(depth))
    assert (response.status_code, response.mimetype) == (400, PROBLEM)
    assert response.json["detail"] == "The body nests deeper than 32 levels"
    assert events(api, inspection) == 1


def test_json_nested_within_the_limit_reaches_the_schema(api: Api) -> None:
    inspection = scheduled(api)
    response = raw_post(api, f"/inspections/{inspection}/findings", nested(30))
    assert response.status_code == 422  # the unknown field `x`, named by the schema
    assert [e["field"] for e in response.json["errors"]] == ["x"]


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ('{"agency": "OFSTED", "summary": "bad \\ud800 text"}', "summary"),
        ('{"agency": "OFSTED", "summary": "x", "\\udfff": 1}', "The body"),
        (
            '{"agency": "OFSTED", "summary": "x", "recommendations": ["\\ud800"]}',
            "recommendations[0]",
        ),
    ],
)
def test_a_lone_surrogate_gets_422_naming_where_it_is(api: Api, body: str, where: str) -> None:
    inspection = scheduled(api)
    response = raw_post(api, f"/inspections/{inspection}/findings", body)
    assert (response.status_code, response.mimetype) == (422, PROBLEM)
    assert response.json["rule"] == "text-limits"
    assert response.json["detail"] == f"{where} holds a lone surrogate, which is not text"
    assert events(api, inspection) == 1


@pytest.mark.parametrize("tag", ['"' + "9" * 5000 + '"', '"' + "9" * 19 + '"', '"-1"', '"1.5"'])
def test_an_if_match_that_names_no_version_gets_412(api: Api, tag: str) -> None:
    inspection = scheduled(api)
    response = raw_post(
        api, f"/inspections/{inspection}/findings", '{"agency": "OFSTED", "summary": "x"}', tag
    )
    assert (response.status_code, response.json["type"].split("/")[-1]) == (412, "stale-version")
    assert len(response.json["detail"]) < 100
    assert events(api, inspection) == 1


@pytest.mark.parametrize("offset", [2**63, 2**31, True, False, -5, 1.5, "1", None])
def test_a_history_cursor_outside_what_the_api_gives_out_gets_400(
    api_on_every_backend: Api, offset: object
) -> None:
    api = api_on_every_backend
    response = api.get(f"/councils/{BARKING}/history?cursor={cursor(offset)}")
    assert (response.status_code, response.mimetype) == (400, PROBLEM)
    assert response.json["type"].endswith("invalid-cursor")


def test_a_list_cursor_at_the_largest_offset_is_an_empty_page(api: Api) -> None:
    for path in (f"/councils/{BARKING}/history", "/ratings"):
        response = api.get(f"{path}?cursor={cursor(2**31 - 1)}")
        assert (response.status_code, response.json["items"]) == (200, [])
