"""Monitoring visits of an Inadequate council run from the visits actually held (DOMAIN.md §6)."""

from __future__ import annotations

from datetime import date

import pytest

from domain.policy import DEFAULT_POLICY
from domain.scheduling import first_monitoring_visit_due, monitoring_visits_answered

FIRST = date(2022, 4, 6)


def test_the_first_visit_is_due_four_weeks_after_the_action_plan():
    assert first_monitoring_visit_due(date(2022, 3, 9), DEFAULT_POLICY) == FIRST


@pytest.mark.parametrize(
    ("held", "due"),
    [
        ([], [FIRST]),  # none held: the first is the one due
        ([date(2024, 9, 17)], [FIRST, date(2024, 12, 17)]),  # held late: due a quarter after
        ([date(2022, 3, 20)], [FIRST, date(2022, 6, 20)]),  # held early: likewise
        (  # held out of order in the record: the cycle follows the days held
            [date(2024, 11, 12), date(2024, 4, 3), date(2024, 7, 31)],
            [FIRST, date(2024, 7, 3), date(2024, 10, 31), date(2025, 2, 12)],
        ),
    ],
)
def test_each_visit_is_due_an_interval_after_the_last_one_held(held, due):
    assert monitoring_visits_answered(FIRST, held, DEFAULT_POLICY) == due


def test_the_interval_is_the_policys():
    policy = DEFAULT_POLICY.with_overrides({"monitoring_visit_interval_months": 6})
    assert monitoring_visits_answered(FIRST, [date(2024, 9, 17)], policy)[-1] == date(2025, 3, 17)
