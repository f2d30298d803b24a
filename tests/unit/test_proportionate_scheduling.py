"""Proportionate scheduling (DOMAIN.md §7): the type the council's history calls for is the
default; any other type needs a reason, recorded in the Scheduled event."""

from __future__ import annotations

from datetime import date

import pytest

from domain.frameworks import framework_for
from domain.grades import GOOD, INADEQUATE, OUTSTANDING, REQUIRES_IMPROVEMENT
from domain.inspection import Inspection
from domain.limits import TextRefused
from domain.policy import DEFAULT_POLICY
from domain.scheduling import ReasonRequired, called_for
from tests.unit.builders import COUNCIL, INSPECTOR

STARTS, TODAY = date(2026, 11, 16), date(2026, 10, 1)

APV, MV = "action_planning_visit", "monitoring_visit"

# (type, previous headline grade, visits held since it, whether it departs from the history)
CASES = [
    ("short", GOOD, (), False),
    ("short", OUTSTANDING, (), False),
    ("short", REQUIRES_IMPROVEMENT, (), True),
    ("short", INADEQUATE, (), True),
    ("short", None, (), True),
    ("standard", REQUIRES_IMPROVEMENT, (), False),
    ("standard", INADEQUATE, (), False),
    ("standard", INADEQUATE, (APV, MV), False),
    ("standard", None, (), False),
    ("standard", GOOD, (), True),
    ("standard", OUTSTANDING, (), True),
    ("focused_visit", GOOD, (), False),
    ("focused_visit", REQUIRES_IMPROVEMENT, (), False),
    ("focused_visit", None, (), False),
    ("focused_visit", INADEQUATE, (), True),
    (APV, INADEQUATE, (), False),
    (APV, INADEQUATE, (APV,), True),
    (APV, INADEQUATE, (MV,), True),
    (APV, REQUIRES_IMPROVEMENT, (), True),
    (APV, GOOD, (), True),
    (APV, None, (), True),
    (MV, INADEQUATE, (APV,), False),
    (MV, INADEQUATE, (APV, MV), False),
    (MV, INADEQUATE, (MV,), False),
    (MV, INADEQUATE, (), True),
    (MV, OUTSTANDING, (), True),
    (MV, REQUIRES_IMPROVEMENT, (), True),
    (MV, None, (), True),
]
IDS = [f"{t} after {g or 'nothing'}{' then ' + '+'.join(v) if v else ''}" for t, g, v, _ in CASES]


def schedule(
    type_key: str, previous: str | None, reason: str = "", visits: tuple[str, ...] = ()
) -> Inspection:
    chosen = framework_for(type_key, STARTS).key
    return Inspection.schedule(
        INSPECTOR,
        COUNCIL,
        type_key,
        chosen,
        STARTS,
        TODAY,
        DEFAULT_POLICY,
        previous_grade=previous,
        reason=reason,
        visits_since=visits,
    )


@pytest.mark.parametrize(("type_key", "previous", "visits", "departs"), CASES, ids=IDS)
def test_a_type_the_history_does_not_call_for_is_refused_without_a_reason(
    type_key, previous, visits, departs
):
    if departs:
        with pytest.raises(ReasonRequired, match="Give a reason"):
            schedule(type_key, previous, visits=visits)
    else:
        assert schedule(type_key, previous, visits=visits).scheduling_reason == ""


DEPARTURES = [pytest.param(*c, id=i) for c, i in zip(CASES, IDS, strict=True) if c[3]]


@pytest.mark.parametrize(("type_key", "previous", "visits", "departs"), DEPARTURES)
def test_a_departure_with_a_reason_is_scheduled_and_the_reason_recorded_in_the_event(
    type_key, previous, visits, departs
):
    inspection = schedule(type_key, previous, "  Concerns raised by the DfE  ", visits)
    (event,) = inspection.collect_events()
    assert event.reason == "Concerns raised by the DfE"
    assert inspection.scheduling_reason == "Concerns raised by the DfE"


def test_the_history_calls_for_short_after_good_or_outstanding_and_standard_otherwise():
    grades = (GOOD, OUTSTANDING, REQUIRES_IMPROVEMENT, None)
    assert [called_for(g) for g in grades] == ["short", "short", "standard", "standard"]


def test_a_council_newly_judged_inadequate_is_called_for_an_action_planning_visit_first():
    assert called_for(INADEQUATE) == APV
    assert called_for(INADEQUATE, (APV,)) == "standard"  # then monitoring, until re-inspected
    assert called_for(INADEQUATE, (MV,)) == "standard"


def test_an_action_planning_visit_is_ungraded_and_agreed_in_advance():
    visit = schedule(APV, INADEQUATE)
    assert not visit.graded and visit.framework.key == "ilacs_2026"
    assert visit.notice_on == STARTS


def test_a_reason_beyond_its_limit_is_refused():
    with pytest.raises(TextRefused, match="Why this type"):
        schedule("standard", GOOD, "x" * 1001)


def test_an_old_scheduled_event_is_upcast_with_an_empty_reason():
    state = {"council": COUNCIL}
    Inspection.Scheduled.upcast_v1_v2(state)
    assert state == {"council": COUNCIL, "reason": ""}
    assert Inspection.Scheduled.class_version >= 2
