"""Hostile input on PostgreSQL with the follower running: every answer is a 4xx, or a 2xx whose
event is projected; no 5xx; the follower alive and caught up; the log verifying."""

from __future__ import annotations

import base64
import json
import urllib.request
from typing import Any

import pytest

from tests.hostile.conftest import Deployment
from tests.scenarios import BARKING, HOME

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

TWO_MB = "x" * (2 * 1024 * 1024)
COUNCIL_SIDE = ("comments", "challenges", "escalation", "action-plan")
EVERY_TEXT_FIELD = {
    "theme",
    "summary",
    "strengths",
    "areas_for_improvement",
    "recommendations",
    "evidence",
    "judgments.area",
    "judgments.grade",
    "comment",
    "reason",
    "reference",
    "grounds",
    "reasons",
    "revisions",
    "recommendation",
    "area",
    "description",
    "owner",
    "note",
    "details",
    "council",
    "section",
    "text",
    "working_well",
    "needs_to_improve",
    "setting_urn",
    "urn",
    "name",
    "provider",
    "provider_council",
}


def document(deployment: Deployment) -> dict[str, Any]:
    with urllib.request.urlopen(deployment.base + "/api/openapi.json", timeout=30) as response:
        return json.loads(response.read())


def resolved(schema: dict[str, Any], doc: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def valid(schema: dict[str, Any], doc: dict[str, Any]) -> Any:
    """A value the schema accepts: enums' first, dates, short text; required properties only."""
    schema = resolved(schema, doc)
    kind = schema.get("type")
    kind = next((k for k in kind if k != "null"), None) if isinstance(kind, list) else kind
    if "enum" in schema:
        return next(v for v in schema["enum"] if v is not None)
    if kind == "object":
        return {name: valid(schema["properties"][name], doc) for name in schema.get("required", [])}
    if kind == "array":
        return []
    if kind == "boolean":
        return False
    if kind == "integer":
        return 1
    if schema.get("format") == "date":
        return "2027-01-04"
    return "x"


def hostile_values(schema: dict[str, Any]) -> list[str]:
    values = ["nul\u0000text", "lone \ud800 surrogate", TWO_MB]
    if "maxLength" in schema:
        values.append("y" * (schema["maxLength"] + 1))
    return values


def mutations(body_schema: dict[str, Any], doc: dict[str, Any]) -> list[tuple[str, dict]]:
    """Each text field of the body (list items and map keys and values too), made hostile."""
    schema = resolved(body_schema, doc)
    base = valid(schema, doc)
    found = []
    for name, prop in schema.get("properties", {}).items():
        prop = resolved(prop, doc)
        if prop.get("readOnly"):
            continue
        if prop.get("type") == "string" and "enum" not in prop and prop.get("format") != "date":
            found += [(name, base | {name: v}) for v in hostile_values(prop)]
        elif prop.get("type") == "array":
            item = resolved(prop.get("items", {}), doc)
            if item.get("type") == "string" and "enum" not in item:
                found += [(name, base | {name: [v]}) for v in hostile_values(item)]
            elif item.get("type") == "object":  # judgments: each of their text fields
                inner = valid(item, doc)
                for sub, sub_prop in item.get("properties", {}).items():
                    if resolved(sub_prop, doc).get("type") == "string":
                        found += [
                            (f"{name}.{sub}", base | {name: [inner | {sub: v}]})
                            for v in hostile_values(resolved(sub_prop, doc))
                        ]
        elif prop.get("type") == "object":  # revisions: area -> grade
            for v in hostile_values({}):
                found += [(name, base | {name: {v: "Good"}}), (name, base | {name: {"x": v}})]
    return found


def target(path: str, deployment: Deployment) -> tuple[str, str]:
    """Fill the path's ids with real records, and choose who may act there."""
    story = deployment.story
    inspection = str(story.revised) if "action-plan" in path or "challenges" in path else None
    filled = (
        path.replace("{inspection_id}", inspection or deployment.on_site)
        .replace("{challenge_id}", str(story.challenge_revised))
        .replace("{aggregate_id}", deployment.on_site)
        .replace("{code}", BARKING)
        .replace("{action_id}", "A1")
        .replace("{section}", "headline")
        .replace("{comment_id}", "C1")
        .replace("{username}", "nobody.here")  # every hostile body is refused before the name
        .replace("{urn}", HOME)
    )
    admin_paths = ("interventions", "/accounts", "/settings")
    role = "admin" if any(part in path for part in admin_paths) else "moderator"
    if any(part in path for part in COUNCIL_SIDE) and "decision" not in path:
        role = "officer"
    return filled.removeprefix("/api/v1"), role


def test_hostile_text_in_every_field_of_every_command_never_stops_the_ledger(
    deployment: Deployment,
) -> None:
    doc = document(deployment)
    tried, fields = 0, set()
    for path, operations in doc["paths"].items():
        post = operations.get("post")
        if not post or "requestBody" not in post:
            continue
        content = post["requestBody"]["content"]
        if "application/json" not in content:  # a witness's cosignature: tests/api/test_log_*
            continue
        body_schema = content["application/json"]["schema"]
        where, role = target(path, deployment)
        for name, body in mutations(body_schema, doc):
            answer = deployment.post(
                "/api/v1" + where, body, role, **{"If-Match": "*", "Idempotency-Key": f"h{tried}"}
            )
            tried, fields = tried + 1, fields | {name}
            assert answer.status < 500, (path, name, answer.status, answer.body[:300])
            if answer.status in (400, 422):
                assert "problem" in answer.body or "detail" in answer.body
    assert fields >= EVERY_TEXT_FIELD, EVERY_TEXT_FIELD - fields
    assert deployment.server_errors() == []
    deployment.assert_ledger_intact()


def test_crafted_requests_are_refused_cleanly_and_store_nothing(deployment: Deployment) -> None:
    findings = f"/api/v1/inspections/{deployment.on_site}/findings"
    head = deployment.ledger.recorder.max_notification_id()
    headers = {"If-Match": "*"}
    crafted = {
        "JSON nested 5,000 deep": ('{"x":' + "[" * 5000 + "]" * 5000 + "}").encode(),
        "a lone surrogate": b'{"agency":"OFSTED","summary":"\\ud800"}',
        "a NUL character": b'{"agency":"OFSTED","summary":"nul\\u0000"}',
        "bytes that are not UTF-8": b'{"agency":"OFSTED","summary":"\xff\xfe"}',
        "a 10 MB finding": json.dumps(
            {"agency": "OFSTED", "summary": "s", "recommendations": ["r" * 3999] * 2700}
        ).encode(),
    }
    for n, (what, data) in enumerate(crafted.items()):
        answer = deployment.send("POST", findings, data, **headers, **{"Idempotency-Key": f"c{n}"})
        assert 400 <= answer.status < 500, (what, answer.status, answer.body[:300])

    long_tag = {"If-Match": '"' + "9" * 5000 + '"', "Idempotency-Key": "c-tag"}
    answer = deployment.send("POST", findings, b'{"agency":"OFSTED","summary":"s"}', **long_tag)
    assert answer.status in (400, 412), answer.body[:300]

    cursor = base64.urlsafe_b64encode(json.dumps({"o": 2**63}).encode()).decode().rstrip("=")
    answer = deployment.send("GET", f"/api/v1/councils/{BARKING}/history?cursor={cursor}")
    assert answer.status == 400, answer.body[:300]

    assert deployment.ledger.recorder.max_notification_id() == head
    assert deployment.server_errors() == []
    deployment.assert_ledger_intact()


def test_schemathesis_finds_no_server_error_on_postgres_with_the_follower(
    deployment: Deployment,
) -> None:
    import schemathesis
    from hypothesis import HealthCheck, given, settings
    from schemathesis.checks import not_a_server_error

    schema = schemathesis.openapi.from_url(deployment.base + "/api/openapi.json")
    token = {"Authorization": f"Bearer {deployment.tokens['moderator']}"}
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()

        def on_real_records(case: schemathesis.Case, template: str = operation.path) -> Any:
            path, _ = target(template, deployment)
            for name in case.path_parameters or {}:
                position = template.removeprefix("/api/v1").split("/").index("{" + name + "}")
                case.path_parameters[name] = path.split("/")[position]
            if case.headers and "If-Match" in case.headers:
                case.headers["If-Match"] = "*"
            return case

        @given(case=operation.as_strategy().map(on_real_records))
        @settings(
            max_examples=6, deadline=None, suppress_health_check=list(HealthCheck), database=None
        )
        def no_server_error(case: schemathesis.Case) -> None:
            case.call_and_validate(headers=token, checks=[not_a_server_error])

        try:
            no_server_error()
        except (Exception, BaseExceptionGroup) as error:
            failures.append(f"{operation.method.upper()} {operation.path}: {error}")
    assert failures == []
    deployment.assert_ledger_intact()
