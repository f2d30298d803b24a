"""The OpenAPI 3.1 document is complete, self-contained, and the API keeps to it (schemathesis)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.api.conftest import Api, make_api
from tests.conftest import Clock
from tests.scenarios import HOME, tell_story

PROBLEM = "application/problem+json"
EXAMPLES = 8  # per operation: bounded, so the suite stays fast
WRITE_ERRORS = {"400", "401", "403", "404", "409", "412", "422", "428", "429"}
# anyone may send these, without a token or an Idempotency-Key (keys from strangers would
# collide, and a replay would hand one person another's answer); they are throttled instead
PUBLIC_WRITES = ("/api/v1/concerns", "/api/v1/log/cosignatures")


@pytest.fixture(scope="module")
def story_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    """One app for the whole module, with the story told, so examples hit real records."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LEDGER_INLINE_PROJECTIONS", "1")
        url = f"sqlite:///{Path(tmp_path_factory.mktemp('openapi')) / 'api.sqlite'}"
        clock = Clock(date(2026, 11, 2))
        for api in make_api(url, clock):
            # schemathesis sends hundreds of wrong tokens: their throttling is tested elsewhere
            api.app.extensions["ledger_limiter"].enabled = False
            story = tell_story(api.ledger, clock)
            api.app.config["STORY_IDS"] = {
                "inspection_id": str(story.revised),
                "challenge_id": str(story.challenge_revised),
                "aggregate_id": str(story.revised),
                "code": "E09000002",
                "action_id": "A1",
                "section": "headline",
                "comment_id": "C1",
                "urn": HOME,
            }
            yield api


@pytest.fixture(scope="module")
def story_ids(story_api: Api) -> dict[str, str]:
    return story_api.app.config["STORY_IDS"]


@pytest.fixture(scope="module")
def document(story_api: Api) -> dict:
    response = story_api.client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.json


def test_the_document_is_openapi_3_1_with_bearer_tokens_for_every_operation(document: dict) -> None:
    assert document["openapi"] == "3.1.0"
    assert document["security"] == [{"token": []}]
    assert document["components"]["securitySchemes"]["token"]["scheme"] == "bearer"


def test_every_api_route_is_documented_with_its_methods(story_api: Api, document: dict) -> None:
    routes = {
        (method.lower(), re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule))
        for rule in story_api.app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    documented = {(m, p) for p, ops in document["paths"].items() for m in ops if m != "parameters"}
    assert routes == documented


def test_every_write_documents_its_headers_body_and_every_error(document: dict) -> None:
    creates = ("/api/v1/inspections", "/api/v1/accounts", "/api/v1/settings")  # no version yet
    whole = ("/api/v1/accounts/me/notification-preferences",)  # PUT: replaced whole, no version
    for path, operations in document["paths"].items():
        for post in (operations.get("post"), operations.get("put")):
            if not post or path in PUBLIC_WRITES:
                continue
            headers = {p["name"] for p in post["parameters"] if p["in"] == "header"}
            assert "Idempotency-Key" in headers, path
            assert path in creates + whole or "If-Match" in headers, path
            assert set(post["responses"]) >= WRITE_ERRORS, path


def test_raising_a_concern_needs_no_token_and_documents_its_refusals(document: dict) -> None:
    post = document["paths"]["/api/v1/concerns"]["post"]
    assert post["security"] == []
    assert set(post["responses"]) >= {"201", "400", "422", "429"}


def test_every_error_response_is_a_problem_document(document: dict) -> None:
    for name, response in document["components"]["responses"].items():
        if "content" in response:
            assert list(response["content"]) == [PROBLEM], name


def test_the_document_loads_nothing_from_outside(story_api: Api) -> None:
    text = story_api.client.get("/api/openapi.json").get_data(as_text=True)

    assert "http://" not in text
    assert "https://" not in text.replace("https://inspection-ledger.invalid/", "")


def test_the_api_keeps_to_its_document(story_api: Api, story_ids: dict[str, str]) -> None:
    """schemathesis: no server error, no response outside the document, for every operation.

    Each operation is tried with generated ids and headers, then on the story's real records
    with `If-Match: *`, so generated bodies reach the domain. Schema-valid data the domain
    refuses (a framework rule, an unknown id, a cursor this API never gave) is a correct
    refusal, so `positive_data_acceptance` is not checked.
    """
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", story_api.app)
    token = {"Authorization": f"Bearer {story_api.tokens['moderator']}"}
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]

    def on_real_records(case: schemathesis.Case) -> schemathesis.Case:
        for name in case.path_parameters or {}:
            case.path_parameters[name] = story_ids.get(name, case.path_parameters[name])
        if case.headers and "If-Match" in case.headers:
            case.headers["If-Match"] = "*"
        return case

    for operation in operations:
        for strategy in (operation.as_strategy(), operation.as_strategy().map(on_real_records)):

            @given(case=strategy)
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                suppress_health_check=list(HealthCheck),
                database=None,
            )
            def keeps_to_document(case: schemathesis.Case) -> None:
                case.call_and_validate(headers=token, excluded_checks=[positive_data_acceptance])

            try:
                keeps_to_document()
            except (Exception, BaseExceptionGroup) as error:  # collect every operation's failures
                failures.append(f"{operation.method.upper()} {operation.path}: {error}")

    assert len(operations) == 68
    assert failures == []


def test_every_operation_documents_429_with_retry_after(document: dict) -> None:
    throttled = document["components"]["responses"]["TOO_MANY_REQUESTS"]
    assert "Retry-After" in throttled["headers"]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if method != "parameters":
                assert "429" in operation["responses"], (method, path)
