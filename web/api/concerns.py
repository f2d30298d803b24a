"""Concerns and whistleblowing: anyone raises one (no token); the inspectorate triages it.

A concern is seen only by inspectors and moderators of the inspectorate that triages it; to
anyone else it is absent (404). Its answers are never cached (Cache-Control: no-store): they
carry the person's name, email and words, opened for this reader only.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from marshmallow import Schema, fields

from domain import permissions as can
from domain.commands.concerns import OpenedConcern, RaisedConcern
from domain.concern import reference_of
from domain.errors import NotFound
from web.api import schemas
from web.api.auth import actor
from web.api.operations import answer, blueprint, ledger, reads, writes
from web.api.preconditions import expected_version
from web.api.representations import Date, maybe, plain

bp = blueprint(
    "concerns",
    "Concerns and whistleblowing about children's services (raised without a token)",
    public=("raise_concern",),
)


@bp.errorhandler(429)
def throttled(error: Exception) -> Any:
    """Answer a spent limit with Retry-After, as sign-in's throttling does."""
    from web.throttling import too_many  # it imports the API's problems: not at import time

    return too_many(error)  # type: ignore[arg-type]


Str, Int, Bool = fields.String, fields.Integer, fields.Boolean
NO_STORE = {"Cache-Control": "no-store"}


class ConcernRaised(Schema):
    id = Str(metadata={"description": "The concern's id"})
    reference = Str(metadata={"description": "The reference to quote when getting in touch"})


class ConcernOut(Schema):
    id, reference, council, setting_urn, relationship = Str(), Str(), Str(), Str(), Str()
    whistleblowing, anonymous, erased = Bool(), Bool(), Bool()
    name, email, concern = Str(), Str(), Str()
    raised_on, acknowledge_by = Date(), Date()
    acknowledged_on, closed_on, erased_on = maybe(Date), maybe(Date), maybe(Date)
    risk, inspection_id, outcome = Str(), Str(), Str()
    intelligence = Bool(metadata={"description": "Kept on the council's record as intelligence"})
    brought_forward = Bool(metadata={"description": "inspection_id's visit was scheduled on it"})
    version = Int()


def representation(opened: OpenedConcern) -> dict[str, Any]:
    """Return the concern as its allowed reader sees it (personal data opened, or 'erased')."""
    c = opened.concern
    return plain(
        {
            "id": c.id,
            "reference": reference_of(c.id),
            "council": c.council,
            "setting_urn": c.setting_urn,
            "relationship": c.relationship,
            "whistleblowing": c.whistleblowing,
            "anonymous": c.anonymous,
            "erased": opened.erased,
            "name": opened.name,
            "email": opened.email,
            "concern": opened.text,
            "raised_on": c.raised_on,
            "acknowledge_by": c.acknowledge_by,
            "acknowledged_on": c.acknowledged_on,
            "risk": c.risk,
            "inspection_id": c.linked_inspection,
            "intelligence": c.intelligence,
            "brought_forward": c.brought_forward,
            "closed_on": c.closed_on,
            "outcome": c.outcome,
            "erased_on": c.erased_on,
            "version": c.version,
        }
    )


def _answer(id: UUID) -> Any:
    found = representation(ledger().concern(actor(), id))
    body, status, headers = answer(found, found["version"])
    return body, status, headers | NO_STORE


@bp.route("/concerns", methods=["POST"])
@bp.arguments(schemas.RaiseConcern)
@bp.response(201, ConcernRaised)
@bp.alt_response(400, response="BAD_REQUEST")
@bp.alt_response(413, response="REQUEST_ENTITY_TOO_LARGE")
@bp.alt_response(422, response="UNPROCESSABLE_ENTITY")
@bp.alt_response(429, response="TOO_MANY_REQUESTS")
@bp.doc(security=[])
def raise_concern(body: dict[str, Any]) -> Any:
    """Raise a concern about a council's children's services or a setting (no token;
    throttled per address). Leave name and email empty to stay anonymous."""
    concern_id = ledger().raise_concern(RaisedConcern(**body))
    return {"id": str(concern_id), "reference": reference_of(concern_id)}, 201, NO_STORE


@bp.route("/concerns/<uuid:concern_id>", methods=["GET"])
@reads(bp, ConcernOut, versioned=True)
def get_concern(concern_id: UUID) -> Any:
    """Return a concern with its personal data (the triaging inspectorate only)."""
    return _answer(concern_id)


@bp.route("/concerns/<uuid:concern_id>/acknowledge", methods=["POST"])
@writes(bp, ConcernOut)
def acknowledge_concern(concern_id: UUID) -> Any:
    """Record that the inspectorate acknowledged the concern today."""
    ledger().acknowledge_concern(actor(), concern_id, expected_version())
    return _answer(concern_id)


@bp.route("/concerns/<uuid:concern_id>/assess", methods=["POST"])
@writes(bp, ConcernOut, schemas.AssessConcern)
def assess_concern(body: dict[str, Any], concern_id: UUID) -> Any:
    """Record the risk the concern shows: low, medium or high."""
    ledger().assess_concern(actor(), concern_id, body["risk"], expected_version())
    return _answer(concern_id)


@bp.route("/concerns/<uuid:concern_id>/link", methods=["POST"])
@writes(bp, ConcernOut, schemas.LinkConcern)
def link_concern(body: dict[str, Any], concern_id: UUID) -> Any:
    """Link the concern to an inspection of its council, or (none named) keep it on the
    council's record as intelligence for the schedule."""
    ledger().link_concern(actor(), concern_id, body["inspection_id"], expected_version())
    return _answer(concern_id)


@bp.route("/concerns/<uuid:concern_id>/close", methods=["POST"])
@writes(bp, ConcernOut, schemas.CloseConcern)
def close_concern(body: dict[str, Any], concern_id: UUID) -> Any:
    """Close the concern with its outcome."""
    ledger().close_concern(actor(), concern_id, body["outcome"], expected_version())
    return _answer(concern_id)


@bp.route("/concerns/<uuid:concern_id>/erasure", methods=["POST"])
@writes(bp, ConcernOut, schemas.Reason)
def erase_concern(body: dict[str, Any], concern_id: UUID) -> Any:
    """Erase the concern's personal data (a moderator of the triaging inspectorate): its
    person's data key is destroyed, as `ledger concerns erase` does, and the erasure recorded."""
    who, commands = actor(), ledger()
    if not can.may_read_concern(who, commands.policy.concerns_inspectorate):
        raise NotFound(f"Nothing is recorded with id {concern_id}")  # not an administrator
    commands.erase_concern(who, concern_id, body["reason"], expected_version())
    return _answer(concern_id)
