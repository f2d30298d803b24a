"""A visit scheduled (brought forward) on a concern kept as intelligence records it as its reason."""

from __future__ import annotations

import pytest

from domain.concern import Concern
from tests.api.conftest import Api, schedule_body
from tests.api.test_concerns_api import RAISED, raise_concern, triage
from tests.scenarios import BARNET


def intelligence(api: Api, body: dict | None = None) -> str:
    concern_id = raise_concern(api, body).json["id"]
    assert triage(api, concern_id, "link", {"inspection_id": ""}).status_code == 200
    return concern_id


def test_a_visit_brought_forward_on_a_concern_is_recorded_on_the_concern(api: Api) -> None:
    concern_id = intelligence(api)
    made = api.post("/inspections", schedule_body() | {"reason_concern": concern_id})
    assert made.status_code == 201, made.json
    found = api.get(f"/concerns/{concern_id}", role="inspector").json
    assert found["inspection_id"] == made.json["id"] and found["brought_forward"]
    forwarded = [e for e in api.ledger.events_of_type(Concern.BroughtForward)]
    assert [e.inspection_id for e in forwarded] == [made.json["id"]]
    listed = api.get(f"/events/{made.json['id']}", role="officer").get_data(as_text=True)
    assert concern_id not in listed  # the inspection's own events, which the council reads


@pytest.mark.parametrize("which", ["unknown", "other_council", "not_intelligence", "not_an_id"])
def test_a_reason_concern_must_be_a_visible_intelligence_concern_about_that_council(
    api: Api, which: str
) -> None:
    concern_id = {
        "unknown": lambda: "00000000-0000-0000-0000-000000000009",
        "other_council": lambda: intelligence(api, RAISED | {"council": BARNET}),
        "not_intelligence": lambda: raise_concern(api).json["id"],
        "not_an_id": lambda: "CN-1234",
    }[which]()
    before = api.ledger.recorder.max_notification_id()
    refused = api.post("/inspections", schedule_body() | {"reason_concern": concern_id})
    assert refused.status_code == 422, refused.json
    assert refused.json["errors"][0]["field"] == "reason_concern"
    assert api.ledger.recorder.max_notification_id() == before


def test_a_partner_inspectorate_cannot_name_a_concern_it_may_not_see(api: Api) -> None:
    concern_id = intelligence(api)
    body = schedule_body() | {"type": "jtai", "reason_concern": concern_id}
    refused = api.post("/inspections", body, role="cqc_inspector")
    assert refused.status_code in (403, 422)
    if refused.status_code == 422:
        assert "reason_concern" in {e["field"] for e in refused.json["errors"]}
