"""Every failure is an RFC 9457 problem with the right status, and nothing is written."""

from __future__ import annotations

from datetime import date

from flask import Flask
from flask_wtf.csrf import CSRFProtect

from tests.api.conftest import Api, schedule_body
from tests.scenarios import BARKING
from web.api import init_api

PROBLEM = "application/problem+json"


def scheduled(api: Api) -> str:
    return api.post("/inspections", schedule_body(BARKING, date(2026, 11, 23))).json["id"]


def test_a_request_without_a_token_gets_401_with_a_bearer_challenge(api: Api) -> None:
    response = api.get("/ratings", role=None)

    assert response.status_code == 401 and response.mimetype == PROBLEM
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.json["status"] == 401 and response.json["instance"] == "/api/v1/ratings"


def test_an_unknown_token_gets_401(api: Api) -> None:
    response = api.client.get(
        "/api/v1/ratings", headers={"Authorization": "Bearer ledger_nonsense"}
    )

    assert response.status_code == 401 and response.json["rule"] == "invalid-token"


def test_a_revoked_token_stops_working_at_once(api: Api) -> None:
    store = api.app.extensions["api_tokens"]
    record, token = store.create("aud.itor")
    assert (
        api.client.get("/api/v1/ratings", headers={"Authorization": f"Bearer {token}"}).status_code
        == 200
    )

    store.revoke(record.id)

    assert (
        api.client.get("/api/v1/ratings", headers={"Authorization": f"Bearer {token}"}).status_code
        == 401
    )


def test_a_session_cookie_is_ignored_by_the_api(api: Api) -> None:
    with api.client.session_transaction() as session:
        session["_user_id"] = "aud.itor"
        session["user"] = "aud.itor"

    assert api.client.get("/api/v1/ratings").status_code == 401


def test_a_post_needs_no_csrf_token_even_where_csrf_protection_is_on(api: Api, clock) -> None:
    app = Flask("with_csrf")
    app.config.update(DATABASE_URL=api.app.config["DATABASE_URL"], SECRET_KEY="s", TESTING=True)
    for name in ("ledger_services", "ledger", "identity"):
        app.extensions[name] = api.app.extensions[name]
    CSRFProtect(app)
    app.post("/form")(lambda: "posted")
    init_api(app)
    client = app.test_client()

    scheduled = client.post(
        "/api/v1/inspections",
        json=schedule_body(BARKING, date(2026, 11, 23)),
        headers=api.headers("inspector", Idempotency_Key="csrf-1"),
    )

    assert scheduled.status_code == 201
    assert client.post("/form").status_code == 400  # the pages' forms still need the token
    for name in ("api_tokens", "api_idempotency"):
        app.extensions[name].close()


def test_a_forbidden_command_gets_403_and_writes_nothing(api: Api) -> None:
    response = api.post("/inspections", schedule_body(), role="officer")

    assert response.status_code == 403 and response.json["rule"] == "permission-denied"
    assert api.get("/inspections").json["items"] == []


def test_an_unknown_record_gets_404(api: Api) -> None:
    response = api.get("/inspections/00000000-0000-0000-0000-000000000000")

    assert response.status_code == 404 and response.mimetype == PROBLEM


def test_an_unknown_path_gets_a_404_problem(api: Api) -> None:
    response = api.get("/nothing-here")

    assert response.status_code == 404 and response.mimetype == PROBLEM


def test_a_method_the_path_does_not_support_gets_405_with_allow(api: Api) -> None:
    response = api.client.delete("/api/v1/ratings", headers=api.headers("auditor"))

    assert response.status_code == 405 and response.mimetype == PROBLEM
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}


def test_a_body_that_is_not_json_gets_400(api: Api) -> None:
    response = api.client.post(
        "/api/v1/inspections",
        data="{not json",
        content_type="application/json",
        headers=api.headers("inspector", Idempotency_Key="k1"),
    )

    assert response.status_code == 400 and response.mimetype == PROBLEM


def test_invalid_fields_get_422_with_each_field_named(api: Api) -> None:
    response = api.post(
        "/inspections", {"council": "", "type": "inspection", "starts_on": "soon", "extra": 1}
    )

    assert response.status_code == 422 and response.json["rule"] == "invalid-input"
    fields = {e["field"] for e in response.json["errors"]}
    assert fields == {"council", "type", "starts_on", "extra"}


def test_a_lifecycle_conflict_gets_409(api: Api) -> None:
    inspection = scheduled(api)

    response = api.post(f"/inspections/{inspection}/draft", if_match='"1"')

    assert response.status_code == 409 and response.json["rule"] == "lifecycle"


def test_a_write_without_if_match_gets_428_and_writes_nothing(api: Api) -> None:
    inspection = scheduled(api)

    response = api.post(
        f"/inspections/{inspection}/cancellation", {"reason": "x"}, role="moderator"
    )

    assert response.status_code == 428 and response.json["rule"] == "if-match-required"
    assert len(api.ledger.events_of(inspection)) == 1


def test_a_stale_if_match_gets_412_and_writes_nothing(api: Api) -> None:
    inspection = scheduled(api)

    response = api.post(
        f"/inspections/{inspection}/cancellation", {"reason": "x"}, role="moderator", if_match='"7"'
    )

    assert response.status_code == 412 and response.json["rule"] == "stale-version"
    assert len(api.ledger.events_of(inspection)) == 1


def test_a_post_without_an_idempotency_key_gets_400(api: Api) -> None:
    response = api.client.post(
        "/api/v1/inspections", json=schedule_body(), headers=api.headers("inspector")
    )

    assert response.status_code == 400 and response.json["rule"] == "idempotency-key-required"


def test_a_retry_with_the_same_key_returns_the_first_response_and_writes_nothing(api: Api) -> None:
    first = api.post("/inspections", schedule_body(), key="retry-1")
    again = api.post("/inspections", schedule_body(), key="retry-1")

    assert (again.status_code, again.json, again.headers["ETag"]) == (
        201,
        first.json,
        first.headers["ETag"],
    )
    assert again.headers["Idempotent-Replayed"] == "true"
    assert len(api.ledger.events_of(first.json["id"])) == 1


def test_the_same_key_with_another_body_gets_422(api: Api) -> None:
    api.post("/inspections", schedule_body(), key="retry-2")

    response = api.post("/inspections", schedule_body(starts_on=date(2026, 11, 30)), key="retry-2")

    assert response.status_code == 422 and response.json["rule"] == "idempotency-key-reused"
    assert len(api.get("/inspections").json["items"]) == 1


def test_a_refused_request_releases_its_key_for_a_corrected_retry(api: Api) -> None:
    inspection = scheduled(api)
    refused = api.post(
        f"/inspections/{inspection}/cancellation",
        {"reason": "x"},
        role="moderator",
        key="k",
        if_match='"9"',
    )

    retried = api.post(
        f"/inspections/{inspection}/cancellation",
        {"reason": "x"},
        role="moderator",
        key="k",
        if_match='"1"',
    )

    assert (refused.status_code, retried.status_code) == (412, 200)
