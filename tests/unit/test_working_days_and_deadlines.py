"""Working days, the deadlines counted in them, and the policy that sets every period."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.action_plan import ActionPlan
from domain.challenge import Challenge
from domain.errors import DeadlinePassed, InvalidInput, LifecycleError
from domain.inspection import Inspection
from domain.policy import DEFAULT_POLICY, ChallengeEra, Policy
from domain.working_days import (
    add_working_days,
    is_working_day,
    monday_of_week_before,
    working_days_between,
)
from tests.unit.builders import (
    COUNCIL,
    INSPECTOR,
    MODERATOR,
    OFFICER,
    STARTS_2025,
    cases,
    inspection_at,
)

PUBLISHED_ON = date(2025, 4, 22)  # the Tuesday after Easter Monday


def plan(
    kind: str = "inspection",
    inadequate: bool = False,
    policy: Policy = DEFAULT_POLICY,
    published_on: date = PUBLISHED_ON,
) -> ActionPlan:
    return ActionPlan.open(
        MODERATOR, uuid4(), COUNCIL, kind, published_on, ["Improve"], inadequate, policy
    )


# fmt: off
STEPS_OVER_HOLIDAYS = cases(
    ("Friday to Monday over a weekend", date(2026, 11, 13), 1, date(2026, 11, 16)),
    ("Christmas 2021 substitute Monday and Tuesday", date(2021, 12, 24), 1, date(2021, 12, 29)),
    ("Christmas 2022 substitute Tuesday", date(2022, 12, 23), 1, date(2022, 12, 28)),
    ("Boxing Day 2026 substitute Monday", date(2026, 12, 24), 1, date(2026, 12, 29)),
    ("New Year 2023 substitute Monday", date(2022, 12, 30), 1, date(2023, 1, 3)),
    ("Good Friday and Easter Monday 2025", date(2025, 4, 17), 1, date(2025, 4, 22)),
    ("late May bank holiday 2025", date(2025, 5, 23), 1, date(2025, 5, 27)),
    ("the Coronation bank holiday 2023", date(2023, 5, 5), 1, date(2023, 5, 9)),
    ("the State Funeral 2022", date(2022, 9, 16), 1, date(2022, 9, 20)),
    ("five working days over Christmas 2026", date(2026, 12, 21), 5, date(2026, 12, 30)),
    ("backwards over Easter", date(2025, 4, 22), -1, date(2025, 4, 17)),
    ("no days is the same day", date(2025, 4, 19), 0, date(2025, 4, 19)),
)
DAYS = cases(
    ("an ordinary Tuesday", date(2026, 11, 17), True),
    ("a Saturday", date(2026, 11, 21), False),
    ("a substitute bank holiday", date(2026, 12, 28), False),
    ("St Andrew's Day is Scottish only", date(2026, 11, 30), True),
    ("2 January is Scottish only", date(2025, 1, 2), True),
    ("St Patrick's Day is Northern Irish only", date(2025, 3, 17), True),
)
MONDAYS = cases(
    ("from a Monday", date(2026, 11, 16), date(2026, 11, 9)),
    ("from a Sunday", date(2026, 11, 22), date(2026, 11, 9)),
    ("across the new year", date(2027, 1, 6), date(2026, 12, 28)),
)
# fmt: on


@pytest.mark.parametrize(("start", "days", "expected"), STEPS_OVER_HOLIDAYS)
def test_working_days_skip_weekends_and_english_bank_holidays(start, days, expected):
    assert add_working_days(start, days) == expected


@pytest.mark.parametrize(("day", "working"), DAYS)
def test_only_england_and_wales_bank_holidays_are_days_off(day, working):
    assert is_working_day(day) is working


def test_working_days_between_counts_after_the_start_up_to_the_end():
    assert working_days_between(date(2026, 12, 24), date(2026, 12, 31)) == 3
    assert working_days_between(date(2026, 12, 31), date(2026, 12, 24)) == 0


@given(st.dates(date(2015, 1, 1), date(2030, 12, 31)), st.integers(0, 120))
def test_counting_working_days_undoes_adding_them(start, days):
    end = add_working_days(start, days)
    assert working_days_between(start, end) == days
    assert days == 0 or is_working_day(end)


@pytest.mark.parametrize(("day", "monday"), MONDAYS)
def test_the_monday_of_the_week_before_is_found_from_any_day(day, monday):
    assert monday_of_week_before(day) == monday


def test_the_factual_accuracy_deadline_runs_over_christmas():
    inspection = inspection_at("judgments made")
    inspection.issue_draft(INSPECTOR, date(2026, 12, 21), DEFAULT_POLICY)
    assert inspection.comments_due == date(2026, 12, 30)
    inspection.comment_on_draft(OFFICER, "Still in time", date(2026, 12, 30))
    with pytest.raises(DeadlinePassed):
        inspection.comment_on_draft(OFFICER, "Too late", date(2026, 12, 31))


def test_the_challenge_window_runs_over_easter():
    inspection = inspection_at("draft issued")
    inspection.issue_final_report(MODERATOR, date(2025, 4, 17), DEFAULT_POLICY)
    assert inspection.challenge_window_ends == date(2025, 4, 23)


PLANS = cases(
    ("a graded inspection 70 working days", "inspection", 70, date(2025, 7, 31)),
    ("a focused visit 20 working days", "focused_visit", 20, date(2025, 5, 21)),
)


@pytest.mark.parametrize(("kind", "days", "due_on"), PLANS)
def test_the_action_plan_is_due_in_working_days_after_publication(kind, days, due_on):
    opened = plan(kind)
    assert (opened.due_on, opened.opened_on) == (due_on, PUBLISHED_ON)
    assert working_days_between(PUBLISHED_ON, due_on) == days


def test_an_inadequate_council_is_due_monitoring_visits_every_three_months_until_reinspection():
    visits = plan(inadequate=True).monitoring_visits_due(DEFAULT_POLICY)
    assert visits[0] == date(2025, 7, 31) + timedelta(weeks=4)
    assert visits == [date(y, m, 28) for y, m in ((2025, 8), (2025, 11), (2026, 2), (2026, 5),
                                                  (2026, 8), (2026, 11), (2027, 2))]  # fmt: skip
    assert visits[-1] < date(2027, 4, 22)  # re-inspected within about two years


def test_a_council_that_is_not_inadequate_is_due_no_monitoring_visits():
    assert plan(inadequate=False).monitoring_visits_due(DEFAULT_POLICY) == []


def test_an_unsubmitted_plan_is_overdue_the_day_after_it_was_due():
    opened = plan()
    assert not opened.is_overdue(opened.due_on)
    assert opened.is_overdue(opened.due_on + timedelta(days=1))
    opened.submit(OFFICER, "Our plan", opened.due_on + timedelta(days=1))
    assert opened.collect_events()[-1].late is True
    assert not opened.is_overdue(date(2030, 1, 1))


def test_a_plan_submitted_in_time_is_not_late():
    opened = plan()
    opened.submit(OFFICER, "Our plan", opened.due_on)
    assert opened.collect_events()[-1].late is False


def test_an_action_is_overdue_once_past_its_due_date_until_completed():
    opened = plan()
    task, due_on = "Hire a principal social worker", date(2025, 6, 30)
    action = opened.add_action(
        OFFICER, "leaders", "Improve", task, "Director", due_on, PUBLISHED_ON
    )
    assert opened.overdue_actions(date(2025, 6, 30)) == []
    assert opened.overdue_actions(date(2025, 7, 1)) == [action]
    opened.complete_action(OFFICER, action, ["Appointment letter"], date(2025, 7, 2))
    assert opened.overdue_actions(date(2025, 7, 3)) == []


# fmt: off
@pytest.mark.parametrize(("owner", "due_on", "mention"), cases(
    ("without an owner", " ", date(2025, 6, 30), "owner"),
    ("due in the past", "Director", date(2025, 4, 21), "in the past"),
))
# fmt: on
def test_an_action_needs_an_owner_and_a_due_date_ahead(owner, due_on, mention):
    with pytest.raises(InvalidInput, match=mention):
        plan().add_action(OFFICER, "leaders", "Improve", "Do it", owner, due_on, PUBLISHED_ON)


def test_a_plan_is_complete_only_once_submitted_with_every_action_done():
    opened = plan()
    action = opened.add_action(
        OFFICER, "leaders", "", "Do it", "Director", date(2025, 6, 30), PUBLISHED_ON
    )
    with pytest.raises(LifecycleError, match="Submit the plan"):
        opened.complete(OFFICER, date(2025, 7, 1))
    opened.submit(OFFICER, "Our plan", date(2025, 5, 1))
    with pytest.raises(LifecycleError, match="Actions still open: A1"):
        opened.complete(OFFICER, date(2025, 7, 1))
    opened.complete_action(OFFICER, action, [], date(2025, 7, 1))
    opened.complete(OFFICER, date(2025, 7, 1))
    assert opened.completed_on == date(2025, 7, 1)


def focused_visit_notice(policy: Policy) -> date:
    notice_given = date(2025, 2, 3)
    return Inspection.schedule(INSPECTOR, COUNCIL, "focused_visit", "ilacs_2023", STARTS_2025,
                               notice_given, policy).notice_on  # fmt: skip


SHORT_ERA = ChallengeEra("pilot", date(2025, 1, 1), 5, ("formal_review", "adjudicator"), 20, False)
WITH_PILOT = {"challenge_eras": (*DEFAULT_POLICY.challenge_eras, SHORT_ERA)}
# fmt: off
OVERRIDES = cases(
    ("a shorter action plan period", {"action_plan_working_days": 50},
     lambda p: plan(policy=p).due_on, date(2025, 7, 3)),
    ("a shorter focused visit plan period", {"focused_visit_plan_working_days": 10},
     lambda p: plan("focused_visit", policy=p).due_on, date(2025, 5, 7)),
    ("an earlier first monitoring visit", {"first_monitoring_visit_weeks_after_plan": 2},
     lambda p: plan(inadequate=True, policy=p).monitoring_visits_due(p)[0], date(2025, 8, 14)),
    ("a longer factual accuracy check", {"factual_accuracy_working_days": 10},
     lambda p: draft_issued_on(date(2025, 4, 7), p).comments_due, date(2025, 4, 23)),
    ("a shorter focused visit notice", {"notice_working_days": {"focused_visit": 3, "jtai": 10, "area_send": 5}},
     focused_visit_notice, date(2025, 2, 26)),
    ("a new challenge era", WITH_PILOT,
     lambda p: final_issued_on(date(2025, 4, 15), p).challenge_window_ends, date(2025, 4, 24)),
)
# fmt: on


def draft_issued_on(day: date, policy: Policy) -> Inspection:
    inspection = inspection_at("judgments made")
    inspection.issue_draft(INSPECTOR, day, policy)
    return inspection


def final_issued_on(day: date, policy: Policy) -> Inspection:
    inspection = inspection_at("draft issued")
    inspection.issue_final_report(MODERATOR, day, policy)
    return inspection


@pytest.mark.parametrize(("overrides", "deadline", "expected"), OVERRIDES)
def test_a_policy_override_moves_the_deadline_it_names(overrides, deadline, expected):
    policy = DEFAULT_POLICY.with_overrides(overrides)
    assert deadline(policy) == expected
    assert deadline(DEFAULT_POLICY) != expected


def test_a_new_challenge_era_sets_the_window_and_whether_publication_waits():
    policy = DEFAULT_POLICY.with_overrides(WITH_PILOT)
    inspection = final_issued_on(date(2025, 4, 15), policy)
    assert not inspection.withholds_publication
    challenge = Challenge.lodge(
        OFFICER, inspection, "report", "", "Unfair", [], date(2025, 4, 24), policy
    )
    assert (challenge.era, challenge.stages) == ("pilot", ["formal_review", "adjudicator"])


def test_an_override_of_an_unknown_period_is_refused_and_the_default_is_untouched():
    with pytest.raises(ValueError, match="action_plan_days"):
        DEFAULT_POLICY.with_overrides({"action_plan_days": 10})
    assert DEFAULT_POLICY.action_plan_working_days == 70
    assert DEFAULT_POLICY.factual_accuracy_working_days == 5
