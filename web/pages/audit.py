"""The auditor's pages: full event timelines, ratings on any date, the disputes trail, CSV."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any
from uuid import UUID

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from adapters.audit import chain_links, verify
from domain.action_plan import action_plan_id
from domain.actors import Role
from domain.council import existed_on
from domain.frameworks import FRAMEWORKS
from projections.action_plans import plans
from projections.inspections import inspections
from projections.queries import lifetime, rating_history, ratings
from projections.worklists import disputes
from web.auth import actor, roles, staff_only
from web.errors import handle_refusals
from web.forms import date_errors_fixed
from web.forms_audit import AsOfForm, clock_time
from web.pages.common import (
    council_names,
    day,
    framework_title,
    last_recorded,
    ledger,
    read,
    recorded_by_then,
    type_label,
)
from web.pages.names import EVERY_TITLE, organisation
from web.spreadsheet import csv_download

bp = handle_refusals(Blueprint("audit", __name__, url_prefix="/audit"))
READERS = (Role.AUDITOR, Role.ADMINISTRATOR)
HIDDEN = {"originator_id", "originator_version", "originator_topic", "timestamp", "actor"}
WHY = ("reason", "reasons", "grounds", "comment", "recommendation")
AREA_FIELDS = {"area", "reference"}  # fields whose value may be a judgment area's key


@bp.get("/")
@roles(*READERS)
def home() -> ResponseReturnValue:
    """Offer the auditor's questions: a council's records, ratings on a date, disputes."""
    names = sorted(council_names().items(), key=lambda item: item[1])
    form = AsOfForm(meta={"csrf": False})
    form.council.choices = [("", "Choose a council")] + names
    return _home(form, names), 200


def _home(form: AsOfForm, names: list[tuple[str, str]]) -> str:
    items = [{"value": "", "text": "Choose a council"}] + [
        {"value": c, "text": n} for c, n in names
    ]
    return render_template("audit/home.html", title="Audit", council_items=items, form=form)


@bp.get("/councils")
@roles(*READERS)
def find_council() -> ResponseReturnValue:
    """Go to the records of the council chosen."""
    code = request.args.get("council", "")
    return (
        redirect(url_for("audit.council", code=code)) if code else redirect(url_for("audit.home"))
    )


@bp.get("/councils/<code>")
@roles(*READERS)
def council(code: str) -> str:
    """List every inspection, challenge and plan of one council, with links to their history."""
    if code not in council_names():
        abort(404)
    with read() as conn:
        rows = list(
            conn.execute(
                select(inspections)
                .where(inspections.c.council == code)
                .order_by(inspections.c.starts_on)
            ).mappings()
        )
        plan_rows = list(conn.execute(select(plans).where(plans.c.council == code)).mappings())
        trail = disputes(conn, code)
    return render_template(
        "audit/council.html",
        title=f"Records of {council_names()[code]}",
        code=code,
        inspections=rows,
        plans=plan_rows,
        disputes=trail,
    )


def _events(kind: str, id: UUID) -> list[Any]:
    me = actor()
    if kind == "inspection":
        ledger().inspection(me, id)
        return ledger().events_of(id)
    if kind == "challenge":
        ledger().challenge(me, id)
        return ledger().events_of(id)
    if kind == "plan":
        ledger().action_plan(me, id)
        return ledger().events_of(action_plan_id(id))
    abort(404)


def _plain(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    return value


def area_titles(events: list[Any]) -> dict[str, str]:
    """Return judgment areas' titles by key: the record's framework's, else the newest's."""
    titles = dict(EVERY_TITLE)
    keys = [getattr(e, "framework_key", None) for e in events]
    own = next((FRAMEWORKS[k] for k in keys if k in FRAMEWORKS), None)
    return titles | (own.titles() if own else {})


def shown(field: str, value: Any, titles: dict[str, str]) -> Any:
    """Return a field's value as a person reads it: titles for areas and councils, dates as
    GOV.UK writes them, yes or no; the CSV keeps the stored values."""
    if isinstance(value, dict):
        return {titles.get(k, k): shown(field, v, titles) for k, v in value.items()}
    if isinstance(value, list):
        return [shown(field, v, titles) for v in value]
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, date) and not isinstance(value, datetime):
        return day(value)
    if field in AREA_FIELDS and value in titles:
        return titles[value]
    if field == "council":
        return council_names().get(value, value)
    if field == "type":
        return type_label(value)
    if field == "framework_key":
        return framework_title(value)
    if field in {"agency", "lead_agency", "agencies", "organisation"}:
        return organisation(value)
    if isinstance(value, str) and field in {"stage", "stages", "outcome", "kind", "subject"}:
        return value.replace("_", " ")
    return _plain(value)


def timeline_entries(events: list[Any]) -> list[dict[str, Any]]:
    """Return each event as who, what, when and why, with its place in the hash chain."""
    entries = []
    links = chain_links(ledger().recorder, str(events[0].originator_id)) if events else {}
    titles = area_titles(events)
    for event in events:
        stored = {k: v for k, v in vars(event).items() if k not in HIDDEN}
        fields = {k: _plain(v) for k, v in stored.items()}
        name = type(event).__name__
        words = "".join(f" {c.lower()}" if c.isupper() else c for c in name).strip()
        details = [k for k, v in fields.items() if k not in WHY and v not in ("", [], {}, None)]
        entries.append(
            {
                "what": words.capitalize(),
                "event": name,
                "who": event.actor,
                "when": event.timestamp,
                "version": event.originator_version,
                "chain": links.get(event.originator_version),
                "why": next((fields[k] for k in WHY if fields.get(k)), ""),
                "details": {k: fields[k] for k in details},
                "shown": {k: shown(k, stored[k], titles) for k in details},
            }
        )
    return entries


@bp.get("/<any(inspection, challenge, plan):kind>/<uuid:id>")
@staff_only
def timeline(kind: str, id: UUID) -> str:
    """Show every event of an inspection, challenge or plan, newest first."""
    entries = timeline_entries(_events(kind, id))
    return render_template(
        "audit/timeline.html",
        title=f"History of this {kind}",
        kind=kind,
        id=id,
        entries=list(reversed(entries)),
    )


@bp.get("/<any(inspection, challenge, plan):kind>/<uuid:id>.csv")
@staff_only
def timeline_csv(kind: str, id: UUID) -> Response:
    """Export a timeline as CSV."""
    rows = [
        [
            e["when"].isoformat(),
            e["version"],
            e["event"],
            e["who"].user,
            e["who"].role,
            e["who"].organisation,
            e["why"],
            json.dumps(e["details"], default=str),
            *_chain_cells(e["chain"]),
        ]
        for e in timeline_entries(_events(kind, id))
    ]
    return csv_download(f"{kind}-{id}.csv", TIMELINE_COLUMNS, rows)


TIMELINE_COLUMNS = [
    *("recorded_at", "version", "event", "user", "role", "organisation", "why", "details"),
    *("chain_position", "event_hash", "correlation_id", "causation_id"),
]


def _chain_cells(link: Any) -> list[Any]:
    """Where the event stands in the hash chain, as the timeline page shows it."""
    if link is None:
        return ["", "", "", ""]
    return [link.seq, link.event_hash, link.correlation_id, link.causation_id or ""]


@bp.get("/ratings")
@roles(*READERS)
def as_of() -> ResponseReturnValue:
    """Show a council's ratings in effect on a date, as the ledger showed them at a time."""
    names = sorted(council_names().items(), key=lambda item: item[1])
    form = AsOfForm(request.args, meta={"csrf": False})
    form.council.choices = [("", "Choose a council")] + names
    if not form.validate():
        date_errors_fixed(form)
        return _home(form, names), 400
    code = form.council.data
    known_at = recorded_by_then(form.known_at.data, clock_time(form.known_time.data))
    with read() as conn:
        found = next((r for r in ratings(conn, form.on.data, known_at) if r.council == code), None)
        history = rating_history(conn, code)
        began, ended = lifetime(conn, code)
    return render_template(
        "audit/ratings.html",
        began=began,
        ended=ended,
        existed=existed_on(form.on.data, ended, began),
        title=f"Ratings of {council_names()[code]}",
        code=code,
        on=form.on.data,
        known_at=known_at,
        recorded=last_recorded(history, found.inspection_id if found else "", known_at),
        rating=found,
        history=history,
        titles={k: f.titles() for k, f in FRAMEWORKS.items()},
    )


