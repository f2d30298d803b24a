"""Signed-in pages every participant shares: the work list, an inspection, a challenge."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint, render_template
from sqlalchemy import select

from domain import permissions as can
from domain.actors import Actor, Role
from domain.commands.reports import may_read_working_copy
from domain.errors import LedgerError, NotFound
from domain.inspection import (
    DRAFT_ISSUED,
    FINAL_ISSUED,
    JUDGMENTS_MADE,
    ON_SITE,
    OPEN_STATUSES,
    PUBLISHED,
    SCHEDULED,
    Inspection,
)
from domain.inspection.writing import WRITABLE
from domain.inspection_types import inspection_type
from projections.concerns import brought_forward_by
from projections.disputes import challenges
from projections.inspections import inspections
from projections.schedule import next_inspection
from projections.worklists import (
    adjudicator_work,
    council_turns,
    council_work,
    inspectorate_turns,
    inspectorate_work,
)
from web.auth import actor, council_name, roles, staff_only
from web.errors import handle_refusals
from web.pages.common import allowed, ledger, read, said

bp = handle_refusals(Blueprint("workspace", __name__))
STAFF = (Role.INSPECTOR, Role.MODERATOR, Role.COUNCIL_OFFICER, Role.ADJUDICATOR)


@bp.get("/work")
@roles(*STAFF)
def work() -> str:
    """Show what waits for the signed-in person's inspectorate, council or the adjudicator."""
    me, today = actor(), ledger().today()
    with read() as conn:
        if me.role == Role.ADJUDICATOR:
            found = adjudicator_work(conn)
            return render_template(
                "inspections/adjudicator_work.html", title="Work list", work=found
            )
        if me.is_inspectorate:
            found = inspectorate_work(conn, me.organisation, today)
            return render_template(
                "inspections/work.html",
                title="Work list",
                turns=inspectorate_turns(found, today),
                today=today,
            )
        found = council_work(conn, me.organisation, today)
        mine = _council_inspections(conn, me.organisation)
        window = next_inspection(conn, me.organisation, today, ledger().policy)
    return render_template(
        "council/work.html",
        title="Your council's work",
        turns=council_turns(found, mine, today),
        today=today,
        window=window,
        inspections=mine,
    )


def _council_inspections(conn: Any, council: str) -> list[Any]:
    query = select(inspections).where(inspections.c.council == council)
    return list(conn.execute(query.order_by(inspections.c.starts_on.desc())).mappings())


def actions_for(me: Actor, inspection: Inspection) -> list[dict[str, Any]]:
    """Return the next steps the signed-in person may take on this inspection."""
    lead, status = inspection.lead_agency, inspection.status
    inspector = allowed(lambda: can.must_be_lead_inspectorate(me, lead, "act"))
    moderator = allowed(lambda: can.must_be_lead_moderator(me, lead, "act"))
    officer = allowed(lambda: can.must_be_officer_of(me, inspection.council, "act"))
    recorder = me.is_inspectorate and me.organisation in inspection.agencies
    steps = [
        ("inspectorate.start", "Start fieldwork", inspector and status == SCHEDULED),
        (
            "inspectorate.finding",
            "Record a finding",
            recorder and status in (ON_SITE, JUDGMENTS_MADE, DRAFT_ISSUED),
        ),
        (
            "inspectorate.judgments",
            "Make judgments",
            inspector and inspection.graded and status == ON_SITE,
        ),
        ("inspectorate.complete", "Complete the judgments", inspector and status == ON_SITE),
        ("inspectorate.draft", "Issue the draft report", inspector and status == JUDGMENTS_MADE),
        ("council.comment", "Comment on the draft report", officer and status == DRAFT_ISSUED),
        ("inspectorate.final", "Issue the final report", moderator and status == DRAFT_ISSUED),
        ("inspectorate.publish", "Publish the report", moderator and status == FINAL_ISSUED),
        (
            "council.challenge",
            "Challenge this inspection",
            officer and status in (FINAL_ISSUED, PUBLISHED),
        ),
        (
            "inspectorate.end",
            "Cancel the inspection",
            moderator and status in OPEN_STATUSES and status != FINAL_ISSUED,
            {"ending": "cancel"},
        ),
        (
            "inspectorate.end",
            "Withdraw the report",
            moderator and status == FINAL_ISSUED,
            {"ending": "withdraw"},
        ),
    ]
    return [
        {
            "endpoint": step[0],
            "text": step[1],
            "args": step[3] if len(step) > 3 else {},
            "blocked": _refusal_of(step[0], me, inspection),
        }
        for step in steps
        if step[2]
    ]


def _refusal_of(endpoint: str, me: Actor, inspection: Inspection) -> str | None:
    """Rehearse a one-button step and say why it would be refused now (None: it would not)."""
    from web.pages.inspectorate_steps import STEPS

    step = STEPS.get(endpoint.removeprefix("inspectorate."))
    if step is None:
        return None
    try:
        with ledger().rehearsal():
            step[3](ledger(), me, inspection.id)
    except LedgerError as refusal:
        return said(refusal)
    return None


@bp.get("/inspections/<uuid:id>")
@staff_only
def inspection(id: UUID) -> str:
    """Show an inspection: its stage, findings per agency, judgments, comments, challenges."""
    me = actor()
    found = ledger().inspection(me, id)
    with read() as conn:
        disputes = list(
            conn.execute(select(challenges).where(challenges.c.inspection_id == str(id))).mappings()
        )
        forward = brought_forward_by(conn, str(id))
    try:
        plan = ledger().action_plan(me, id)
    except NotFound:
        plan = None
    return render_template(
        "inspections/workspace.html",
        title=f"{inspection_type(found.type).label}: {council_name(found.council)}",
        inspection=found,
        titles=found.framework.titles(),
        actions=actions_for(me, found),
        disputes=disputes,
        plan=plan,
        today=ledger().today(),
        report_link=report_link(me, found),
        on_intelligence=bool(forward),  # a council reads only this; the concern is the triager's
        concerns=forward if can.may_read_concern(me, ledger().policy.concerns_inspectorate) else [],
    )


def report_link(me: Actor, inspection: Inspection) -> str | None:
    """Name the link to the report: writing it (the inspectorate), or reading what was issued."""
    if may_read_working_copy(me, inspection):
        return "Write and read the report" if inspection.status in WRITABLE else "Read the report"
    return "Read the report" if inspection.report_versions else None


@bp.get("/challenges/<uuid:id>")
@staff_only
def challenge(id: UUID) -> str:
    """Show a challenge and every step it has been through."""
    me = actor()
    found = ledger().challenge(me, id)
    inspection_ = ledger().inspection(me, UUID(found.inspection_id))
    decide = (
        found.status == "under review"
        and found.stage != "adjudicator"
        and allowed(lambda: can.must_be_lead_moderator(me, inspection_.lead_agency, "decide"))
    )
    escalate = (
        found.status == "decided"
        and found.outcome != "upheld"
        and allowed(lambda: can.must_be_officer_of(me, found.council, "escalate"))
    )
    adjudicate = (
        found.status == "under review"
        and found.stage == "adjudicator"
        and (
            me.role == Role.ADJUDICATOR
            or allowed(lambda: can.must_be_lead_moderator(me, inspection_.lead_agency, "record"))
        )
    )
    return render_template(
        "inspections/challenge.html",
        title="Challenge",
        challenge=found,
        inspection=inspection_,
        titles=inspection_.framework.titles(),
        can_decide=decide,
        can_adjudicate=adjudicate,
        can_escalate=escalate and found.stage != found.stages[-1],
    )
