"""Working days: Monday to Friday less the bank holidays of England and Wales (DOMAIN.md §6)."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: date) -> bool:
    """Say whether the day is a working day in England and Wales."""
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """Return the day that is `days` working days after `start` (before it, if negative)."""
    step = timedelta(days=1 if days >= 0 else -1)
    day, remaining = start, abs(days)
    while remaining:
        day += step
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Count the working days after `start` up to and including `end`."""
    if end <= start:
        return 0
    return sum(1 for n in range(1, (end - start).days + 1) if is_working_day(start + timedelta(n)))


def monday_of_week_before(day: date) -> date:
    """Return the Monday of the week before the given day."""
    return day - timedelta(days=day.weekday() + 7)
