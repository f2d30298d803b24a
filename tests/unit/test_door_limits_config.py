"""The door's limits come from the environment, with defaults, and refuse nonsense at start."""

from __future__ import annotations

from datetime import timedelta

import pytest

from adapters.config import DoorLimits, load_door_limits


def test_without_settings_a_request_may_have_1_mb_and_a_key_lives_a_day():
    assert load_door_limits({}) == DoorLimits(1024 * 1024, timedelta(hours=24))


def test_the_environment_changes_both():
    limits = load_door_limits(
        {"LEDGER_MAX_REQUEST_BYTES": "2048", "LEDGER_IDEMPOTENCY_TTL_HOURS": "0.5"}
    )
    assert limits == DoorLimits(2048, timedelta(minutes=30))


@pytest.mark.parametrize("value", ["0", "-1", "lots", "nan", "1e12"])
def test_a_limit_that_is_not_a_positive_number_stops_the_start(value):
    with pytest.raises(ValueError, match="LEDGER_IDEMPOTENCY_TTL_HOURS must be a positive number"):
        load_door_limits({"LEDGER_IDEMPOTENCY_TTL_HOURS": value})
