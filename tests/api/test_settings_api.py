"""Regulated settings through /api/v1: lists with filters, one setting's rating and history,
registration by an administrator, SCCIF scheduling by URN; never a council's rating."""

from __future__ import annotations

from datetime import date

import pytest

from tests.api.conftest import Api
from tests.scenarios import AGENCY, BARNET, CAMDEN, GOOD, HOME, INADEQUATE, Story, tell_story

NEW = {
    "urn": "SC999003",
    "name": "Elm House",
    "type": "secure_childrens_home",
    "council": CAMDEN,
    "provider_council": CAMDEN,
}


@pytest.fixture
def story(api: Api, clock) -> Story:
    return tell_story(api.ledger, clock)


def test_a_setting_is_read_with_its_rating_history_and_version(api: Api, story: Story) -> None:
    found = api.get(f"/settings/{HOME}", role="other_officer")

    assert found.status_code == 200 and found.headers["ETag"] == '"1"'
    body = found.json
    assert (body["name"], body["council"], body["council_name"], body["grade"]) == (
        "Oak House",
        BARNET,
        "Barnet",
        INADEQUATE,
    )
    assert [h["grade"] for h in body["history"]] == [INADEQUATE, GOOD]
    assert body["rated_by"] == str(story.home_inspections[1])


def test_an_unknown_urn_is_404(api: Api, story: Story) -> None:
    assert api.get("/settings/SC000000").status_code == 404


@pytest.mark.parametrize(
    "query, urns",
    [
        ("", [AGENCY, HOME]),
        ("?type=childrens_home", [HOME]),
        ("?grade=Inadequate", [HOME]),
        ("?grade=Not%20yet%20rated", [AGENCY]),
        (f"?council={CAMDEN}", [AGENCY]),
    ],
)
def test_settings_are_listed_with_filters(api: Api, story: Story, query, urns) -> None:
    listed = api.get("/settings" + query, role="officer")
    assert [s["urn"] for s in listed.json["items"]] == urns


def test_a_filter_off_its_list_is_refused_naming_it(api: Api, story: Story) -> None:
    refused = api.get("/settings?type=zoo")
    assert refused.status_code == 422
    assert {e["field"] for e in refused.json["errors"]} == {"query.type"}


def test_an_inadequate_childrens_home_leaves_its_councils_rating_and_statistics(
    api: Api, story: Story
) -> None:
    barnet = next(r for r in api.get("/ratings").json["items"] if r["council"] == BARNET)
    figures = api.get("/statistics").json

    assert (barnet["framework"], barnet["headline"]) == ("ilacs_2018", GOOD)
    assert figures["headline"].get(INADEQUATE, 0) == 0
    history = api.get(f"/councils/{BARNET}/history").json["items"]
    assert {h["framework"] for h in history} == {"ilacs_2018"}


def test_an_administrator_registers_a_setting(api: Api, story: Story) -> None:
    made = api.post("/settings", NEW, role="admin")

    assert made.status_code == 201 and made.headers["Location"] == "/api/v1/settings/SC999003"
    assert (made.json["name"], made.json["grade"], made.json["history"]) == ("Elm House", None, [])
    assert api.post("/settings", NEW, role="admin").status_code == 409


@pytest.mark.parametrize(
    "change, field",
    [
        ({"urn": "SC1"}, "urn"),
        ({"urn": "SC999003\x00"}, "urn"),
        ({"type": "zoo"}, "type"),
        ({"name": "x" * 201}, "name"),
        ({"provider": "Acme"}, "provider"),  # and a council
        ({"provider_council": "E99999999"}, "provider_council"),
    ],
)
def test_a_bad_registration_is_422_naming_the_field_and_stores_nothing(
    api: Api, story: Story, change, field
) -> None:
    refused = api.post("/settings", NEW | change, role="admin")

    assert refused.status_code == 422
    assert field in {e["field"] for e in refused.json["errors"]}
    assert api.get("/settings/SC999003").status_code == 404


def test_changed_details_need_if_match_and_are_a_new_version(api: Api, story: Story) -> None:
    body = {k: v for k, v in NEW.items() if k != "urn"} | {"council": CAMDEN}
    changed = api.change(f"/settings/{AGENCY}/details", f"/settings/{AGENCY}", body, role="admin")

    assert changed.status_code == 200 and changed.headers["ETag"] == '"3"'
    assert changed.json["name"] == "Elm House"
    stale = api.post(f"/settings/{AGENCY}/details", body, role="admin", if_match='"1"')
    assert stale.status_code == 412


def test_an_sccif_inspection_is_scheduled_by_urn(api: Api, story: Story, clock) -> None:
    clock.advance_to(date(2026, 11, 2))
    body = {"council": BARNET, "type": "sccif_full", "starts_on": "2026-12-07", "setting_urn": HOME}
    made = api.post("/inspections", body)

    assert made.status_code == 201
    assert (made.json["setting_urn"], made.json["framework"]) == (HOME, "sccif")


@pytest.mark.parametrize(
    "change, field",
    [
        ({}, "setting_urn"),  # SCCIF without a setting
        ({"setting_urn": "SC000000"}, "setting_urn"),  # not registered
        ({"setting_urn": "SC1"}, "setting_urn"),  # not a URN
        ({"council": CAMDEN}, "council"),  # in Barnet's area
        ({"type": "standard"}, "setting_urn"),  # a council's inspection naming a setting
    ],
)
def test_scheduling_refuses_a_wrong_subject_naming_the_field(
    api: Api, story: Story, clock, change, field
) -> None:
    clock.advance_to(date(2026, 11, 2))
    body = {"council": BARNET, "type": "sccif_full", "starts_on": "2026-12-07", "setting_urn": HOME}
    body = {k: v for k, v in (body | change).items() if change or k != "setting_urn"}
    refused = api.post("/inspections", body)

    assert refused.status_code == 422
    assert field in {e["field"] for e in refused.json["errors"]}


def test_the_openapi_document_describes_the_settings_routes(api: Api) -> None:
    spec = api.client.get("/api/openapi.json").json
    assert {"/api/v1/settings", "/api/v1/settings/{urn}", "/api/v1/settings/{urn}/details"} <= set(
        spec["paths"]
    )
    urn = spec["components"]["schemas"]["RegisterSetting"]["properties"]["urn"]
    assert urn["maxLength"] == 8
