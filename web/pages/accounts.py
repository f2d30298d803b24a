"""Account administration for administrators: list, create, change role, disable, reset.

Each change is decided by the domain (Account, deny by default) and recorded in the log with
the administrator and the reason given; a temporary password is shown once, never stored in
clear and never sent back in a redirect.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm

from adapters.account_admin import AccountAdmin
from domain.actors import Role
from domain.errors import LedgerError, PermissionDenied
from web.auth import ROLE_NAMES, actor, roles
from web.errors import handle_refusals
from web.forms_account import NewAccountForm, ReasonForm, RoleForm
from web.pages.common import submit_flow

bp = handle_refusals(Blueprint("accounts", __name__))
ADMIN_ONLY = roles(Role.ADMINISTRATOR)
ACTIONS = {  # what each reason-only action is called, and does
    "disable": ("Disable the account", "Account disabled: its sessions have ended"),
    "enable": ("Enable the account", "Account enabled"),
    "two-factor": ("Remove two-factor sign-in", "Two-factor sign-in removed"),
    "forget": ("Forget the account", "Account forgotten: its name and email address are erased"),
}


def admin() -> AccountAdmin:
    return cast(AccountAdmin, current_app.extensions["account_admin"])


@bp.get("/accounts")
@ADMIN_ONLY
def index() -> str:
    """List every account with its role, state and last sign-in."""
    return render_template("accounts/index.html", rows=admin().rows(actor()), roles=ROLE_NAMES)


@bp.get("/accounts/<username>")
@ADMIN_ONLY
def account(username: str) -> str:
    """Show one account and what can be done to it."""
    row = admin().row(actor(), username)
    return render_template("accounts/account.html", row=row, roles=ROLE_NAMES)


def _answers(form: FlaskForm) -> list[tuple[str, str]]:
    rows = [(f.label.text, str(f.data or "")) for f in form if f.type not in _HIDDEN]
    return [(k, ROLE_NAMES.get(v, v) if k == "Role" else v) for k, v in rows]  # type: ignore[call-overload]


_HIDDEN = {"CSRFTokenField", "SubmitField"}


def _shown_once(run: Callable[[], str], form: FlaskForm, template: str, **context: object):  # type: ignore[no-untyped-def]
    """Run a command that gives a temporary password and show it on this answer alone."""
    try:
        password = run()
    except PermissionDenied:
        raise
    except LedgerError as refusal:
        field = getattr(refusal, "field", "")
        if field in form._fields:
            form[field].errors = [refusal.message]
            refusal = None  # type: ignore[assignment]
        return render_template(template, form=form, refusal=refusal, **context), 422
    return render_template("accounts/password.html", password=password, **context)


@bp.route("/accounts/new", methods=["GET", "POST"])
@ADMIN_ONLY
def new() -> ResponseReturnValue:
    """Create an account: check the answers, then show its temporary password once."""
    form = NewAccountForm()
    form.refusal_anchor = "organisation"

    def run() -> str:
        return admin().create(
            actor(),
            form.username.data.strip(),
            form.display_name.data,
            form.role.data,
            form.organisation.data.strip(),
            form.email.data,
            form.reason.data,
        )

    if request.method == "POST" and request.form.get("step") == "confirm" and form.validate():
        return _shown_once(
            run,
            form,
            "accounts/new.html",
            title="Create an account",
            username=form.username.data.strip(),
        )
    # Stage 1 rehearses `run` to the log's save (nothing stored), so a refusal comes back first
    return submit_flow(
        form, "accounts/new.html", lambda: _answers(form), run, "", "Create an account"
    )


@bp.route("/accounts/<username>/role", methods=["GET", "POST"])
@ADMIN_ONLY
def change_role(username: str) -> ResponseReturnValue:
    """Give the account another role or organisation (its sessions end)."""
    row = admin().row(actor(), username)
    form = RoleForm(data={"role": row.account.role, "organisation": row.account.organisation})
    form.refusal_anchor = "organisation"

    def run() -> str:
        admin().change_role(
            actor(), username, form.role.data, form.organisation.data.strip(), form.reason.data
        )
        return url_for("accounts.account", username=username)

    return submit_flow(
        form,
        "accounts/role.html",
        lambda: _answers(form),
        run,
        "Role changed",
        f"Change the role of {username}",
        row=row,
    )


REASONED = "<any(disable,enable,'two-factor',forget):action>"


@bp.route(f"/accounts/<username>/{REASONED}", methods=["GET", "POST"])
@ADMIN_ONLY
def reason_action(username: str, action: str) -> ResponseReturnValue:
    """Disable, enable or forget an account, or remove its second factor, giving a reason."""
    row = admin().row(actor(), username)
    form = ReasonForm()
    title, success = ACTIONS[action]
    refusal = None
    if request.method == "POST" and form.validate():
        run = {
            "disable": admin().disable,
            "enable": admin().enable,
            "two-factor": admin().remove_two_factor,
            "forget": admin().forget,
        }[action]
        try:
            run(actor(), username, form.reason.data)
        except PermissionDenied:
            raise
        except LedgerError as error:
            refusal = error
        else:
            flash(success, "success")
            return redirect(url_for("accounts.account", username=username))
    status = 422 if refusal else (400 if form.errors else 200)
    page = render_template(
        "accounts/reason.html", form=form, refusal=refusal, row=row, title=title, action=action
    )
    return page, status


@bp.route("/accounts/<username>/password", methods=["GET", "POST"])
@ADMIN_ONLY
def reset_password(username: str) -> ResponseReturnValue:
    """Give a temporary password, shown once, to be changed at the next sign-in."""
    row = admin().row(actor(), username)
    form = ReasonForm()
    context = {"row": row, "title": "Reset the password", "action": "password"}
    if request.method == "POST" and form.validate():
        return _shown_once(
            lambda: admin().reset_password(actor(), username, form.reason.data),
            form,
            "accounts/reason.html",
            username=username,
            **context,
        )
    status = 400 if form.errors else 200
    return render_template("accounts/reason.html", form=form, **context), status
