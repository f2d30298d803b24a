"""Sign-in for staff with Flask-Login: who is signed in, as which role and organisation.

Flask-Login keeps only the id of a server-side session (adapters/sessions.py) in the cookie, so
signing out, an idle or too-old session, or `end_sessions_of(username)` ends it everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import LoginManager, current_user, login_required, login_user, logout_user

from adapters.identity import Account, IdentityStore
from adapters.sessions import SessionStore
from adapters.two_factor import TwoFactorStore
from domain.actors import AGENCIES, ORGANISATIONS, Actor, Role
from web.errors import handle_refusals
from web.forms import ConfirmForm, SignInForm

bp = handle_refusals(Blueprint("auth", __name__))
F = TypeVar("F", bound=Callable[..., Any])
ROLE_NAMES = {
    Role.INSPECTOR: "Inspector",
    Role.MODERATOR: "Moderator",
    Role.COUNCIL_OFFICER: "Council officer",
    Role.AUDITOR: "Auditor",
    Role.ADMINISTRATOR: "Administrator",
    Role.ADJUDICATOR: "Adjudicator",
}
OTHER_ORGANISATIONS = {"AUDIT": "Audit", "LEDGER": "Inspection Ledger administration"}
ABILITIES = {
    Role.INSPECTOR: [
        "Schedule inspections led by your inspectorate",
        "Record your inspectorate's findings",
        "Make judgments and issue draft reports for inspections your inspectorate leads",
    ],
    Role.MODERATOR: [
        "Everything an inspector can do",
        "Issue final reports and publish them",
        "Decide challenges to judgments you did not make",
    ],
    Role.COUNCIL_OFFICER: [
        "See your council's inspections",
        "Comment on draft reports before the factual accuracy deadline",
        "Lodge and escalate challenges",
        "Keep your council's action plans",
    ],
    Role.AUDITOR: [
        "Read every event, timeline and rating on any date",
        "Export the disputed-judgments trail and timelines as CSV",
        "You cannot change anything",
    ],
    Role.ADMINISTRATOR: [
        "Read every record",
        "Create accounts, change their roles, disable them and reset their passwords",
        "Manage imports from the command line",
    ],
    Role.ADJUDICATOR: [
        "Read every challenge and the inspection it disputes",
        "Record your finding on how a challenge escalated to you was handled",
        "You recommend; you cannot change a judgment",
    ],
}


class StaffUser:
    """The signed-in person, as Flask-Login sees them."""

    is_authenticated, is_active, is_anonymous = True, True, False

    def __init__(self, account: Account, session_id: str) -> None:
        self.account, self.session_id = account, session_id

    def get_id(self) -> str:
        return self.session_id  # what Flask-Login keeps in the cookie: never the username

    @property
    def actor(self) -> Actor:
        return self.account.actor

    @property
    def role_name(self) -> str:
        return ROLE_NAMES.get(Role(self.account.role), self.account.role)

    @property
    def organisation_name(self) -> str:
        organisation = self.account.organisation
        return (
            AGENCIES.get(organisation)
            or ORGANISATIONS.get(organisation)
            or OTHER_ORGANISATIONS.get(organisation)
            or council_name(organisation)
        )


def council_name(code: str) -> str:
    """Return a council's name from the read model, or the code itself."""
    from web.pages.common import council_names

    return council_names().get(code, code)


def identity() -> IdentityStore:
    return cast(IdentityStore, current_app.extensions["identity"])


def sessions() -> SessionStore:
    return cast(SessionStore, current_app.extensions["ledger_sessions"])


def two_factor() -> TwoFactorStore:
    return cast(TwoFactorStore, current_app.extensions["two_factor"])


def end_sessions_of(username: str) -> int:
    """End every session of an account (after a password change, or disabling it)."""
    return sessions().end_sessions_of(username)


def init_auth(app: Flask) -> None:
    """Set up Flask-Login with the account store and the server-side sessions."""
    manager = LoginManager(app)
    manager.login_view = "auth.sign_in"
    manager.login_message = "Sign in to see that page"
    manager.login_message_category = "info"

    @manager.user_loader
    def load(session_id: str) -> StaffUser | None:
        username = sessions().find(session_id)
        account = identity().get(username) if username else None
        return StaffUser(account, session_id) if account and not account.disabled else None


def actor() -> Actor:
    """Return the signed-in person as the domain's Actor."""
    return cast(StaffUser, current_user).actor


def staff_only(view: F) -> F:
    """Require a signed-in member of staff."""
    return cast(F, login_required(view))


def roles(*allowed: str) -> Callable[[F], F]:
    """Require sign-in and one of the given roles; others get the 403 page."""

    def decorate(view: F) -> F:
        @wraps(view)
        def checked(*args: Any, **kwargs: Any) -> Any:
            if actor().role not in allowed:
                from domain.errors import PermissionDenied

                names = " or ".join(ROLE_NAMES[Role(r)].lower() for r in allowed)
                raise PermissionDenied(f"Only a {names} may see this page")
            return view(*args, **kwargs)

        return staff_only(cast(F, checked))

    return decorate


def home_for(user_actor: Actor) -> str:
    """Return the page each role starts from."""
    if user_actor.role in (Role.AUDITOR, Role.ADMINISTRATOR):
        return url_for("audit.home")
    return url_for("workspace.work")


def _safe_next(target: str | None) -> str | None:
    if not target:
        return None
    if any(ord(c) < 32 or ord(c) == 127 for c in target):  # a header cannot carry them
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc and target.startswith("/") else None


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> ResponseReturnValue:
    """Sign a member of staff in: the password first, then any further step it needs."""
    from web.sign_in_steps import begin

    form = SignInForm()
    if form.validate_on_submit():
        account = identity().authenticate(form.username.data.strip(), form.password.data)
        if account is not None:
            return begin(account, _safe_next(request.args.get("next")))
        form.username.errors.append("Enter a correct username and password")
    status = 400 if form.errors else 200
    return render_template("auth/sign_in.html", form=form), status


def complete_sign_in(account: Account, target: str | None) -> ResponseReturnValue:
    """Open the person's session once every step of signing in is done."""
    session.clear()  # nothing from before sign-in is carried into the session
    login_user(StaffUser(account, sessions().start(account.username)))
    flash(f"You are signed in as {account.display_name}", "success")
    return redirect(target or home_for(account.actor))


@bp.route("/sign-out", methods=["GET", "POST"])
@staff_only
def sign_out() -> ResponseReturnValue:
    """Ask, then sign the person out."""
    form = ConfirmForm()
    if form.validate_on_submit():
        sessions().end(current_user.session_id)
        logout_user()
        flash("You have signed out", "success")
        return redirect(url_for("public.index"))
    return render_template("auth/sign_out.html", form=form)


@bp.get("/account")
@staff_only
def account() -> str:
    """Tell the person who they are signed in as, and what they may do."""
    role = Role(current_user.account.role)
    enrolled = two_factor().enrolled(current_user.account.username)
    return render_template(
        "auth/account.html", user=current_user, abilities=ABILITIES[role], enrolled=enrolled
    )
