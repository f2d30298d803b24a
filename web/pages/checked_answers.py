"""Post/Redirect/Get for "Check your answers": the answers wait in the session meanwhile.

A form's answers that the rules accept are kept in the (signed) session cookie for the GET
check page, so the browser's Back never lands on a POST's response ("Confirm form
resubmission"); "Confirm and submit" drops them. Answers too long for a cookie are checked on
the POST's own response, as before.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import request, session
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict

CHECKED = "checked_answers"  # the session's answers awaiting "Confirm and submit", by page
CHECKED_MOST = 2500  # characters: longer answers are checked on the POST's own response


def check_page(**args: str) -> str:
    """Return this page's address with its own query and these arguments (step=check)."""
    kept = [(k, v) for k, v in request.args.items(multi=True) if k != "step"]
    query = urlencode([*kept, *args.items()])
    return f"{request.path}?{query}" if query else request.path


def answers_kept() -> bool:
    """Keep the posted answers in the session for the check page (Post/Redirect/Get), unless
    they are too long for a cookie."""
    answers = [(k, v) for k, v in request.form.items(multi=True) if k != "step"]
    if sum(len(k) + len(v) for k, v in answers) > CHECKED_MOST:
        return False
    session[CHECKED] = {request.path: answers}
    return True


def answers_back(form: FlaskForm) -> bool:
    """Fill the form with the answers kept for this page; False when none are kept (they were
    submitted, or never given)."""
    kept = session.get(CHECKED, {}).get(request.path)
    if kept is None:
        return False
    form.process(formdata=MultiDict([tuple(pair) for pair in kept]), data=dict(form.data))
    return True


def drop_answers() -> None:
    """Forget the kept answers: they were submitted."""
    session.pop(CHECKED, None)


def posted() -> list[tuple[str, str]]:
    """The answers as given: the POST's own, or those kept in the session for the check page."""
    if request.method == "POST":
        return list(request.form.items(multi=True))
    return [tuple(pair) for pair in session.get(CHECKED, {}).get(request.path, [])]
