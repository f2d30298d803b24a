"""What every page shares: the ledger, read models, labels, and the form-to-command flow."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time
from typing import Any, cast
from zoneinfo import ZoneInfo

from flask import current_app, flash, g, redirect, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from sqlalchemy.engine import Connection

from adapters.persistence import single_statements
from domain.errors import LedgerError, PermissionDenied
from domain.frameworks import FRAMEWORKS
from domain.inspection_types import INSPECTION_TYPES
from domain.services import Ledger
from projections.messages import govuk_date
from projections.queries import every_council_row
from web.bootstrap import Services
from web.forms import date_errors_fixed
from web.pages.checked_answers import answers_back, answers_kept, check_page, drop_answers, posted

GRADE_TAGS = {
    "Outstanding": "govuk-tag--green",
    "Good": "govuk-tag--teal",
    "Requires improvement to be good": "govuk-tag--yellow",
    "Adequate": "govuk-tag--yellow",
    "Inadequate": "govuk-tag--red",
}


def services() -> Services:
    return cast(Services, current_app.extensions["ledger_services"])


def ledger() -> Ledger:
    return services().ledger


@contextmanager
def read() -> Iterator[Connection]:
    """Open a connection on the read models."""
    with single_statements(services().read_models.engine) as conn:
        yield conn


def council_names() -> dict[str, str]:
    """Return every council's name by code (current and former), once per request."""
    if "council_names" not in g:
        with read() as conn:
            g.council_names = {c: r["name"] for c, r in every_council_row(conn).items()}
    return cast(dict[str, str], g.council_names)


def type_label(key: str) -> str:
    found = INSPECTION_TYPES.get(key)
    return found.label if found else key


def framework_title(key: str) -> str:
    found = FRAMEWORKS.get(key)
    return found.title if found else key


def day(value: date | datetime | str | None) -> str:
    """Format a date as GOV.UK does: 2 March 2026."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return govuk_date(value)


UK_TIME = ZoneInfo("Europe/London")


def moment(value: datetime | None) -> str:
    """Say a recorded time in UK time (GMT or BST), as the people reading it live by."""
    if value is None:
        return ""
    local = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UK_TIME)
    return f"{day(local)} at {local:%H:%M:%S} {local:%Z}"


def recorded_by_then(on: date | None, at: time | None) -> datetime | None:
    """Return the recording moment a reader asked for (a UK day, and a UK time or the end of
    the day) as the log's UTC time; None for now."""
    if on is None:
        return None
    local = datetime.combine(on, at or time.max, tzinfo=UK_TIME)
    return local.astimezone(UTC).replace(tzinfo=None)


def last_recorded(
    history: list[dict[str, Any]], inspection_id: str, known_at: datetime | None = None
) -> datetime | None:
    """Return when the grades of an inspection were last recorded (by known_at, if given)."""
    times = [
        h["recorded_at"]
        for h in history
        if h["inspection_id"] == inspection_id
        and (known_at is None or h["recorded_at"] <= known_at)
    ]
    return max(times, default=None)


def option(value: str, chosen: str | None) -> dict[str, Any]:
    """Return a GOV.UK select item for a value, selected if chosen."""
    return {"value": value, "text": value, "selected": value == chosen}


def register_filters(app: Any) -> None:
    from web.pages.names import register_names

    register_names(app)
    app.add_template_filter(option, "ledger_option")
    app.add_template_filter(day)
    app.add_template_filter(moment)
    app.add_template_filter(type_label)
    app.add_template_filter(framework_title)
    app.add_template_global(GRADE_TAGS, "GRADE_TAGS")


def allowed(check: Callable[[], object]) -> bool:
    """Say whether a permission rule lets the signed-in person through."""
    try:
        check()
    except PermissionDenied:
        return False
    return True


def _run_command(
    run: Callable[[], str], success: str
) -> tuple[ResponseReturnValue | None, LedgerError | None]:
    """Run the command: a redirect with a success banner, or the domain's refusal to show."""
    try:
        target = run()
    except PermissionDenied:
        raise
    except LedgerError as error:
        return None, error
    flash(success, "success")
    return redirect(target), None


def _rehearsed(run: Callable[[], str]) -> LedgerError | None:
    """Run the command up to its save and return the domain's refusal, if any: the rules are
    checked before "Check your answers", and nothing is stored."""
    try:
        with ledger().rehearsal():
            run()
    except PermissionDenied:
        raise
    except LedgerError as error:
        return error
    return None


