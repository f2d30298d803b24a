"""The steps of signing in after the password: a code, a new password, setting up 2FA.

Until every step is done nobody is signed in: the signed session cookie holds only who passed
the password (and when, for 10 minutes), whether their code was right, and where to go next.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from flask import Blueprint, current_app, redirect, render_template, session, url_for
from flask.typing import ResponseReturnValue

from adapters.account_admin import AccountAdmin
from adapters.identity import Account
from web.auth import complete_sign_in, identity, two_factor
from web.errors import handle_refusals
from web.forms_account import CodeForm, NewPasswordForm
from web.own_account import enrolment_page

bp = handle_refusals(Blueprint("sign_in_steps", __name__))
PENDING_SECONDS = 600


def _now() -> datetime:
    return cast(datetime, current_app.extensions["ledger_now"]())


def admin() -> AccountAdmin:
    return cast(AccountAdmin, current_app.extensions["account_admin"])


def begin(account: Account, target: str | None) -> ResponseReturnValue:
    """The password was right: note who passed it, then take the next step."""
    session.clear()
    session["pending"] = {
        "user": account.username,
        "at": _now().timestamp(),
        "next": target,
        "code": False,
    }
    return next_step()


def pending_account() -> Account | None:
    """Return the account part-way through signing in, if its steps have not lapsed."""
    pending: dict[str, Any] | None = session.get("pending")
    if not pending or _now().timestamp() - float(pending["at"]) > PENDING_SECONDS:
        return None
    account = identity().get(pending["user"])
    return None if account is None or account.disabled else account


def next_step() -> ResponseReturnValue:
    """Go to the first step still to do, or sign the person in."""
    account = pending_account()
    if account is None:
        return redirect(url_for("auth.sign_in"))
    enrolled = two_factor().enrolled(account.username)
    if enrolled and not session["pending"]["code"]:
        return redirect(url_for("sign_in_steps.code"))
    if account.must_change_password:
        return redirect(url_for("sign_in_steps.new_password"))
    if not enrolled and account.role in current_app.config["REQUIRE_2FA_ROLES"]:
        return redirect(url_for("sign_in_steps.set_up"))
    return complete_sign_in(account, session["pending"].get("next"))


@bp.route("/sign-in/code", methods=["GET", "POST"])
def code() -> ResponseReturnValue:
    """Ask for the code from the person's authenticator app (or a recovery code)."""
    account = pending_account()
    if account is None:
        return redirect(url_for("auth.sign_in"))
    form = CodeForm()
    if form.validate_on_submit():
        if two_factor().verify(account.username, form.code.data):
            session["pending"] = session["pending"] | {"code": True}
            return next_step()
        form.code.errors.append("The code is not right: enter the code your app shows now")
    status = 400 if form.errors else 200
    return render_template("auth/code.html", form=form), status


@bp.route("/sign-in/new-password", methods=["GET", "POST"])
def new_password() -> ResponseReturnValue:
    """Make the person replace a temporary password before going on."""
    account = pending_account()
    if account is None or not _code_done(account):
        return redirect(url_for("auth.sign_in"))
    form = NewPasswordForm()
    form.username = account.username
    if form.validate_on_submit():
        admin().change_own_password(account.actor, form.password.data)
        return next_step()
    status = 400 if form.errors else 200
    return render_template("auth/new_password.html", form=form, signing_in=True), status


@bp.route("/sign-in/two-factor", methods=["GET", "POST"])
def set_up() -> ResponseReturnValue:
    """Make the person set up two-factor sign-in, as their role requires."""
    account = pending_account()
    if account is None or not _code_done(account):
        return redirect(url_for("auth.sign_in"))

    def code_given() -> None:  # the code that confirmed the set-up is the second factor
        session["pending"] = session["pending"] | {"code": True}

    return enrolment_page(account, url_for("sign_in_steps.finish"), True, code_given)


@bp.post("/sign-in/finish")
def finish() -> ResponseReturnValue:
    """After the recovery codes were shown: go on signing in."""
    return next_step()


def _code_done(account: Account) -> bool:
    return bool(session["pending"]["code"]) or not two_factor().enrolled(account.username)
