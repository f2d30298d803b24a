"""Work lists: what each inspectorate and each council has waiting, with deadlines."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from domain import inspection as lifecycle
from projections.action_plans import actions, plans
from projections.concerns import open_concerns
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
    """Return an inspectorate's inspections in progress, the challenges it must decide and
    the concerns it triages that are still open."""
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
        "concerns": open_concerns(conn, agency, today),
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


def _soonest(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(items, key=lambda item: (item["due"] or date.max, item["step"]))


def by_turn(items: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Split work items into those that need the reader's action and those waiting for others,
    each soonest deadline first (items with no deadline last)."""
    return {
        "yours": _soonest([i for i in items if i["yours"]]),
        "others": _soonest([i for i in items if not i["yours"]]),
    }


def _item(kind: str, row: Any, step: str, due: date | None, yours: bool) -> dict[str, Any]:
    return {"kind": kind, "row": row, "step": step, "due": due, "yours": yours}


def _inspection_turn(row: Any, today: date) -> dict[str, Any]:
    """Whose turn an inspection in progress is, as its inspectorate sees it, and by when."""
    status, due = row["status"], row["challenge_window_ends"]
    if status == lifecycle.SCHEDULED:
        return _item(
            "inspection", row, "Start fieldwork", row["starts_on"], today >= row["starts_on"]
        )
    if status == lifecycle.ON_SITE:
        return _item("inspection", row, "Record findings and judgments", None, True)
    if status == lifecycle.JUDGMENTS_MADE:
        return _item("inspection", row, "Issue the draft report", None, True)
    if status == lifecycle.DRAFT_ISSUED:
        if today <= row["comments_due"] and not row["comments_complete"]:
            step = "The council's factual accuracy comments"
            return _item("inspection", row, step, row["comments_due"], False)
        return _item("inspection", row, "Issue the final report", None, True)
    if row["open_challenges"]:
        return _item("inspection", row, "A decision on the council's challenge", None, False)
    if due is not None and today <= due:
        return _item("inspection", row, "The council's challenge window", due, False)
    return _item("inspection", row, "Publish the report", None, True)


def inspectorate_turns(work: dict[str, Any], today: date) -> dict[str, list[dict[str, Any]]]:
    """An inspectorate's work list by whose turn it is."""
    items = [_inspection_turn(r, today) for r in work["inspections"]]
    items += [
        _item("challenge", c, "Decide the council's challenge", c["response_due"], True)
        for c in work["challenges"]
    ]
    items += [_concern_turn(c) for c in work["concerns"]]
    return by_turn(items)


def _concern_turn(row: Any) -> dict[str, Any]:
    """A concern's next step for the inspectorate triaging it: acknowledgement has a deadline."""
    if row["acknowledged_on"] is None:
        return _item("concern", row, "Acknowledge the concern", row["acknowledge_by"], True)
    if not row["risk"]:
        return _item("concern", row, "Assess the risk", None, True)
    return _item("concern", row, "Link or close the concern", None, True)


def _challenge_turn(row: Any) -> dict[str, Any]:
    if row["status"] == "decided":
        return _item("challenge", row, "Accept the decision or take it further", None, True)
    return _item("challenge", row, "A decision on your challenge", row["response_due"], False)


def council_turns(
    work: dict[str, Any], upcoming: list[Any], today: date
) -> dict[str, list[dict[str, Any]]]:
    """A council's work list by whose turn it is; `upcoming` are its scheduled inspections."""
    items = [
        _item("draft", d, "Send factual accuracy comments", d["comments_due"], True)
        if d["open"]
        else _item("draft", d, "The final report", None, False)
        for d in work["drafts"]
    ]
    items += [  # an upheld decision asks nothing more of the council
        _challenge_turn(c)
        for c in work["challenges"]
        if not (c["status"] == "decided" and c["outcome"] == "upheld")
    ]
    items += [
        _item("plan", p, "Record progress and complete the action plan", None, True)
        if p["submitted_on"]
        else _item("plan", p, "Submit the action plan", p["due_on"], True)
        for p in work["action_plans"]
    ]
    plan_of = {p["id"]: p["inspection_id"] for p in work["action_plans"]}
    items += [
        _item(
            "action",
            a | {"inspection_id": plan_of.get(a["plan_id"])},
            "Complete the action",
            a["due_on"],
            True,
        )
        for a in work["actions"]
    ]
    items += [
        _item("inspection", i, "Fieldwork begins", i["starts_on"], False)
        for i in upcoming
        if i["status"] == lifecycle.SCHEDULED and i["starts_on"] >= today
    ]
    return by_turn(items)
