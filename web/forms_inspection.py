"""Forms of the inspectorate's journey: schedule, findings, judgments, decisions."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import Optional, ValidationError

from domain import limits
from domain.actors import AGENCIES
from domain.challenge import OUTCOMES
from domain.errors import LedgerError
from domain.frameworks import FRAMEWORKS, Framework
from domain.grades import NOT_JUDGED
from domain.inspection_types import INSPECTION_TYPES
from web.forms import (
    GovSelectField,
    as_choices,
    checkbox,
    date_field,
    radios,
    select,
    text,
    textarea,
    within,
)
from web.widgets import CheckboxesInput

TYPE_CHOICES = [(t.key, t.label) for t in INSPECTION_TYPES.values()]
FRAMEWORK_CHOICES = [("", "Chosen from the type and start date (recommended)")] + [
    (f.key, f.title) for f in FRAMEWORKS.values()
]


class ChooseCouncilForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form that only chooses what to show

    council = select("Which council is to be inspected?", "Choose a council")


class ScheduleFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form that only chooses what to show

    region = select(
        "Region", choices=[("", "All regions")], default="", invalid="Choose a region from the list"
    )
    overdue = checkbox("Only councils with something overdue")


class ScheduleForm(FlaskForm):
    type = radios("Type of inspection", TYPE_CHOICES, "Choose the type of inspection")
    starts_on = date_field(
        "When does fieldwork start?",
        "Enter the date fieldwork starts",
        "The start date must be a real date",
        description="For example, 16 3 2026",
    )
    framework = select("Framework", choices=FRAMEWORK_CHOICES, default="")
    theme = text(
        "Theme (optional)",
        description="For focused visits and joint inspections",
        limit=limits.THEME,
    )
    partners = SelectMultipleField(
        "Other inspectorates taking part (optional)",
        choices=as_choices(AGENCIES.items()),
        validators=[Optional()],
        widget=CheckboxesInput(),
        description="The lead inspectorate and the framework's partners always take part",
    )
    reason = textarea(
        "Why this type?",
        description="Needed when the type is not the one the council's history calls for",
        limit=limits.SCHEDULING_REASON,
    )
    setting_urn = StringField(
        "Setting URN (regulated settings only)",
        validators=[Optional(), within(limits.SETTING_URN)],
        widget=GovTextInput(),
        description="For an SCCIF inspection: the setting's Ofsted URN, for example SC999001; "
        "it must be in this council's area",
    )
    reason_concern = select(
        "Is the visit brought forward by a concern? (optional)",
        choices=[("", "No")],
        default="",
        invalid="Choose a concern from the list: one kept as intelligence on this council",
        description="A concern your inspectorate kept as intelligence on this council's record",
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


class FindingForm(FlaskForm):
    agency = select("Agency recording this finding", "Choose the agency")
    summary = textarea(
        "Summary of the finding", "Enter a summary of the finding", limit=limits.SUMMARY
    )
    strengths = textarea("Strengths (optional)", description="One per line", limit=limits.STRENGTHS)
    areas_for_improvement = textarea(
        "Areas for improvement (optional)",
        description="One per line",
        limit=limits.AREAS_FOR_IMPROVEMENT,
    )
    recommendations = textarea(
        "Recommendations (optional)", description="One per line", limit=limits.RECOMMENDATIONS
    )
    priority_action = checkbox("This is an area for priority action (focused visits only)")
    submit = SubmitField("Continue", widget=GovSubmitInput())


def _reason_form(label: str, message: str) -> type[FlaskForm]:
    class ReasonForm(FlaskForm):
        reason = textarea(label, message, limit=limits.REASON)
        submit = SubmitField("Continue", widget=GovSubmitInput())

    return ReasonForm


CancelForm = _reason_form("Why is the inspection cancelled?", "Enter the reason for cancelling")
WithdrawForm = _reason_form("Why is the report withdrawn?", "Enter the reason for withdrawing")


def _grade_choices(chosen: Framework, area: str, empty: str) -> list[tuple[str, str]]:
    """The scale's grades, and 'Not judged' where the framework lets the area go ungraded."""
    unjudged = (
        [(NOT_JUDGED, f"{NOT_JUDGED} (nothing to judge)")] if chosen.may_go_unjudged(area) else []
    )
    return [("", empty)] + [(g, g) for g in chosen.scale.grades] + unjudged


