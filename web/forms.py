"""Forms: each parses one user action; fields use GOV.UK Frontend widgets (govuk-frontend-wtf)."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovPasswordInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    DateField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Optional, ValidationError

from domain import limits
from web.widgets import DateInput, RadioInput


class Required(DataRequired):
    """Refuse an empty answer on the server, without the browser's own `required` check."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message)
        self.field_flags: dict[str, Any] = {}


def required(message: str) -> Required:
    return Required(message=message)


def within(limit: limits.TextLimit | limits.ListLimit) -> Any:
    """Check a field against the domain's limits (a list limit reads one item per line)."""

    def check(form: FlaskForm, field: Any) -> None:
        value = field.data or ""
        if isinstance(limit, limits.ListLimit):
            value = lines(value)
        message = limit.problem(value)
        if message:
            raise ValidationError(message)

    return check


def text(
    label: str, message: str | None = None, *, limit: limits.TextLimit, **kwargs: Any
) -> StringField:
    checks = [required(message)] if message else []
    return StringField(label, validators=[*checks, within(limit)], widget=GovTextInput(), **kwargs)


def textarea(
    label: str,
    message: str | None = None,
    *,
    limit: limits.TextLimit | limits.ListLimit,
    **kwargs: Any,
) -> TextAreaField:
    checks = [required(message)] if message else []
    return TextAreaField(label, validators=[*checks, within(limit)], widget=GovTextArea(), **kwargs)


def radios(label: str, choices: list[tuple[str, str]], message: str, **kw: Any) -> RadioField:
    return GovRadioField(
        label, choices=choices, validators=[required(message)], widget=RadioInput(), **kw
    )


def as_choices(pairs: Any) -> Any:
    """Hold (value, label) pairs as WTForms' SelectChoice (3.3 deprecates plain tuples)."""
    if pairs is None or callable(pairs):
        return pairs
    return [p if isinstance(p, SelectChoice) else SelectChoice(*p) for p in pairs]


def _set_choices(field: Any, pairs: Any) -> None:
    SelectField.choices.fset(field, as_choices(pairs))  # type: ignore[attr-defined]


class GovRadioField(RadioField):
    """Radios whose choices may be given as (value, label) pairs."""

    choices = property(SelectField.choices.fget, _set_choices)  # type: ignore[attr-defined]

    def __init__(self, *args: Any, choices: Any = None, **kw: Any) -> None:
        super().__init__(*args, choices=as_choices(choices), **kw)


class GovSelectField(SelectField):
    """A select whose refusal of a value not in its list says what to do."""

    choices = property(SelectField.choices.fget, _set_choices)  # type: ignore[attr-defined]

    def __init__(
        self,
        *args: Any,
        choices: Any = None,
        invalid: str = "Choose one of the options",
        **kw: Any,
    ) -> None:
        super().__init__(*args, choices=as_choices(choices), **kw)
        self.invalid = invalid

    def pre_validate(self, form: Any) -> None:
        try:
            super().pre_validate(form)
        except ValidationError:
            raise ValidationError(self.invalid) from None


def select(label: str, message: str | None = None, **kwargs: Any) -> SelectField:
    checks = [required(message)] if message else []
    return GovSelectField(label, validators=checks, widget=GovSelect(), **kwargs)


def checkbox(label: str, **kwargs: Any) -> BooleanField:
    return BooleanField(label, widget=GovCheckboxInput(), **kwargs)


class GovDateField(DateField):
    """A day, month and year in three boxes, as the GOV.UK date input pattern asks."""

    def __init__(self, label: str, message: str | None, invalid: str, **kwargs: Any) -> None:
        checks = [required(message)] if message else [Optional()]
        super().__init__(label, format="%d %m %Y", validators=checks, widget=DateInput(), **kwargs)
        self.invalid = invalid

    def process_formdata(self, valuelist: list[str]) -> None:
        # A post missing some of the three boxes is treated as left blank, not as a crash.
        if self.raw_data is not None:
            self.raw_data = (list(valuelist) + ["", "", ""])[:3]
        if any(part.strip() for part in self.raw_data or []):
            super().process_formdata(self.raw_data or [])
        else:
            self.data = None


def date_field(label: str, message: str | None, invalid: str, **kwargs: Any) -> GovDateField:
    return GovDateField(label, message, invalid, **kwargs)


def lines(value: str | None) -> list[str]:
    """Split a text area into its non-empty lines."""
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


class ConfirmForm(FlaskForm):
    """A button that confirms an action: the page above it is the check-your-answers."""

    submit = SubmitField("Confirm", widget=GovSubmitInput())


class SignInForm(FlaskForm):
    username = text("Username", "Enter your username", limit=limits.USERNAME)
    password = PasswordField(
        "Password", validators=[required("Enter your password")], widget=GovPasswordInput()
    )
    submit = SubmitField("Sign in", widget=GovSubmitInput())


def date_errors_fixed(form: FlaskForm) -> None:
    """Give a date field one GOV.UK message: what to enter, or that the date must be real."""
    for field in form:
        if isinstance(field, GovDateField) and field.errors:
            blank = not any(part.strip() for part in field.raw_data or [])
            field.errors = [field.errors[-1] if blank else field.invalid]


def not_blank(message: str) -> Any:
    def check(form: FlaskForm, field: Any) -> None:
        if not (field.data or "").strip():
            raise ValidationError(message)

    return check
