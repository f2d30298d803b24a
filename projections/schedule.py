"""The inspection schedule: next graded inspection, monitoring and focused visits, overdue items."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from domain.action_plan import add_months
from domain.grades import GOOD, INADEQUATE, OUTSTANDING
from domain.inspection import OPEN_STATUSES
from domain.policy import Policy
from domain.scheduling import (
    called_for,
    first_monitoring_visit_due,
    monitoring_visits_answered,
)
from domain.working_days import add_working_days
from projections.action_plans import plans
from projections.inspections import inspections
from projections.queries import all_standings, council_rows, headline_of
from projections.standings import Standing

GRADED_TYPES = ("standard", "short")


def schedule(conn: Connection, today: date, policy: Policy) -> list[dict[str, Any]]:
    """Return, per council of the day, what inspection or visit is due next and what is overdue:
    each due from the last one actually held."""
    standing = all_standings(conn, today, None)
    rows = conn.execute(select(inspections).order_by(inspections.c.starts_on)).mappings().all()
    plan_rows = conn.execute(select(plans)).mappings().all()
    result = []
    for code, council in council_rows(conn, today).items():
        mine = [r for r in rows if r["council"] == code]
        entry = _next_graded(standing.get(code), mine, today, policy)
        entry.update(council=code, name=council["name"], region=council["region"])
        entry["visits_since"] = _visits_since(standing.get(code), mine)
        entry["called_for"] = called_for(entry["last_grade"], entry["visits_since"])
        entry["upcoming"] = [_brief(r) for r in mine if r["status"] in OPEN_STATUSES]
        entry["monitoring_visits"] = _monitoring(standing.get(code), mine, plan_rows, today, policy)
        entry["last_focused_visit"] = next(
            (r["starts_on"] for r in reversed(mine) if r["type"] == "focused_visit"), None
        )
        entry["overdue"] = entry["graded_overdue"] or any(
            v["overdue"] for v in entry["monitoring_visits"]
        )
        result.append(entry)
    return sorted(result, key=lambda e: (e["due_from"] or date.max, e["name"]))


def filtered(
    rows: list[dict[str, Any]], region: str | None = None, overdue_only: bool = False
) -> list[dict[str, Any]]:
    """Keep the schedule's entries of one region (None or "": all), and only overdue ones."""
    return [
        r
        for r in rows
        if (not region or r["region"] == region) and (r["overdue"] or not overdue_only)
    ]


def _visits_since(standing: Standing | None, mine: list[Any]) -> tuple[str, ...]:
    """Return the types of visit held or arranged since the headline was published."""
    if standing is None:
        return ()
    return tuple(
        r["type"]
        for r in mine
        if r["starts_on"] > standing.published_on and r["status"] not in ("cancelled", "withdrawn")
    )


def _brief(row: Any) -> dict[str, Any]:
    return {
        "id": row["id"],
        "type": row["type"],
        "starts_on": row["starts_on"],
        "status": row["status"],
    }


def _next_graded(
    standing: Standing | None, mine: list[Any], today: date, policy: Policy
) -> dict[str, Any]:
    if standing is None:
        return {
            "last_published_on": None,
            "last_grade": None,
            "next_type": "standard",
            "due_from": None,
            "due_by": None,
            "graded_overdue": False,
        }
    grade = headline_of(standing, policy)
    if grade == INADEQUATE:
        due_from = standing.published_on
        due_by = add_months(standing.published_on, 12 * policy.reinspection_of_inadequate_years)
    else:
        centre = add_months(standing.published_on, 12 * policy.next_inspection_years)
        due_from = add_months(centre, -policy.next_inspection_window_months)
        due_by = add_months(centre, policy.next_inspection_window_months)
    arranged = any(
        r["type"] in GRADED_TYPES and r["starts_on"] > standing.starts_on and _going_ahead(r)
        for r in mine
    )
    return {
        "last_published_on": standing.published_on,
        "last_grade": grade,
        "next_type": "short" if grade in (GOOD, OUTSTANDING) else "standard",
        "due_from": due_from,
        "due_by": due_by,
        "graded_overdue": today > due_by and not arranged,
    }


def _monitoring(
    standing: Standing | None, mine: list[Any], plan_rows: list[Any], today: date, policy: Policy
) -> list[dict[str, Any]]:
    """The monitoring visits of an Inadequate council held since its judgment, each with the
    date it was due, then the next one due (none once its re-inspection is arranged first)."""
    if standing is None or headline_of(standing, policy) != INADEQUATE:
        return []
    plan = next((p for p in plan_rows if p["inspection_id"] == standing.inspection_id), None)
    plan_due = (
        plan["due_on"]
        if plan
        else add_working_days(standing.published_on, policy.action_plan_working_days)
    )
    since = [r for r in mine if r["starts_on"] > standing.published_on and _going_ahead(r)]
    held = [
        r["starts_on"] for r in since if r["type"] == "monitoring_visit" and r["starts_on"] <= today
    ]
    *answered, next_due = monitoring_visits_answered(
        first_monitoring_visit_due(plan_due, policy), held, policy
    )
    visits = [
        {"due_on": due, "held": True, "held_on": on, "overdue": False}
        for due, on in zip(answered, sorted(held), strict=True)
    ]
    reinspections = [r["starts_on"] for r in since if r["type"] in GRADED_TYPES]
    cycle_end = add_months(max(next_due, today), policy.monitoring_visit_interval_months)
    if reinspections and min(reinspections) < cycle_end:
        return visits  # re-inspected, or to be within a visit interval: no visit is needed
    arranged = any(r["type"] == "monitoring_visit" and r["starts_on"] > today for r in since)
    late = today > next_due and not arranged
    return [*visits, {"due_on": next_due, "held": False, "held_on": None, "overdue": late}]


def _going_ahead(row: Any) -> bool:
    return row["status"] not in ("cancelled", "withdrawn")


def next_inspection(
    conn: Connection, code: str, today: date, policy: Policy
) -> dict[str, Any] | None:
    """The council's own entry of the schedule: its next graded inspection's window, its
    monitoring visits and what is arranged (None: not a council of the day)."""
    return next((e for e in schedule(conn, today, policy) if e["council"] == code), None)


def previous_grade(conn: Connection, code: str, today: date, policy: Policy) -> str | None:
    """The council's previous headline grade as scheduling reads it (None: never graded): what
    a schedule command passes the domain so it can tell which type the history calls for."""
    return scheduling_history(conn, code, today, policy)[0]


def scheduling_history(
    conn: Connection, code: str, today: date, policy: Policy
) -> tuple[str | None, tuple[str, ...]]:
    """The council's previous headline grade and the types of visit since it: what a schedule
    command passes the domain so it can tell which type the history calls for."""
    entry = next_inspection(conn, code, today, policy)
    return (entry["last_grade"], entry["visits_since"]) if entry else (None, ())
