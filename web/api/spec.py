"""What the OpenAPI document says beyond the views: problem details, auth, conventions."""

from __future__ import annotations

from apispec import APISpec
from marshmallow import Schema, fields

DESCRIPTION = """\
JSON API over the Inspection Ledger's commands and read models.

* **Authentication**: `Authorization: Bearer <token>`; tokens are issued per user and
  organisation with `ledger tokens create USERNAME`. Session cookies are ignored.
* **Errors** are RFC 9457 problem details (`application/problem+json`); a refusal by a domain
  or framework rule names it in `rule`, and bad fields are listed in `errors`. A method a path
  does not support answers 405 with `Allow`.
* **Concurrency**: a record's `ETag` is its version; every change needs `If-Match` (428
  without it, 412 when stale, and nothing is written).
* **Retries**: every POST needs an `Idempotency-Key`; the same key and body return the first
  response (`Idempotent-Replayed: true`) without writing again; the same key with another body
  is refused (422).
* **Throttling**: unknown or revoked tokens are counted per client address; past the limit
  every request answers 429 with `Retry-After` (seconds) until the window ends.
* **Accounts** (administrators only): every change names a `reason` and is recorded in the
  log; a `temporary_password` is in the answer that made it, never in a replay.
* **Pagination**: lists return `{"items": [...], "next": cursor}` and a `Link: rel="next"`
  header; pass `cursor` back to read the next page.
"""


class FieldError(Schema):
    field = fields.String(required=True)
    message = fields.String(required=True)


class ProblemSchema(Schema):
    """RFC 9457 problem details."""

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    instance = fields.String()
    rule = fields.String(metadata={"description": "The rule the request broke"})
    errors = fields.List(fields.Nested(FieldError))


def describe(spec: APISpec) -> None:
    """Add the token scheme, applied to every operation, and the conventions."""
    spec.components.security_scheme(
        "token", {"type": "http", "scheme": "bearer", "description": "An API token"}
    )
    spec.options["security"] = [{"token": []}]
    spec.options.setdefault("info", {})["description"] = DESCRIPTION
