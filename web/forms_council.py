"""Forms of the council's journey: comments, challenges, action plans."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import SubmitField

from domain import limits
from web.forms import checkbox, date_field, select, text, textarea


class CommentForm(FlaskForm):
    section = select(
        "Which part of the report is this about?", invalid="Choose a part of the report"
    )
    comment = textarea(
        "Your comment on the draft report",
        description="Say what is factually wrong and where",
        limit=limits.COMMENT,
    )
    complete = checkbox("These are all our comments: the inspectorate may issue the final report")
    submit = SubmitField("Continue", widget=GovSubmitInput())


class ChallengeForm(FlaskForm):
    target = select(
        "What are you challenging?", "Choose the judgment, finding or report you challenge"
    )
    grounds = textarea("Your grounds", "Enter the grounds for your challenge", limit=limits.GROUNDS)
    evidence = textarea(
        "Evidence (optional)", description="One document or source per line", limit=limits.EVIDENCE
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


class EscalateForm(FlaskForm):
    grounds = textarea(
        "Why are you taking this further?", "Enter the grounds for escalating", limit=limits.GROUNDS
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


class PlanForm(FlaskForm):
    summary = textarea(
        "Summary of your action plan", "Enter a summary of the plan", limit=limits.PLAN_SUMMARY
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


class ActionForm(FlaskForm):
    recommendation = select("Which recommendation does this answer?", "Choose a recommendation")
    area = text("Area of practice", "Enter the area of practice", limit=limits.ACTION_AREA)
    description = textarea(
        "What will be done?", "Enter what will be done", limit=limits.DESCRIPTION
    )
    owner = text("Who owns this action?", "Enter who owns this action", limit=limits.OWNER)
    due_on = date_field(
        "When is it due?",
        "Enter the date the action is due",
        "The due date must be a real date",
        description="For example, 31 3 2027",
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


class ProgressForm(FlaskForm):
    note = textarea("What progress has been made?", "Enter the progress made", limit=limits.NOTE)
    evidence = textarea(
        "Evidence (optional)", description="One item per line", limit=limits.EVIDENCE
    )
    complete = checkbox("This action is now complete")
    submit = SubmitField("Continue", widget=GovSubmitInput())
