"""Account administration pages: only administrators; every change audited; temporary
passwords shown once and changed at the next sign-in; disabling ends every session."""

from __future__ import annotations

import re

from domain.account import Account, account_id
from tests.web.conftest import ACCOUNTS, PASSWORD, see_other

ADMIN = ACCOUNTS["admin"][0]
INSPECTOR = ACCOUNTS["inspector"][0]
NEW = {
    "username": "jo.smith",
    "display_name": "Jo Smith",
    "email": "jo.smith@ofsted.gov.uk",
    "role": "inspector",
    "organisation": "OFSTED",
    "reason": "Joined the South East team",
}


def sign_in(client, username=ADMIN, password=PASSWORD):
    return client.post("/sign-in", data={"username": username, "password": password})


def temporary_password(response) -> str:
    found = re.search(r'id="temporary-password">([^<]+)<', response.text)
    assert found, response.text
    return found.group(1)


def events_of(app, username):
    return app.extensions["ledger"].events_of(account_id(username))


def create(client, **changes):
    data = NEW | changes
    answers = see_other(
        client, client.post("/accounts/new", data=data)
    )  # check your answers, or the refusal
    if answers.status_code != 200:
        return answers
    return client.post("/accounts/new", data=data | {"step": "confirm"})


def test_only_administrators_see_the_accounts_pages(staff_app):
    client = staff_app().test_client()
    sign_in(client, INSPECTOR)
    for path in ("/accounts", "/accounts/new", f"/accounts/{ADMIN}", f"/accounts/{ADMIN}/disable"):
        assert client.get(path).status_code == 403, path
    anonymous = staff_app().test_client()
    assert anonymous.get("/accounts").status_code == 302


def test_the_list_shows_every_account_with_its_last_sign_in(staff_app, now):
    client = staff_app().test_client()
    sign_in(client)
    page = client.get("/accounts")
    assert page.status_code == 200
    for username, *_ in ACCOUNTS.values():
        assert username in page.text
    assert "2 November 2026 at 09:00:00 GMT" in page.text  # the administrator, just now
    assert "Never" in page.text


def test_creating_an_account_records_it_and_shows_a_temporary_password_once(staff_app):
    app = staff_app()
    client = app.test_client()
    sign_in(client)
    response = create(client)
    assert response.status_code == 200
    password = temporary_password(response)
    assert response.headers["Cache-Control"] == "no-store"
    (event,) = events_of(app, "jo.smith")
    assert isinstance(event, Account.Opened)
    assert (event.actor.user, event.reason) == (ADMIN, "Joined the South East team")
    stored = app.extensions["identity"].get("jo.smith")
    assert stored.email == "jo.smith@ofsted.gov.uk" and stored.must_change_password
    assert "jo.smith@ofsted.gov.uk" not in str(event.__dict__)
    newcomer = app.test_client()
    first = sign_in(newcomer, "jo.smith", password)
    assert first.location == "/sign-in/new-password"
    assert newcomer.get("/account").status_code == 302  # not signed in until it is changed
    refused = newcomer.post(
        "/sign-in/new-password", data={"password": "qwerty123456", "confirm": "qwerty123456"}
    )
    assert refused.status_code == 400 and "too common" in refused.text
    done = newcomer.post(
        "/sign-in/new-password",
        data={"password": "a long new passphrase", "confirm": "a long new passphrase"},
    )
    assert done.status_code == 302
    assert newcomer.get("/account").status_code == 200
    assert isinstance(events_of(app, "jo.smith")[-1], Account.PasswordChanged)
    assert sign_in(app.test_client(), "jo.smith", password).status_code == 400


def test_a_bad_answer_is_named_on_the_form_and_nothing_is_stored(staff_app):
    app = staff_app()
    client = app.test_client()
    sign_in(client)
    response = client.post("/accounts/new", data=NEW | {"reason": ""})
    assert response.status_code == 400 and "Enter the reason" in response.text
    refused = create(client, role="council_officer", organisation="E09999999")
    assert refused.status_code == 422
    assert "A council officer belongs to a council; &#39;E09999999&#39; is not one" in refused.text
    assert app.extensions["identity"].get("jo.smith") is None
    assert not app.extensions["ledger"].exists(account_id("jo.smith"))


