"""Forms of signing in further (a code, a new password) and of administering accounts."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import PasswordField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import Optional, ValidationError

from domain import limits
from domain.actors import Role
from domain.passwords import password_problem
from projections import messages
from web.forms import as_choices, radios, required, text, textarea, within
from web.widgets import CheckboxesInput

ROLE_CHOICES = [
    (Role.INSPECTOR.value, "Inspector"),
    (Role.MODERATOR.value, "Moderator"),
    (Role.COUNCIL_OFFICER.value, "Council officer"),
    (Role.AUDITOR.value, "Auditor"),
    (Role.ADMINISTRATOR.value, "Administrator"),
]
ORGANISATION_HINT = (
    "An inspectorate (OFSTED, CQC, HMICFRS, HMIP, HMIPRISONS), a council's ONS code "
    "(for example E09000002), AUDIT for auditors or LEDGER for administrators"
)


def good_password(username: Any) -> Any:
    """Check a new password as the domain does: 12 characters or more, not a common one."""

    def check(form: FlaskForm, field: Any) -> None:
        common = current_app.extensions["account_admin"].common
        message = password_problem(field.data or "", username(form), common)
        if message:
            raise ValidationError(message)

    return check


def same_as(other: str) -> Any:
    def check(form: FlaskForm, field: Any) -> None:
        if field.data != form[other].data:
            raise ValidationError("The passwords do not match: enter the same password twice")

    return check


def password_field(label: str, message: str, *checks: Any, **kwargs: Any) -> PasswordField:
    return PasswordField(
        label, validators=[required(message), *checks], widget=GovPasswordInput(), **kwargs
    )


def code_field(message: str, hint: str) -> StringField:
    return StringField(
        "Code from your authenticator app",
        validators=[required(message), within(limits.TWO_FACTOR_CODE)],
        widget=GovTextInput(),
        description=hint,
    )


class CodeForm(FlaskForm):
    code = code_field(
        "Enter the code from your authenticator app",
        "The 6-digit code, or one of your recovery codes",
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


class EnrolForm(FlaskForm):
    code = code_field(
        "Enter the 6-digit code from your authenticator app",
        "After adding the account, your app shows a 6-digit code",
    )
    submit = SubmitField("Confirm", widget=GovSubmitInput())


class NewPasswordForm(FlaskForm):
    """A new password, twice (a temporary one is being replaced)."""

    password = password_field(
        "New password",
        "Enter a new password",
        good_password(lambda form: form.username),
        description="At least 12 characters. A few unrelated words make a good one.",
    )
    confirm = password_field(
        "Confirm new password", "Enter the new password again", same_as("password")
    )
    submit = SubmitField("Change password", widget=GovSubmitInput())

    username = ""


class ChangePasswordForm(NewPasswordForm):
    current = password_field("Current password", "Enter your current password")


class NewAccountForm(FlaskForm):
    username = text(
        "Username",
        "Enter a username",
        limit=limits.USERNAME,
        description="For example, jo.smith: it cannot be changed later",
    )
    display_name = text("Full name", "Enter the person's full name", limit=limits.DISPLAY_NAME)
    email = text("Email address", "Enter an email address", limit=limits.EMAIL)
    role = radios("Role", ROLE_CHOICES, "Choose a role")
    organisation = text(
        "Organisation",
        "Enter the organisation",
        limit=limits.ORGANISATION,
        description=ORGANISATION_HINT,
    )
    reason = textarea(
        "Why is this account needed?", "Enter the reason", limit=limits.ACCOUNT_REASON
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


class RoleForm(FlaskForm):
    role = radios("Role", ROLE_CHOICES, "Choose a role")
    organisation = text(
        "Organisation",
        "Enter the organisation",
        limit=limits.ORGANISATION,
        description=ORGANISATION_HINT,
    )
    reason = textarea("Why is it changing?", "Enter the reason", limit=limits.ACCOUNT_REASON)
    submit = SubmitField("Continue", widget=GovSubmitInput())


class ReasonForm(FlaskForm):
    reason = textarea("Reason", "Enter the reason", limit=limits.ACCOUNT_REASON)
    submit = SubmitField("Confirm", widget=GovSubmitInput())


EMAIL_NAMES = {  # what each kind of email tells, as the preferences page lists it
    "notice": "Notice that an inspection is coming",
    "draft_issued": "A draft report issued for a factual accuracy check, with its deadline",
    "final_issued": "A final report issued, with the deadline to challenge it",
    "challenge_closed": "A challenge window closed with no challenge lodged",
    "challenge_lodged": "A challenge lodged by a council, with the deadline to respond",
    "challenge_decided": "A decision on a challenge",
    "comments_received": "A council's factual accuracy comments on a draft report",
    "comments_complete": "A council saying its factual accuracy comments are complete",
    "challenge_escalated": "A challenge escalated, with the deadline to respond",
    "findings_awaited": "A joint inspection's fieldwork begun, needing your inspectorate's "
    "findings",
    "plan_submitted": "An action plan submitted",
    "plan_missed": "An action plan not submitted by its deadline",
    "action_missed": "An action not complete by its deadline",
    "draft_reminder": "Reminders two working days before factual accuracy comments are due",
    "challenge_reminder": "Reminders two working days before the challenge window ends",
    "plan_reminder": "Reminders two working days before an action plan is due",
    "action_reminder": "Reminders two working days before an action is due",
    "findings_still_awaited": "A joint inspection's fieldwork finished while the joint letter "
    "still awaits your inspectorate's findings",
    "published": "A report published",
}


def email_name(kind: str) -> str:
    """Say what a kind of email tells (its kind, for one not named here yet)."""
    return EMAIL_NAMES.get(kind, kind.replace("_", " ").capitalize())


class EmailPreferencesForm(FlaskForm):
    """Which optional emails to get: ticked ones are sent, the rest are turned off."""

    receive = SelectMultipleField(
        "Which other emails do you want to get?",
        validators=[Optional()],
        widget=CheckboxesInput(),
        description="Untick an email to stop getting it. You can turn it back on at any time.",
    )
    submit = SubmitField("Save your choices", widget=GovSubmitInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.receive.choices = as_choices((k, email_name(k)) for k in messages.optional_kinds())