DISPUTE_COLUMNS = [
    "id",
    "council",
    "subject",
    "reference",
    "original_grade",
    "current_grade",
    "era",
    "stage",
    "status",
    "outcome",
    "lodged_on",
    "response_due",
]


@bp.get("/disputes")
@roles(*READERS)
def dispute_trail() -> str:
    """Show the audit trail of every disputed judgment."""
    with read() as conn:
        trail = disputes(conn, request.args.get("council") or None)
    return render_template("audit/disputes.html", title="Disputed judgments", disputes=trail)


@bp.get("/disputes.csv")
@roles(*READERS)
def disputes_csv() -> Response:
    """Export the disputed-judgments trail as CSV, one row per challenge with its steps."""
    with read() as conn:
        trail = disputes(conn, request.args.get("council") or None)
    rows = [
        [_plain(d[c]) for c in DISPUTE_COLUMNS] + [json.dumps(d["steps"], default=str)]
        for d in trail
    ]
    return csv_download("disputed-judgments.csv", [*DISPUTE_COLUMNS, "steps"], rows)


@bp.get("/verification")
@roles(*READERS)
def verification() -> str:
    """Re-read the whole log and its hash chain, and say whether it is intact."""
    result = verify(ledger().recorder)
    return render_template("audit/verification.html", title="Is the log intact?", result=result)
