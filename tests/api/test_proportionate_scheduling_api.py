"""Proportionate scheduling through the API: a departure needs a reason (DOMAIN.md §7)."""

from __future__ import annotations

from uuid import UUID

from tests.api.conftest import Api, schedule_body
from tests.scenarios import BARKING, INSPECTOR


def test_a_short_inspection_of_a_council_not_good_is_refused_422_without_a_reason(
    api_on_every_backend: Api,
) -> None:
    response = api_on_every_backend.post("/inspections", schedule_body(BARKING) | {"type": "short"})

    assert response.status_code == 422 and response.json["rule"] == "reason-required"


def test_a_short_inspection_with_a_reason_is_scheduled_and_the_reason_kept_in_its_event(
    api: Api,
) -> None:
    body = schedule_body(BARKING) | {"type": "short", "reason": "Recent improvement evidenced"}

    response = api.post("/inspections", body)

    assert response.status_code == 201
    stored = api.ledger.inspection(INSPECTOR, UUID(response.json["id"]))
    assert stored.scheduling_reason == "Recent improvement evidenced"
