"""Concerns through /api/v1: raised without a token, seen and triaged by the inspectorate only."""

from __future__ import annotations

from uuid import UUID

import pytest

from domain.concern import Concern
from tests.api.conftest import Api
from tests.scenarios import BARKING, BARNET, HOME, tell_story

RAISED = {
    "council": BARKING,
    "relationship": "staff_whistleblower",
    "name": "Morwenna Vale",
    "email": "morwenna.vale@example.org",
    "concern": "Referrals are closed without anyone visiting the child",
}


def raise_concern(api: Api, body: dict | None = None, **headers: str):
    return api.client.post("/api/v1/concerns", json=body or RAISED, headers=headers)


def test_anyone_raises_a_concern_without_a_token_and_gets_its_id(api: Api) -> None:
    made = raise_concern(api)
    assert made.status_code == 201, made.json
    assert set(made.json) == {"id", "reference"} and made.json["reference"].startswith("CN-")
    assert made.headers["Cache-Control"] == "no-store"


def test_the_inspectorate_reads_the_concern_with_its_personal_data(api: Api) -> None:
    concern_id = raise_concern(api).json["id"]
    found = api.get(f"/concerns/{concern_id}", role="inspector")
    assert found.status_code == 200
    body = found.json
    assert (body["name"], body["email"], body["concern"]) == (
        RAISED["name"],
        RAISED["email"],
        RAISED["concern"],
    )
    assert body["whistleblowing"] and not body["anonymous"] and body["council"] == BARKING
    assert found.headers["ETag"] == '"1"' and found.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "role", ["officer", "other_officer", "cqc_inspector", "hmip_moderator", "auditor", "admin"]
)
def test_everyone_else_finds_no_concern(api: Api, role: str) -> None:
    concern_id = raise_concern(api).json["id"]
    assert api.get(f"/concerns/{concern_id}", role=role).status_code == 404
    assert api.get(f"/events/{concern_id}", role=role).status_code == 404
    refused = api.post(f"/concerns/{concern_id}/acknowledge", role=role, if_match="*")
    assert refused.status_code == 404
    assert RAISED["name"] not in refused.get_data(as_text=True)


def triage(api: Api, concern_id: str, step: str, body: dict | None = None, role="inspector"):
    """POST a triage step with If-Match set to the concern's ETag as the inspectorate reads it."""
    tag = api.get(f"/concerns/{concern_id}", role=role).headers["ETag"]
    return api.post(f"/concerns/{concern_id}/{step}", body, role=role, if_match=tag)


def test_triage_acknowledges_assesses_links_and_closes(api: Api) -> None:
    concern_id = raise_concern(api).json["id"]
    assert triage(api, concern_id, "acknowledge").status_code == 200
    assert triage(api, concern_id, "assess", {"risk": "high"}).json["risk"] == "high"
    linked = triage(api, concern_id, "link", {"inspection_id": ""})
    assert linked.json["intelligence"] is True
    closed = triage(api, concern_id, "close", {"outcome": "no_further_action"}, "moderator")
    assert closed.status_code == 200 and closed.json["closed_on"] == "2026-11-02"
    stale = api.post(f"/concerns/{concern_id}/assess", {"risk": "low"}, if_match='"1"')
    assert stale.status_code == 412


def test_the_event_listing_carries_ciphertext_only(api: Api) -> None:
    concern_id = raise_concern(api).json["id"]
    listed = api.get(f"/events/{concern_id}", role="inspector")
    assert listed.status_code == 200
    text = listed.get_data(as_text=True)
    assert "enc:v1:" in text
    assert all(RAISED[k] not in text for k in ("name", "email", "concern"))


def test_a_concern_about_a_setting_is_about_its_area(api: Api, clock) -> None:
    tell_story(api.ledger, clock)
    made = raise_concern(
        api, {"setting_urn": HOME, "relationship": "parent_or_carer", "concern": "x"}
    )
    assert made.status_code == 201, made.json
    found = api.get(f"/concerns/{made.json['id']}", role="moderator").json
    assert (found["setting_urn"], found["anonymous"]) == (HOME, True)


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"council": "E99999999"}, "council"),
        ({"council": ""}, "council"),
        ({"relationship": "neighbour"}, "relationship"),
        ({"concern": ""}, "concern"),
        ({"name": "a\x00b"}, "name"),
        ({"email": "x" * 300}, "email"),
        ({"setting_urn": "SC000000", "council": ""}, "setting_urn"),
    ],
)
def test_a_bad_concern_is_refused_naming_the_field_and_nothing_is_stored(
    api: Api, changes: dict, field: str
) -> None:
    before = api.ledger.recorder.max_notification_id()
    refused = raise_concern(api, RAISED | changes)
    assert refused.status_code in (400, 422), refused.json
    assert field in {e["field"] for e in refused.json["errors"]}
    assert api.ledger.recorder.max_notification_id() == before