def submit_flow(
    form: FlaskForm,
    template: str,
    answers: Callable[[], list[tuple[str, str]]],
    run: Callable[[], str],
    success: str,
    title: str,
    **context: Any,
) -> ResponseReturnValue:
    """Form, then check your answers, then the command; refusals return to the form.

    Stage 1 posts the form: the command is rehearsed (run to its save, nothing stored), and
    answers that the rules accept are kept in the session and the browser is sent to the check
    page (`?step=check`, a GET: Post/Redirect/Get, so Back never asks to resubmit a form).
    Stage 2 posts them again with step=confirm: the command runs, the kept answers are dropped
    and a success banner follows. A domain refusal (a broken framework rule, a passed deadline)
    is shown as a GOV.UK error summary on the form with the answers kept; nothing is stored.
    """
    refusal: LedgerError | None = None
    if request.method == "GET" and request.args.get("step") == "check":
        if not answers_back(form):
            return redirect(check_page())  # submitted already: the form afresh
        if form.validate() and (refusal := _rehearsed(run)) is None:
            return _checking(form, answers, title, context)
    elif request.method == "POST":
        valid = form.validate()
        date_errors_fixed(form)
        step = request.form.get("step", "")
        if valid and step == "confirm":
            done, refusal = _run_command(run, success)
            if done is not None:
                drop_answers()
                return done
        elif valid and step != "change":
            refusal = _rehearsed(run)
            if refusal is None:
                if answers_kept():
                    return redirect(check_page(step="check"), 303)
                return _checking(form, answers, title, context)
    if refusal:
        _show_on_field(form, refusal)
    status = 422 if refusal else (400 if form.errors else 200)
    page = render_template(template, form=form, refusal=refusal, title=title, **context)
    return page, status


def _checking(
    form: FlaskForm, answers: Callable[[], list[tuple[str, str]]], title: str, context: Any
) -> str:
    kept = [(k, v) for k, v in posted() if k not in ("step", "csrf_token")]
    return render_template(
        "check_answers.html", form=form, rows=answers(), kept=kept, title=title, **context
    )


def _show_on_field(form: FlaskForm, refusal: LedgerError) -> None:
    """Put a refusal beside the field it concerns, so the summary links to an inline error."""
    name = refusal.field if refusal.field in form._fields else getattr(form, "refusal_anchor", "")
    if name in form._fields:
        form[name].errors = [said(refusal)]
        form.refusal_on_field = True


def error_summary(form: FlaskForm, refusal: LedgerError | None) -> dict[str, Any]:
    """Return the GOV.UK error summary's params: each error links to its field's first input."""
    from govuk_frontend_wtf.main import wtforms_errors

    from web.forms import GovDateField

    params: dict[str, Any] = wtforms_errors(form)
    dates = {f"#{f.id}" for f in form if isinstance(f, GovDateField)}
    for item in params["errorList"]:
        if item["href"] in dates:
            item["href"] += "-day"
    if refusal and not getattr(form, "refusal_on_field", False):
        params["errorList"].append({"text": said(refusal), "href": "#main-content"})
    for item in params["errorList"]:
        if refusal and item["text"] == said(refusal):
            item["attributes"] = {"data-rule": refusal.rule}  # for tools and tests, not readers
    return params


ISO_DAY = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def said(refusal: LedgerError) -> str:
    """Return a refusal as a reader is told it: dates in the GOV.UK style, no rule codes."""

    def readable(found: re.Match[str]) -> str:
        try:
            return day(date(*map(int, found.groups())))
        except ValueError:
            return found.group(0)

    return ISO_DAY.sub(readable, refusal.message)


def register_globals(app: Any) -> None:
    """Make labels, filters and the navigation available to every template."""
    from web.pages.navigation import navigation

    register_filters(app)
    app.add_template_global(navigation)
    app.add_template_global(error_summary)


def confirm_flow(
    form: FlaskForm, template: str, run: Callable[[], str], success: str, title: str, **context: Any
) -> ResponseReturnValue:
    """A page that is its own check-your-answers: one button runs the command."""
    refusal: LedgerError | None = None
    if request.method == "POST" and form.validate():
        done, refusal = _run_command(run, success)
        if done is not None:
            return done
    status = 422 if refusal else (400 if form.errors else 200)
    return render_template(template, form=form, refusal=refusal, title=title, **context), status
