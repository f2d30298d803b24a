"""Work lists: what each inspectorate and each council has waiting, with deadlines."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from domain import inspection as lifecycle
from projections.action_plans import actions, plans
from projections.disputes import challenges
from projections.inspections import inspections


def awaiting(row: Any, today: date) -> str:
    """Say in a few words what an inspection in progress is waiting for."""
    status = row["status"]
    if status == lifecycle.SCHEDULED:
        return f"fieldwork from {row['starts_on'].isoformat()}"
    if status == lifecycle.ON_SITE:
        return "findings and judgments"
    if status == lifecycle.JUDGMENTS_MADE:
        return "the draft report"
    if status == lifecycle.DRAFT_ISSUED:
        due = row["comments_due"]
        if today <= due and not row["comments_complete"]:
            return f"the council's factual accuracy comments (until {due.isoformat()})"
        return "the final report"
    if row["open_challenges"]:
        return "a decision on the council's challenge"
    return f"publication (challenge window ends {row['challenge_window_ends'].isoformat()})"


def inspectorate_work(conn: Connection, agency: str, today: date) -> dict[str, Any]:
    """Return an inspectorate's inspections in progress and the challenges it must decide."""
    rows = (
        conn.execute(
            select(inspections)
            .where(inspections.c.status.in_(lifecycle.OPEN_STATUSES))
            .order_by(inspections.c.starts_on)
        )
        .mappings()
        .all()
    )
    mine = [r for r in rows if r["lead_agency"] == agency or agency in r["agencies"]]
    led = set(
        conn.execute(select(inspections.c.id).where(inspections.c.lead_agency == agency)).scalars()
    )
    open_challenges = (
        conn.execute(
            select(challenges)
            .where(challenges.c.status == "under review")
            .order_by(challenges.c.response_due)
        )
        .mappings()
        .all()
    )
    return {
        "inspections": [dict(r) | {"awaiting": awaiting(r, today)} for r in mine],
        "challenges": [
            dict(c) | {"overdue": today > c["response_due"]}
            for c in open_challenges
            if c["inspection_id"] in led
        ],
    }


def adjudicator_work(conn: Connection) -> dict[str, Any]:
    """Return the challenges escalated to the independent adjudicator, soonest due first."""
    query = select(challenges).where(challenges.c.stage == "adjudicator")
    rows = conn.execute(query.order_by(challenges.c.response_due, challenges.c.id)).mappings()
    return {"challenges": [dict(r) for r in rows]}


def council_work(conn: Connection, council: str, today: date) -> dict[str, Any]:
    """Return a council's drafts to check, open challenges, and plans and actions due."""
    drafts = (
        conn.execute(
            select(inspections).where(
                (inspections.c.council == council)
                & (inspections.c.status == lifecycle.DRAFT_ISSUED)
            )
        )
        .mappings()
        .all()
    )
    disputes = (
        conn.execute(
            select(challenges).where(
                (challenges.c.council == council) & (challenges.c.status != "closed")
            )
        )
        .mappings()
        .all()
    )
    plan_rows = (
        conn.execute(
            select(plans).where((plans.c.council == council) & plans.c.completed_on.is_(None))
        )
        .mappings()
        .all()
    )
    action_rows = (
        conn.execute(
            select(actions)
            .where((actions.c.council == council) & actions.c.completed_on.is_(None))
            .order_by(actions.c.due_on)
        )
        .mappings()
        .all()
    )
    return {
        "drafts": [
            dict(d) | {"open": today <= d["comments_due"] and not d["comments_complete"]}
            for d in drafts
        ],
        "challenges": [dict(c) for c in disputes],
        "action_plans": [
            dict(p) | {"overdue": p["submitted_on"] is None and today > p["due_on"]}
            for p in plan_rows
        ],
        "actions": [dict(a) | {"overdue": today > a["due_on"]} for a in action_rows],
    }


def disputes(conn: Connection, council: str | None = None) -> list[dict[str, Any]]:
    """Return the audit trail of every disputed judgment (of one council, if named)."""
    query = select(challenges).order_by(challenges.c.lodged_on)
    if council:
        query = query.where(challenges.c.council == council)
    return [dict(r) for r in conn.execute(query).mappings()]
