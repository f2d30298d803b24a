"""Cancelling or withdrawing an inspection closes its open challenges in the same save."""

from __future__ import annotations

import pytest

from tests.api.conftest import Api
from tests.scenarios import BARKING, challengeable_report, officer


@pytest.fixture
def challenged(api_on_every_backend: Api, clock) -> tuple[Api, str, str]:
    """A Barking final report of the 2023 era with a challenge under review."""
    api = api_on_every_backend
    inspection = challengeable_report(api.ledger, clock)
    challenge = api.ledger.lodge_challenge(
        officer(BARKING), inspection, "judgment", "children_in_care", "Misread", []
    )
    return api, str(inspection), str(challenge)


@pytest.mark.parametrize(
    ("route", "status", "reason"),
    [
        ("cancellation", "cancelled", "The inspection was cancelled"),
        ("withdrawal", "withdrawn", "The report was withdrawn"),
    ],
)
def test_ending_an_inspection_closes_its_open_challenge(challenged, route, status, reason):
    api, inspection, challenge = challenged

    response = api.post(
        f"/inspections/{inspection}/{route}", {"reason": "Flood"}, role="moderator", if_match="*"
    )

    assert response.status_code == 200, response.json
    assert response.json["status"] == status and response.json["open_challenges"] == []
    closed = api.get(f"/challenges/{challenge}").json
    assert closed["status"] == "closed"
    assert closed["steps"][-1] | {"on": None} == {
        "step": "closed",
        "stage": "formal_review",
        "by": "mo.moderator",
        "on": None,
        "reasons": reason,
    }
    events = api.get(f"/events/{challenge}").json["items"]
    assert [e["type"] for e in events][-1] == "Challenge.Closed"
    trail = api.get("/disputes").json["items"]
    assert [(d["id"], d["status"]) for d in trail if d["id"] == challenge] == [
        (challenge, "closed")
    ]
    listed = api.get(f"/inspections?council={BARKING}").json["items"]
    assert [i["open_challenges"] for i in listed if i["id"] == inspection] == [0]


def test_a_refused_cancellation_closes_no_challenge(challenged):
    api, inspection, challenge = challenged

    response = api.post(
        f"/inspections/{inspection}/cancellation", {"reason": "x"}, role="inspector", if_match="*"
    )

    assert response.status_code == 403
    assert api.get(f"/challenges/{challenge}").json["status"] == "under review"
