"""Forms of concerns: raising one (anyone), and the inspectorate's triage steps."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from wtforms import StringField, SubmitField
from wtforms.validators import Optional

from domain import limits
from domain.concern import OUTCOMES, RELATIONSHIPS, RISKS
from web.forms import radios, select, text, textarea, within


class RaiseConcernForm(FlaskForm):
    council = select(
        "Which council's children's services is it about?",
        invalid="Choose a council from the list",
    )
    setting_urn = StringField(
        "If it is about a children's home, school or agency, its URN (optional)",
        validators=[Optional(), within(limits.SETTING_URN)],
        widget=GovTextInput(),
        description="Ofsted's unique reference number, for example SC999001",
    )
    relationship = radios(
        "How do you know about it?",
        list(RELATIONSHIPS.items()),
        "Choose how you know about the concern",
    )
    concern = textarea(
        "What is your concern?",
        "Enter your concern",
        limit=limits.CONCERN_TEXT,
        description="Say what happened, where and when. Do not include a child's full name.",
    )
    name = text("Your name (optional)", limit=limits.CONCERN_NAME)
    email = text(
        "Your email address (optional)",
        limit=limits.CONCERN_EMAIL,
        description="Leave your name and email empty to stay anonymous; we cannot reply then.",
    )
    submit = SubmitField("Send your concern", widget=GovSubmitInput())


class AssessForm(FlaskForm):
    risk = radios("What is the risk?", list(RISKS.items()), "Choose the risk")
    submit = SubmitField("Record the risk", widget=GovSubmitInput())


class LinkForm(FlaskForm):
    inspection_id = text(
        "Inspection it informs (leave empty to keep it as intelligence on the council's record)",
        limit=limits.CONCERN_INSPECTION,
    )
    submit = SubmitField("Link", widget=GovSubmitInput())


class CloseForm(FlaskForm):
    outcome = radios("What was the outcome?", list(OUTCOMES.items()), "Choose the outcome")
    submit = SubmitField("Close the concern", widget=GovSubmitInput())


class EraseForm(FlaskForm):
    reason = textarea("Why erase the personal data?", "Enter the reason", limit=limits.REASON)
    submit = SubmitField("Erase the personal data", widget=GovSubmitInput())