class GradeField(GovSelectField):
    """A judgment area's grade: refused by the framework's own rule, which names the area."""

    def __init__(self, *args: Any, framework: Framework, area: str, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.framework, self.area = framework, area

    def pre_validate(self, form: Any) -> None:
        if self.data:
            try:
                self.framework.check_grade(self.area, self.data)
            except LedgerError as refusal:
                raise ValidationError(refusal.message) from None
        super().pre_validate(form)


def judgments_form(chosen: Framework, current: dict[str, str]) -> FlaskForm:
    """Return a form with a grade and recommendations for each of the framework's areas."""

    class JudgmentsForm(FlaskForm):
        submit = SubmitField("Continue", widget=GovSubmitInput())

        def validate(self, extra_validators: Any = None) -> bool:
            """Also refuse a form that grades nothing new."""
            valid = bool(super().validate(extra_validators))
            changed = [
                key
                for key in chosen.titles()
                if self[f"grade_{key}"].data
                and (
                    self[f"grade_{key}"].data != current.get(key)
                    or self[f"recommendations_{key}"].data
                )
            ]
            if valid and not changed:
                first = self[f"grade_{next(iter(chosen.titles()))}"]
                first.errors = ["Choose at least one grade that is new or changed"]
                return False
            return valid

    for key, title in chosen.titles().items():
        setattr(
            JudgmentsForm,
            f"grade_{key}",
            GradeField(
                title,
                choices=_grade_choices(chosen, key, "Not graded yet"),
                widget=GovSelect(),
                default=current.get(key, ""),
                framework=chosen,
                area=key,
            ),
        )
        setattr(
            JudgmentsForm,
            f"recommendations_{key}",
            TextAreaField(
                f"Recommendations: {title} (optional)",
                description="One per line",
                validators=[within(limits.RECOMMENDATIONS)],
                widget=GovTextArea(),
            ),
        )
    return JudgmentsForm()


def decide_form(chosen: Framework, current: dict[str, str]) -> FlaskForm:
    """Return a form for a moderator's decision, with a revision choice per judgment made."""

    class DecideForm(FlaskForm):
        outcome = radios(
            "What is the outcome?", [(o, o.capitalize()) for o in OUTCOMES], "Choose the outcome"
        )
        reasons = textarea(
            "Reasons for the decision", "Enter the reasons for the decision", limit=limits.REASONS
        )
        evidence = textarea(
            "Evidence considered (optional)", description="One item per line", limit=limits.EVIDENCE
        )
        withdraw_report = checkbox("Withdraw the report (upheld challenges only)")
        submit = SubmitField("Continue", widget=GovSubmitInput())

    titles = chosen.titles()
    for key, grade in current.items():
        choices = [("", f"Keep {grade}")] + [(g, g) for g in chosen.scale.grades if g != grade]
        setattr(
            DecideForm,
            f"revise_{key}",
            GovSelectField(
                f"Revise: {titles.get(key, key)}", choices=choices, widget=GovSelect(), default=""
            ),
        )
    return DecideForm()


def grade_fields(form: FlaskForm, prefix: str) -> list[Any]:
    """Return the form's per-area fields with this prefix, in the framework's order."""
    return [f for f in form if f.name.startswith(prefix)]


class AdjudicatorForm(FlaskForm):
    """What the independent adjudicator found about the handling of a challenge."""

    outcome = radios(
        "What did the adjudicator find?",
        [(o, o.capitalize()) for o in OUTCOMES],
        "Choose what the adjudicator found",
    )
    recommendation = textarea(
        "The adjudicator's recommendation",
        "Enter the adjudicator's recommendation",
        limit=limits.RECOMMENDATION,
    )
    adjudicator_name = text(
        "Adjudicator",
        description="Who made the finding; needed when the inspectorate keys it in",
        limit=limits.ADJUDICATOR_NAME,
    )
    evidence = textarea(
        "Evidence",
        description="One per line, such as the reference of the adjudicator's letter; "
        "needed when the inspectorate keys the finding in",
        limit=limits.EVIDENCE,
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())
