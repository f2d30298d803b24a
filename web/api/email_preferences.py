"""Each person's own choice of the optional emails they receive (any member of staff).

Statutory messages (projections/messages.py: every kind not listed optional) are always sent
and cannot be turned off; asking to is refused, naming the field. Every change is an
EmailsChosen event on the person's Account; delivery reads the choice when a message is due.
"""

from __future__ import annotations

from typing import Any, cast

from flask import current_app
from marshmallow import Schema, fields, validate

from adapters.account_admin import AccountAdmin
from projections import messages
from web.api.auth import actor
from web.api.operations import blueprint, reads, writes

bp = blueprint("email-preferences", "Your own email preferences (any member of staff)")
Kinds = fields.List
KIND = fields.String(validate=validate.Length(min=1, max=60))


class ChooseEmails(Schema):
    emails_off = Kinds(
        KIND,
        required=True,
        validate=validate.Length(max=50),
        metadata={"description": "The optional kinds of email to turn off; the rest are sent"},
    )


class EmailPreferences(Schema):
    emails_off = Kinds(fields.String(), metadata={"description": "Optional kinds turned off"})
    optional = Kinds(fields.String(), metadata={"description": "Kinds that may be turned off"})
    statutory = Kinds(fields.String(), metadata={"description": "Kinds always sent"})


def admin() -> AccountAdmin:
    return cast(AccountAdmin, current_app.extensions["account_admin"])


def shown(off: frozenset[str]) -> dict[str, Any]:
    return {
        "emails_off": [kind for kind in messages.optional_kinds() if kind in off],
        "optional": messages.optional_kinds(),
        "statutory": messages.statutory_kinds(),
    }


@bp.route("/accounts/me/notification-preferences", methods=["GET"])
@reads(bp, EmailPreferences)
def get_preferences() -> Any:
    """Return which optional emails you turned off, and which are always sent."""
    account = admin().identity.get(actor().user)
    return shown(account.emails_off if account else frozenset())


@bp.route("/accounts/me/notification-preferences", methods=["PUT"])
@writes(bp, EmailPreferences, ChooseEmails, if_match=False)
def put_preferences(body: dict[str, Any]) -> Any:
    """Turn off these optional emails (and every other optional one back on)."""
    return shown(admin().choose_emails(actor(), body["emails_off"]))