def test_raising_concerns_is_throttled_per_address(api: Api) -> None:
    statuses = [raise_concern(api).status_code for _ in range(11)]
    assert statuses == [201] * 10 + [429]
    assert int(raise_concern(api).headers["Retry-After"]) > 0


def test_a_concern_links_only_to_an_inspection_of_its_own_council(api: Api, clock) -> None:
    story = tell_story(api.ledger, clock)
    concern_id = raise_concern(api).json["id"]
    linked = triage(api, concern_id, "link", {"inspection_id": str(story.revised)})
    assert linked.status_code == 200 and linked.json["inspection_id"] == str(story.revised)
    barnet = raise_concern(api, RAISED | {"council": BARNET}).json["id"]
    refused = triage(api, barnet, "link", {"inspection_id": str(story.revised)})
    assert refused.status_code == 422
    assert refused.json["errors"][0]["field"] == "inspection_id"


def test_open_concerns_are_on_the_inspectorates_work_list_without_personal_data(
    api: Api,
) -> None:
    concern_id = raise_concern(api).json["id"]
    listed = api.get("/worklist", role="inspector")
    (row,) = [c for c in listed.json["concerns"] if c["id"] == concern_id]
    assert row["acknowledge_by"] and row["overdue"] is False and row["whistleblowing"]
    text = listed.get_data(as_text=True)
    assert "enc:v1:" not in text and RAISED["name"] not in text
    assert api.get("/worklist", role="cqc_inspector").json["concerns"] == []


def test_a_moderator_erases_a_concern_through_the_api_as_the_cli_does(api: Api) -> None:
    concern_id = raise_concern(api).json["id"]
    erased = triage(api, concern_id, "erasure", {"reason": "The person asked"}, "moderator")
    assert erased.status_code == 200, erased.json
    body = erased.json
    assert body["erased"] and body["erased_on"] == "2026-11-02"
    assert RAISED["name"] not in erased.get_data(as_text=True)
    assert api.ledger.personal_data.open(_sealed_name(api, concern_id)) == "erased"
    stale = api.post(f"/concerns/{concern_id}/erasure", {"reason": "x"}, "moderator", '"1"')
    assert stale.status_code == 412
    again = triage(api, concern_id, "erasure", {"reason": "Again"}, "moderator")
    assert again.status_code == 200  # done again, as the CLI's is: one erasure recorded
    erasures = [e for e in api.ledger.events_of_type(Concern.Erased)]
    assert [str(e.originator_id) for e in erasures] == [concern_id]


def _sealed_name(api: Api, concern_id: str) -> str:
    return api.ledger._get(Concern, UUID(concern_id)).name


@pytest.mark.parametrize(
    "role, status",
    [("inspector", 403), ("officer", 404), ("hmip_moderator", 404), ("admin", 404)],
)
def test_only_a_moderator_of_the_triaging_inspectorate_erases(
    api: Api, role: str, status: int
) -> None:
    concern_id = raise_concern(api).json["id"]
    refused = api.post(f"/concerns/{concern_id}/erasure", {"reason": "Why"}, role, "*")
    assert refused.status_code == status
    found = api.get(f"/concerns/{concern_id}", role="moderator").json
    assert found["name"] == RAISED["name"] and not found["erased"]


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "x" * 5000}])
def test_an_erasure_without_a_reason_within_its_limit_is_refused_naming_it(
    api: Api, body: dict
) -> None:
    concern_id = raise_concern(api).json["id"]
    refused = api.post(f"/concerns/{concern_id}/erasure", body, "moderator", "*")
    assert refused.status_code in (400, 422)
    assert "reason" in {e["field"] for e in refused.json["errors"]}
