"""The inspection schedule: next graded inspection, monitoring and focused visits, overdue items."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from domain.action_plan import add_months
from domain.grades import GOOD, INADEQUATE, OUTSTANDING
from domain.inspection import OPEN_STATUSES
from domain.policy import Policy
from domain.scheduling import called_for
from projections.action_plans import plans
from projections.inspections import inspections
from projections.queries import all_standings, council_rows, headline_of
from projections.ratings import Standing


def schedule(conn: Connection, today: date, policy: Policy) -> list[dict[str, Any]]:
    """Return, per current council, what inspection or visit is due next and what is overdue."""
    standing = all_standings(conn, None, None)
    rows = conn.execute(select(inspections).order_by(inspections.c.starts_on)).mappings().all()
    plan_rows = conn.execute(select(plans)).mappings().all()
    result = []
    for code, council in council_rows(conn).items():
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
        r["type"] in ("standard", "short")
        and r["starts_on"] > standing.starts_on
        and r["status"] not in ("cancelled", "withdrawn")
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
    if standing is None or headline_of(standing, policy) != INADEQUATE:
        return []
    plan = next((p for p in plan_rows if p["inspection_id"] == standing.inspection_id), None)
    plan_due = plan["due_on"] if plan else standing.published_on + timedelta(weeks=14)
    first = plan_due + timedelta(weeks=policy.first_monitoring_visit_weeks_after_plan)
    until = add_months(standing.published_on, 12 * policy.reinspection_of_inadequate_years)
    visits = [
        r["starts_on"]
        for r in mine
        if r["type"] == "monitoring_visit" and r["starts_on"] > standing.published_on
    ]
    due, step = [], 0
    while (visit := add_months(first, step * policy.monitoring_visit_interval_months)) < until:
        window_end = add_months(visit, policy.monitoring_visit_interval_months)
        held = any(visit - timedelta(weeks=6) <= v < window_end for v in visits)
        due.append({"due_on": visit, "held": held, "overdue": not held and today > visit})
        step += 1
    return due


def previous_grade(conn: Connection, code: str, today: date, policy: Policy) -> str | None:
    """The council's previous headline grade as scheduling reads it (None: never graded): what
    a schedule command passes the domain so it can tell which type the history calls for."""
    return scheduling_history(conn, code, today, policy)[0]


def scheduling_history(
    conn: Connection, code: str, today: date, policy: Policy
) -> tuple[str | None, tuple[str, ...]]:
    """The council's previous headline grade and the types of visit since it: what a schedule
    command passes the domain so it can tell which type the history calls for."""
    entry = next((e for e in schedule(conn, today, policy) if e["council"] == code), None)
    return (entry["last_grade"], entry["visits_since"]) if entry else (None, ())
