"""When a council existed: from the reorganisation that made it until the one that abolished it."""

from __future__ import annotations

from datetime import date

import pytest

from domain.council import established_dates, existed_on

APRIL_2021 = date(2021, 4, 1)


@pytest.mark.parametrize(
    ("day", "abolished_on", "established_on", "existed"),
    [
        (date(2021, 3, 31), APRIL_2021, None, True),  # a predecessor, the day before
        (APRIL_2021, APRIL_2021, None, False),  # a predecessor, on its abolition
        (date(2021, 3, 31), None, APRIL_2021, False),  # a successor, the day before
        (APRIL_2021, None, APRIL_2021, True),  # a successor, from its first day
        (date(1990, 1, 1), None, None, True),  # a council reorganisation never touched
    ],
)
def test_a_council_exists_from_its_making_until_its_abolition(
    day, abolished_on, established_on, existed
):
    assert existed_on(day, abolished_on, established_on) is existed


def test_a_successor_comes_into_being_on_the_day_its_predecessor_is_abolished():
    made = established_dates([(APRIL_2021, ["E06000061", "E06000062"]), (None, [])])
    assert made == {"E06000061": APRIL_2021, "E06000062": APRIL_2021}
