"""Questions of the read models: ratings (as of a date), statistics, schedule, disputes."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields
from sqlalchemy import Table, select
from werkzeug.datastructures import MultiDict

from domain import permissions as can
from domain.actors import Role
from domain.errors import PermissionDenied
from projections.councils import councils
from projections.grade_intervals import grade_intervals
from projections.inspections import inspections as rm_inspections
from projections.publications import publications
from projections.queries import ratings as rating_rows
from projections.ratings import current_ratings
from projections.schedule import filtered
from projections.schedule import schedule as schedule_rows
from projections.statistics import national_statistics
from projections.worklists import adjudicator_work, council_work, inspectorate_work
from projections.worklists import disputes as dispute_rows
from web.api.auth import actor
from web.api.cache import cached
from web.api.operations import blueprint, ledger, read_models, reads
from web.api.pagination import PageArgs, page, page_schema
from web.api.representations import Date, maybe, plain

bp = blueprint("reports", "Ratings, statistics, the schedule and the disputes' audit trail")
Str, Int, Bool = fields.String, fields.Integer, fields.Boolean


def counts() -> fields.Dict:
    return fields.Dict(keys=Str(), values=Int())


def tables() -> fields.Dict:
    return fields.Dict(keys=Str(), values=counts())


class RatingArgs(PageArgs):
    as_of = fields.Date(metadata={"description": "Ratings in effect on this day"})
    known_at = fields.AwareDateTime(
        metadata={"description": "As the ledger showed them at this recording time"}
    )
    region, council_type, grade, framework = Str(), Str(), Str(), Str()


class RatingOut(Schema):
    council, name, region, council_type = Str(), Str(), Str(), Str()
    framework, inspection_type, inspection_id = Str(), Str(), Str()
    starts_on, published_on = Date(), Date()
    grades = fields.Dict(keys=Str(), values=Str())
    revised_by = fields.Dict(keys=Str(), values=Str())
    overall, headline = maybe(Str), maybe(Str)


class StatisticsArgs(Schema):
    as_of = fields.Date(metadata={"description": "Statistics as of this day (default: today)"})


class StatisticsOut(Schema):
    as_of, councils, councils_rated = Date(), Int(), Int()
    headline, overall, movements = counts(), counts(), counts()
    share_inadequate = fields.Float()
    by_area, by_region, by_council_type, by_framework = tables(), tables(), tables(), tables()


class ScheduleArgs(PageArgs):
    overdue = fields.Boolean(metadata={"description": "Only councils with something overdue"})


class Upcoming(Schema):
    id, type, status, starts_on = Str(), Str(), Str(), Date()


class MonitoringVisit(Schema):
    due_on, held, overdue = Date(), Bool(), Bool()
    held_on = maybe(Date)  # the day a visit was actually held; the cycle runs on from it


class ScheduleOut(Schema):
    council, name, region, next_type = Str(), Str(), Str(), Str()
    last_published_on, last_grade = maybe(Date), maybe(Str)
    due_from, due_by, last_focused_visit = maybe(Date), maybe(Date), maybe(Date)
    graded_overdue, overdue = Bool(), Bool()
    upcoming = fields.List(fields.Nested(Upcoming))
    monitoring_visits = fields.List(fields.Nested(MonitoringVisit))


class DisputeArgs(PageArgs):
    council = Str(metadata={"description": "Only this council's challenges (ONS code)"})


class DisputeOut(Schema):
    id, inspection_id, council, subject, reference = Str(), Str(), Str(), Str(), Str()
    original_grade, current_grade, outcome = maybe(Str), maybe(Str), maybe(Str)
    era, stage, status = Str(), Str(), Str()
    lodged_on, response_due = Date(), Date()
    steps = fields.List(fields.Dict())


def rating_tables(args: MultiDict[str, str]) -> tuple[Table, ...]:
    """Name the tables ratings are read from: the current ones, or the grades' intervals."""
    if "as_of" in args or "known_at" in args:
        return councils, publications, grade_intervals
    return councils, current_ratings


@bp.route("/ratings", methods=["GET"])
@cached(rating_tables)
@reads(bp, page_schema(RatingOut, "RatingPage"), query=RatingArgs, errors=(401,))
def ratings(args: dict[str, Any]) -> Any:
    """List councils' ratings now, in effect on `as_of`, as recorded at `known_at`."""
    filters = {k: args.get(k) for k in ("region", "council_type", "grade", "framework")}
    with read_models() as conn:
        rows = rating_rows(
            conn, args.get("as_of"), args.get("known_at"), **filters, policy=ledger().policy
        )
    return page(rows, args, lambda r: plain(r.as_dict()))


@bp.route("/statistics", methods=["GET"])
@reads(bp, StatisticsOut, query=StatisticsArgs, errors=(401,))
def statistics(args: dict[str, Any]) -> Any:
    """Return national figures: councils by grade, area, region, type, framework; movements."""
    with read_models() as conn:
        as_of = args.get("as_of") or ledger().today()
        return plain(national_statistics(conn, as_of, ledger().policy))


@bp.route("/schedule", methods=["GET"])
@reads(bp, page_schema(ScheduleOut, "SchedulePage"), query=ScheduleArgs, errors=(401,))
def schedule(args: dict[str, Any]) -> Any:
    """List each council's next graded inspection and visits (officers: their own council)."""
    with read_models() as conn:
        rows = schedule_rows(conn, ledger().today(), ledger().policy)
    who = actor()
    if who.role == Role.COUNCIL_OFFICER:
        rows = [r for r in rows if r["council"] == who.organisation]
    return page(filtered(rows, overdue_only=bool(args.get("overdue"))), args, plain)


@bp.route("/disputes", methods=["GET"])
@reads(bp, page_schema(DisputeOut, "DisputePage"), query=DisputeArgs, errors=(401,))
def disputes(args: dict[str, Any]) -> Any:
    """List the audit trail of every disputed judgment the caller may see."""
    with read_models() as conn:
        rows = dispute_rows(conn, args.get("council"))
        agencies = dict(conn.execute(select(rm_inspections.c.id, rm_inspections.c.agencies)).all())
    who = actor()
    visible = [
        plain(r)
        for r in rows
        if can.may_read_inspection(who, r["council"], agencies.get(r["inspection_id"], []), False)
    ]
    return page(visible, args)


class WorklistOut(Schema):
    organisation = Str()
    inspections, challenges = fields.List(fields.Dict()), fields.List(fields.Dict())
    concerns = fields.List(
        fields.Dict(), metadata={"description": "Open concerns it triages (no personal data)"}
    )
    drafts, action_plans, actions = (
        fields.List(fields.Dict()),
        fields.List(fields.Dict()),
        fields.List(fields.Dict()),
    )


@bp.route("/worklist", methods=["GET"])
@reads(bp, WorklistOut, errors=(401, 403))
def worklist() -> Any:
    """Return what the caller's organisation has waiting: inspectorate, council or adjudicator."""
    who, today = actor(), ledger().today()
    with read_models() as conn:
        if who.is_inspectorate:
            work = inspectorate_work(conn, who.organisation, today)
        elif who.role == Role.COUNCIL_OFFICER:
            work = council_work(conn, who.organisation, today)
        elif who.role == Role.ADJUDICATOR:
            work = adjudicator_work(conn)
        else:
            raise PermissionDenied(
                "Work lists belong to inspectorates, councils and the adjudicator"
            )
    return plain(work | {"organisation": who.organisation})