def test_an_email_that_is_not_an_address_is_refused_by_name(staff_app):
    client = staff_app().test_client()
    sign_in(client)
    response = create(client, email="jo@nowhere")
    assert response.status_code == 422
    assert "Enter an email address like name@example.gov.uk" in response.text


def test_disabling_an_account_ends_every_session_and_stops_sign_in(staff_app):
    app = staff_app()
    victim = app.test_client()
    sign_in(victim, INSPECTOR)
    assert victim.get("/account").status_code == 200
    client = app.test_client()
    sign_in(client)
    response = client.post(f"/accounts/{INSPECTOR}/disable", data={"reason": "Left Ofsted"})
    assert response.status_code == 302
    assert victim.get("/account").status_code == 302
    assert sign_in(app.test_client(), INSPECTOR).status_code == 400
    kinds = [type(e).__name__ for e in events_of(app, INSPECTOR)]
    assert kinds == ["Opened", "Disabled"]  # taken into the log, then disabled
    disabled = events_of(app, INSPECTOR)[-1]
    assert (disabled.actor.user, disabled.reason) == (ADMIN, "Left Ofsted")
    client.post(f"/accounts/{INSPECTOR}/enable", data={"reason": "Came back"})
    assert sign_in(app.test_client(), INSPECTOR).status_code == 302


def test_an_administrator_cannot_disable_their_own_account(staff_app):
    client = staff_app().test_client()
    sign_in(client)
    response = client.post(f"/accounts/{ADMIN}/disable", data={"reason": "Testing"})
    assert response.status_code == 403 and "own account" in response.text


def test_changing_the_role_ends_the_sessions_and_gives_the_new_role(staff_app):
    app = staff_app()
    victim = app.test_client()
    sign_in(victim, INSPECTOR)
    client = app.test_client()
    sign_in(client)
    data = {"role": "moderator", "organisation": "OFSTED", "reason": "Promoted"}
    assert (
        see_other(client, client.post(f"/accounts/{INSPECTOR}/role", data=data)).status_code == 200
    )
    done = client.post(f"/accounts/{INSPECTOR}/role", data=data | {"step": "confirm"})
    assert done.status_code == 302
    assert app.extensions["identity"].get(INSPECTOR).role == "moderator"
    assert victim.get("/account").status_code == 302
    event = events_of(app, INSPECTOR)[-1]
    assert isinstance(event, Account.RoleChanged) and event.reason == "Promoted"


def test_resetting_a_password_ends_sessions_and_the_temporary_one_must_be_changed(staff_app):
    app = staff_app()
    victim = app.test_client()
    sign_in(victim, INSPECTOR)
    client = app.test_client()
    sign_in(client)
    response = client.post(f"/accounts/{INSPECTOR}/password", data={"reason": "Forgotten"})
    assert response.status_code == 200
    password = temporary_password(response)
    assert victim.get("/account").status_code == 302
    assert sign_in(app.test_client(), INSPECTOR).status_code == 400  # the old one is gone
    assert sign_in(app.test_client(), INSPECTOR, password).location == "/sign-in/new-password"
    assert isinstance(events_of(app, INSPECTOR)[-1], Account.PasswordReset)


def test_changing_ones_own_password_ends_ones_other_sessions(staff_app):
    app = staff_app()
    elsewhere = app.test_client()
    sign_in(elsewhere, INSPECTOR)
    client = app.test_client()
    sign_in(client, INSPECTOR)
    wrong = client.post(
        "/account/password",
        data={"current": "wrong", "password": "another long one", "confirm": "another long one"},
    )
    assert wrong.status_code == 400 and "current password is not right" in wrong.text
    done = client.post(
        "/account/password",
        data={"current": PASSWORD, "password": "another long one", "confirm": "another long one"},
    )
    assert done.status_code == 302
    page = client.get("/account")
    assert page.status_code == 200 and "1 other session ended" in page.text
    assert elsewhere.get("/account").status_code == 302


def test_the_accounts_pages_are_in_the_administrators_navigation(staff_app):
    client = staff_app().test_client()
    sign_in(client)
    assert 'href="/accounts"' in client.get("/account").text
