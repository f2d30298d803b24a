"""Forms of the council's journey: comments, challenges, action plans."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import SubmitField

from web.forms import checkbox, date_field, select, text, textarea


class CommentForm(FlaskForm):
    comment = textarea(
        "Your comment on the draft report", description="Say what is factually wrong and where"
    )
    complete = checkbox("These are all our comments: the inspectorate may issue the final report")
    submit = SubmitField("Continue", widget=GovSubmitInput())


class ChallengeForm(FlaskForm):
    target = select(
        "What are you challenging?", "Choose the judgment, finding or report you challenge"
    )
    grounds = textarea("Your grounds", "Enter the grounds for your challenge")
    evidence = textarea("Evidence (optional)", description="One document or source per line")
    submit = SubmitField("Continue", widget=GovSubmitInput())


class EscalateForm(FlaskForm):
    grounds = textarea("Why are you taking this further?", "Enter the grounds for escalating")
    submit = SubmitField("Continue", widget=GovSubmitInput())


class PlanForm(FlaskForm):
    summary = textarea("Summary of your action plan", "Enter a summary of the plan")
    submit = SubmitField("Continue", widget=GovSubmitInput())


class ActionForm(FlaskForm):
    recommendation = select("Which recommendation does this answer?", "Choose a recommendation")
    area = text("Area of practice", "Enter the area of practice")
    description = textarea("What will be done?", "Enter what will be done")
    owner = text("Who owns this action?", "Enter who owns this action")
    due_on = date_field(
        "When is it due?",
        "Enter the date the action is due",
        "The due date must be a real date",
        description="For example, 31 3 2027",
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


class ProgressForm(FlaskForm):
    note = textarea("What progress has been made?", "Enter the progress made")
    evidence = textarea("Evidence (optional)", description="One item per line")
    complete = checkbox("This action is now complete")
    submit = SubmitField("Continue", widget=GovSubmitInput())
