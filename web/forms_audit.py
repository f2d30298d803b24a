"""The auditor's question: a council's ratings on a date, as recorded at a time."""

from __future__ import annotations

from flask_wtf import FlaskForm

from web.forms import date_field, select


class AsOfForm(FlaskForm):
    council = select("Council", "Choose a council")
    on = date_field(
        "Ratings in effect on",
        "Enter the date the ratings were in effect",
        "The date the ratings were in effect must be a real date",
        description="For example, 31 3 2021",
    )
    known_at = date_field(
        "As the ledger showed them at the end of (optional)",
        None,
        "The recording date must be a real date",
        description="Leave blank for what the ledger shows now",
    )
