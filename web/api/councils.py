"""Councils: reference data, DfE interventions and the history of their ratings."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields
from sqlalchemy import select

from domain.errors import NotFound
from projections.councils import councils as rm_councils
from projections.publications import publications
from projections.queries import rating_history
from projections.ratings import published_grades
from web.api import schemas
from web.api.auth import actor
from web.api.cache import cached
from web.api.operations import answer, blueprint, ledger, read_models, reads, writes
from web.api.pagination import PageArgs, page, page_schema, window
from web.api.preconditions import expected_version
from web.api.representations import (
    CouncilOut,
    Date,
    InterventionOut,
    Moment,
    council_out,
    maybe,
    plain,
    texts,
)

bp = blueprint("councils", "Councils with children's services, current and former")
Str = fields.String


class CouncilRow(Schema):
    code, id, name, region, region_code = Str(), Str(), Str(), Str(), Str()
    council_type, dfe_code, ons_code_2024 = Str(), Str(), Str()
    abolished_on = maybe(Date)
    successors = texts()
    interventions = fields.List(fields.Nested(InterventionOut))


class GradeChange(Schema):
    inspection_id, framework, type, area, grade = Str(), Str(), Str(), Str(), Str()
    starts_on, effective_on = Date(), Date()
    recorded_at, recorded_by = Moment(), Str()
    previous_grade, challenge_id, reason = maybe(Str), maybe(Str), maybe(Str)
    withdrawn_on = maybe(Date)


def _council(code: str) -> Any:
    with read_models() as conn:
        row = conn.execute(select(rm_councils).where(rm_councils.c.code == code)).first()
    if row is None:
        raise NotFound(f"No council is registered with the code '{code}'")
    return row


@bp.route("/councils", methods=["GET"])
@reads(bp, page_schema(CouncilRow, "CouncilPage"), query=PageArgs, errors=(401,))
def list_councils(args: dict[str, Any]) -> Any:
    """List every registered council, current and former, by name."""
    with read_models() as conn:
        rows = conn.execute(select(rm_councils).order_by(rm_councils.c.name)).mappings().all()
    return page(rows, args, lambda r: plain(dict(r)))


@bp.route("/councils/<code>", methods=["GET"])
@reads(bp, CouncilOut, versioned=True, errors=(401, 404))
def get_council(code: str) -> Any:
    """Return a council and its DfE interventions; the ETag is its version."""
    council = ledger().council(code)
    return answer(council_out(council), council.version)


@bp.route("/councils/<code>/interventions", methods=["POST"])
@writes(bp, CouncilOut, schemas.RecordIntervention, status=201)
def record_intervention(body: dict[str, Any], code: str) -> Any:
    """Record a DfE intervention (an administrator or an Ofsted moderator)."""
    ledger().record_intervention(
        actor(), code, body["kind"], body["on"], body["details"], expected_version()
    )
    council = ledger().council(code)
    return answer(council_out(council), council.version, 201, f"/councils/{code}")


@bp.route("/councils/<code>/history", methods=["GET"])
@cached(lambda args: (rm_councils, publications, published_grades))
@reads(bp, page_schema(GradeChange, "GradeChangePage"), query=PageArgs, errors=(401, 404))
def history(args: dict[str, Any], code: str) -> Any:
    """List every grade the council has held: effective date, recording time, who and why."""
    _council(code)

    def fetch(offset: int, limit: int) -> list[dict[str, Any]]:
        with read_models() as conn:
            return rating_history(conn, code, offset, limit)

    return window(fetch, args, plain)
