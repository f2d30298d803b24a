"""Proportionate scheduling (DOMAIN.md §4, §6, §7): the type of inspection a council's history
calls for is the default; any other type needs a reason. The history arrives as the council's
previous headline grade and the types of visit held since it (the read side's proposal), so the
domain does no I/O."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from domain import limits
from domain.action_plan import add_months
from domain.errors import InvalidInput
from domain.grades import GOOD, INADEQUATE, OUTSTANDING
from domain.policy import Policy

ACTION_PLANNING_VISIT, MONITORING_VISIT = "action_planning_visit", "monitoring_visit"


class ReasonRequired(InvalidInput):
    """A type other than the one the council's history calls for was chosen without a reason."""

    rule = "reason-required"
    field = "reason"


def graded_called_for(previous_grade: str | None) -> str:
    """The graded inspection a council's previous headline calls for: short after Good or
    Outstanding, standard after anything else (or nothing)."""
    return "short" if previous_grade in (GOOD, OUTSTANDING) else "standard"


def newly_inadequate(previous_grade: str | None, visits_since: Iterable[str] = ()) -> bool:
    """Say whether the council was judged Inadequate and no visit has followed yet: the
    action-planning visit comes first, then monitoring visits."""
    followed = {ACTION_PLANNING_VISIT, MONITORING_VISIT} & set(visits_since)
    return previous_grade == INADEQUATE and not followed


def called_for(previous_grade: str | None, visits_since: Iterable[str] = ()) -> str:
    """The inspection or visit a council's history calls for next: an action-planning visit for
    a council newly judged Inadequate, otherwise the graded inspection its headline calls for."""
    if newly_inadequate(previous_grade, visits_since):
        return ACTION_PLANNING_VISIT
    return graded_called_for(previous_grade)


def departure(
    type_key: str, previous_grade: str | None, visits_since: Iterable[str] = ()
) -> str | None:
    """Return why `type_key` is not what the history calls for, or None when it is."""
    shown = previous_grade or "no graded inspection"
    fresh = newly_inadequate(previous_grade, visits_since)
    if type_key in ("standard", "short") and type_key != graded_called_for(previous_grade):
        return (
            f"the council's previous grade ({shown}) calls for a "
            f"{graded_called_for(previous_grade)} inspection"
        )
    if type_key == "focused_visit" and previous_grade == INADEQUATE:
        return "focused visits are for councils not judged Inadequate"
    if type_key == MONITORING_VISIT and previous_grade != INADEQUATE:
        return f"monitoring visits are for councils judged Inadequate (this one: {shown})"
    if type_key == MONITORING_VISIT and fresh:
        return "a council newly judged Inadequate has an action-planning visit before monitoring"
    if type_key == ACTION_PLANNING_VISIT and not fresh:
        return (
            "action-planning visits are for councils newly judged Inadequate "
            f"(this one: {shown}, with a visit already held since)"
            if previous_grade == INADEQUATE
            else f"action-planning visits are for councils newly judged Inadequate ({shown})"
        )
    return None


def check_proportionate(
    type_key: str, previous_grade: str | None, reason: str, visits_since: Iterable[str] = ()
) -> str:
    """Return the reason (checked against its limits), refusing a departure without one."""
    limits.SCHEDULING_REASON.checked(reason)
    why_not = departure(type_key, previous_grade, visits_since)
    if why_not and not reason.strip():
        raise ReasonRequired(f"Give a reason for this type of inspection: {why_not}")
    return reason.strip()


def first_monitoring_visit_due(plan_due: date, policy: Policy) -> date:
    """Return when an Inadequate council's first monitoring visit is due: about 4 weeks after
    its action plan is."""
    return plan_due + timedelta(weeks=policy.first_monitoring_visit_weeks_after_plan)


def monitoring_visits_answered(first_due: date, held: Sequence[date], policy: Policy) -> list[date]:
    """Return the due date each held visit answered, and then the next one due: each visit is
    due an interval after the last one actually held (the first, after the action plan), so a
    visit held late or early moves the cycle instead of leaving earlier dates overdue."""
    due = [first_due]
    for visit in sorted(held):
        due.append(add_months(visit, policy.monitoring_visit_interval_months))
    return due
