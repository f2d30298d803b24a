"""A person's own account: changing their password, setting up two-factor sign-in (a QR
code as inline SVG, so the CSP holds, and the secret as text, confirmed with a code; then the
recovery codes, shown once), what was emailed to them and which optional emails they get."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import cast

import segno
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from markupsafe import Markup

from adapters import outbox
from adapters.account_admin import AccountAdmin
from adapters.identity import Account
from projections.messages import optional_kinds, statutory_kinds
from web.auth import identity, staff_only, two_factor
from web.errors import handle_refusals
from web.forms import ConfirmForm
from web.forms_account import ChangePasswordForm, EmailPreferencesForm, EnrolForm, email_name

bp = handle_refusals(Blueprint("own_account", __name__))


def qr_svg(uri: str) -> Markup:
    """Return the QR code of an otpauth:// address as inline SVG with a text alternative."""
    svg = segno.make(uri, error="m").svg_inline(scale=5, border=4, light="#fff")
    label = 'role="img" aria-label="QR code to scan with your authenticator app"'
    return Markup(svg.replace("<svg ", f"<svg {label} ", 1))  # noqa: S704 (segno's own SVG)


def spaced(secret: str) -> str:
    """Show the secret in groups of four, easier to type."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def enrolment_page(
    account: Account,
    continue_to: str,
    required: bool,
    on_enrolled: Callable[[], None] = lambda: None,
) -> ResponseReturnValue:
    """Show the QR code and secret; on a right code, record the set-up and show the codes."""
    store = two_factor()
    if store.enrolled(account.username):
        return render_template("auth/two_factor_done.html", continue_to=continue_to)
    form = EnrolForm()
    secret = store.pending_secret(account.username) or store.begin(account.username)
    if form.validate_on_submit():
        codes = store.confirm(account.username, form.code.data)
        if codes is not None:
            admin: AccountAdmin = current_app.extensions["account_admin"]
            admin.note_enrolled(account.actor)
            on_enrolled()
            return render_template(
                "auth/recovery_codes.html",
                codes=codes,
                continue_to=continue_to,
                signing_in=required,
                finish=ConfirmForm(),
            )
        form.code.errors.append("The code is not right: enter the code your app shows now")
    uri = store.provisioning_uri(account.username, secret)
    status = 400 if form.errors else 200
    page = render_template(
        "auth/two_factor.html",
        form=form,
        qr=qr_svg(uri),
        secret=spaced(secret),
        required=required,
    )
    return page, status


@bp.route("/account/two-factor", methods=["GET", "POST"])
@staff_only
def set_up() -> ResponseReturnValue:
    """Let any member of staff set up two-factor sign-in from their account."""
    account = cast(Account, current_user.account)
    return enrolment_page(account, url_for("auth.account"), required=False)


@bp.get("/account/notifications")
@staff_only
def notifications() -> ResponseReturnValue:
    """List what the notifier has sent to the signed-in person, newest first."""
    account = cast(Account, current_user.account)
    with identity().engine.connect() as conn:
        found = outbox.sent_to(conn, account.username)
    addresses = identity().open_all([n.email for n in found])  # kept sealed
    shown = [replace(n, email=a) for n, a in zip(found, addresses, strict=True)]
    return render_template("auth/notifications.html", notifications=shown)


@bp.route("/account/email-preferences", methods=["GET", "POST"])
@staff_only
def email_preferences() -> ResponseReturnValue:
    """Choose the optional emails to get (statutory ones are always sent); a saved choice
    redirects back here (Post/Redirect/Get)."""
    account = cast(Account, current_user.account)
    form = EmailPreferencesForm()
    if form.validate_on_submit():
        admin: AccountAdmin = current_app.extensions["account_admin"]
        chosen = set(form.receive.data or ())
        admin.choose_emails(account.actor, [k for k in optional_kinds() if k not in chosen])
        flash("Your email choices have been saved", "success")
        return redirect(url_for("own_account.email_preferences"), 303)
    if request.method == "GET":
        current = identity().get(account.username)
        off = current.emails_off if current else frozenset()
        form.receive.data = [k for k in optional_kinds() if k not in off]
    always = [email_name(kind) for kind in statutory_kinds()]
    status = 400 if form.errors else 200
    return render_template("auth/email_preferences.html", form=form, always=always), status


@bp.route("/account/password", methods=["GET", "POST"])
@staff_only
def change_password() -> ResponseReturnValue:
    """Change one's own password (the current one first); other sessions end."""
    account = cast(Account, current_user.account)
    form = ChangePasswordForm()
    form.username = account.username
    if form.validate_on_submit():
        if identity().authenticate(account.username, form.current.data) is None:
            form.current.errors.append("Your current password is not right")
        else:
            admin: AccountAdmin = current_app.extensions["account_admin"]
            ended = admin.change_own_password(
                account.actor, form.password.data, keep_session=current_user.session_id
            )
            others = f"; {ended} other session{'s' if ended != 1 else ''} ended" if ended else ""
            flash(f"Your password has been changed{others}", "success")
            return redirect(url_for("auth.account"))
    status = 400 if form.errors else 200
    return render_template("auth/new_password.html", form=form, signing_in=False), status
