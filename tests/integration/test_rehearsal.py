"""A rehearsed command checks every rule up to its save and stores nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.errors import LedgerError
from tests.scenarios import CAMDEN, INSPECTOR, register_councils


def _events(ledger) -> int:
    return int(ledger.recorder.max_notification_id() or 0)


def test_a_rehearsed_command_that_the_rules_accept_stores_nothing(ledger, clock):
    register_councils(ledger)
    before = _events(ledger)
    starts = clock.day + timedelta(days=28 - clock.day.weekday())
    with ledger.rehearsal():
        ledger.schedule_inspection(INSPECTOR, CAMDEN, "focused_visit", starts, reason="Concern")
    assert _events(ledger) == before
    ledger.schedule_inspection(INSPECTOR, CAMDEN, "focused_visit", starts, reason="Concern")
    assert _events(ledger) > before  # the rehearsal left nothing behind to collide with


def test_a_rehearsed_command_that_breaks_a_rule_is_refused_as_it_would_be(ledger, clock):
    register_councils(ledger)
    before = _events(ledger)
    with pytest.raises(LedgerError) as refused, ledger.rehearsal():
        ledger.schedule_inspection(INSPECTOR, CAMDEN, "standard", clock.day - timedelta(days=1))
    assert refused.value.rule and _events(ledger) == before
