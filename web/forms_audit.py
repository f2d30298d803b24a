"""The auditor's question: a council's ratings on a date, as recorded at a time."""

from __future__ import annotations

import re
from datetime import time
from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovTextInput
from wtforms import StringField
from wtforms.validators import ValidationError

from web.forms import date_field, select

CLOCK = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


def clock_time(value: str | None) -> time | None:
    """Return a 24-hour time written 14:05 (or 14.05); None for none or anything else."""
    found = CLOCK.match((value or "").strip())
    return time(int(found.group(1)), int(found.group(2))) if found else None


def _a_time(form: Any, field: StringField) -> None:
    if (field.data or "").strip() and clock_time(field.data) is None:
        raise ValidationError("Enter the recording time as a 24-hour time, like 14:05")
    if (field.data or "").strip() and not form.known_at.data:
        raise ValidationError("Enter the recording date the time belongs to")


class AsOfForm(FlaskForm):
    council = select("Council", "Choose a council")
    on = date_field(
        "Ratings in effect on",
        "Enter the date the ratings were in effect",
        "The date the ratings were in effect must be a real date",
        description="For example, 31 3 2021",
    )
    known_at = date_field(
        "As the ledger showed them on (optional)",
        None,
        "The recording date must be a real date",
        description="Leave blank for what the ledger shows now",
    )
    known_time = StringField(
        "At (UK time, optional)",
        validators=[_a_time],
        widget=GovTextInput(),
        description="A 24-hour time, like 14:05; leave blank for the end of that day",
    )
