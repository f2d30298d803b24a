"""Regulated settings: details, the rating that stands, history of published inspections."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from domain.errors import ConflictingChange
from domain.grades import FOUR_POINT
from domain.setting import SETTING_TYPES, SettingDetails
from projections.councils import councils as rm_councils
from projections.setting_queries import NOT_RATED, setting_history, setting_row, setting_rows
from projections.settings import settings
from web.api import schemas
from web.api.auth import actor
from web.api.cache import cached
from web.api.operations import answer, blueprint, ledger, read_models, reads, writes
from web.api.pagination import PageArgs, page, page_schema
from web.api.preconditions import expected_version
from web.api.representations import Date, maybe, plain

bp = blueprint("settings", "Regulated settings (children's homes, schools, agencies) and ratings")
Str, Int, Bool = fields.String, fields.Integer, fields.Boolean


class SettingArgs(PageArgs):
    type = Str(validate=validate.OneOf(list(SETTING_TYPES)))
    grade = Str(
        validate=validate.OneOf([*FOUR_POINT.grades, NOT_RATED]),
        metadata={"description": f"The grade that stands now, or '{NOT_RATED}'"},
    )
    council = Str(
        validate=validate.Length(max=20),
        metadata={"description": "Only those in this council's area or run by it (ONS code)"},
    )


class SettingRow(Schema):
    urn, name, type, council, council_name = Str(), maybe(Str), Str(), Str(), maybe(Str)
    provider_council, provider = Str(), Str()
    demonstration = Bool(metadata={"description": "Made up for the demonstration"})
    closed_on = maybe(Date)
    grade = maybe(Str)
    rated_by, rated_on = maybe(Str), maybe(Date)
    version = Int()


class SettingInspection(Schema):
    inspection_id, framework, type, status = Str(), Str(), Str(), Str()
    starts_on, published_on = Date(), maybe(Date)
    grade = maybe(Str)
    grades = fields.Dict(keys=Str(), values=Str())
    revised = fields.Dict(keys=Str(), values=Str(), metadata={"description": "area: challenge"})


class SettingOut(SettingRow):
    history = fields.List(
        fields.Nested(SettingInspection),
        metadata={"description": "Published inspections, newest first"},
    )


def _found(urn: str) -> dict[str, Any]:
    """Return the setting as recorded now (its version the ETag), with the rating and history
    the read model holds."""
    setting = ledger().setting(urn)
    with read_models() as conn:
        row = setting_row(conn, urn) or {}
        history = setting_history(conn, urn)
    recorded = {
        "urn": setting.urn,
        "name": setting.name,
        "type": setting.type,
        "council": setting.council,
        "provider_council": setting.provider_council,
        "provider": setting.provider,
        "demonstration": setting.demonstration,
        "closed_on": setting.closed_on,
        "version": setting.version,
    }
    rating = {k: row.get(k) for k in ("council_name", "grade", "rated_by", "rated_on")}
    return plain(recorded | rating | {"history": history})


@bp.route("/settings", methods=["GET"])
@cached(lambda args: (settings, rm_councils))  # council names come from rm_councils
@reads(bp, page_schema(SettingRow, "SettingPage"), query=SettingArgs, errors=(401,))
def list_settings(args: dict[str, Any]) -> Any:
    """List the settings by name, filtered by type, current grade and council."""
    chosen = {k: args.get(k) for k in ("type", "grade", "council")}
    with read_models() as conn:
        rows = setting_rows(conn, **chosen)
    return page(rows, args, plain)


@bp.route("/settings/<urn>", methods=["GET"])
@reads(bp, SettingOut, versioned=True, errors=(401, 404))
def get_setting(urn: str) -> Any:
    """Return a setting, the rating that stands and its published inspections."""
    found = _found(urn)
    return answer(found, found["version"])


@bp.route("/settings", methods=["POST"])
@writes(bp, SettingOut, schemas.RegisterSetting, status=201, if_match=False)
def register_setting(body: dict[str, Any]) -> Any:
    """Register a setting from Ofsted's register (an administrator)."""
    urn = body.pop("urn")
    _, created = ledger().register_setting(actor(), urn, SettingDetails(**body))
    if not created:
        raise ConflictingChange(f"A setting is already registered with the URN '{urn}'")
    found = _found(urn)
    return answer(found, found["version"], 201, f"/settings/{urn}")


@bp.route("/settings/<urn>/details", methods=["POST"])
@writes(bp, SettingOut, schemas.ChangeSetting)
def change_setting(body: dict[str, Any], urn: str) -> Any:
    """Record a setting's new name, type, area or provider (an administrator)."""
    ledger().change_setting(actor(), urn, SettingDetails(**body), expected_version())
    found = _found(urn)
    return answer(found, found["version"])
