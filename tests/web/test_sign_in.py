"""Sign-in with hashed passwords, sessions with Flask-Login, sign-out, who you are."""

from __future__ import annotations

import pytest

from tests.web.conftest import ACCOUNTS, PASSWORD, make_app


def test_signing_in_takes_each_role_to_its_start_page(pages):
    for role, start in (("inspector", "/work"), ("officer", "/work"), ("auditor", "/audit/")):
        pages.client.get("/sign-out")
        with pages.client.session_transaction() as session:
            session.clear()
        response = pages.post("/sign-in", {"username": ACCOUNTS[role][0], "password": PASSWORD})
        assert response.status_code == 302 and response.location == start


def test_a_wrong_password_is_refused_with_an_error_summary(pages):
    response = pages.post("/sign-in", {"username": "ian.inspector", "password": "wrong-password"})
    assert response.status_code == 400
    assert "govuk-error-summary" in response.text
    assert "Enter a correct username and password" in response.text
    assert pages.get("/work").status_code == 302


def test_an_empty_sign_in_names_each_missing_answer(pages):
    response = pages.post("/sign-in", {"username": "", "password": ""})
    assert response.status_code == 400
    assert "Enter your username" in response.text and "Enter your password" in response.text


def test_staff_pages_send_a_visitor_to_sign_in_and_back(pages):
    response = pages.get("/work")
    assert response.status_code == 302 and response.location.startswith("/sign-in?next=")
    response = pages.client.post(
        "/sign-in?next=/account", data={"username": "ian.inspector", "password": PASSWORD}
    )
    assert response.location == "/account"


def test_sign_in_never_redirects_to_another_site(pages):
    response = pages.client.post(
        "/sign-in?next=https://evil.example/",
        data={"username": "ian.inspector", "password": PASSWORD},
    )
    assert response.location == "/work"


def test_every_page_says_who_is_signed_in_and_the_account_page_says_what_they_may_do(pages):
    pages.sign_in("officer")
    page = pages.get("/account").text
    assert (
        "Signed in as <strong>Olu Officer</strong>, council officer at Barking and Dagenham" in page
    )
    assert "Lodge and escalate challenges" in page
    assert "Signed in as" in pages.get("/").text


def test_signing_out_asks_then_ends_the_session(pages):
    pages.sign_in("auditor")
    assert "Sign out" in pages.get("/sign-out").text
    response = pages.post("/sign-out", {})
    assert response.status_code == 302
    assert pages.get("/audit/").status_code == 302


@pytest.mark.parametrize("path", ["/sign-in"])
def test_forms_refuse_a_post_without_the_csrf_token(database_url, clock, monkeypatch, path):
    monkeypatch.setenv("LEDGER_INLINE_PROJECTIONS", "1")
    app = make_app(database_url, clock, WTF_CSRF_ENABLED=True)
    app.extensions["identity"].add("ian.inspector", "Ian", "inspector", "OFSTED", PASSWORD)
    client = app.test_client()
    response = client.post(path, data={"username": "ian.inspector", "password": PASSWORD})
    assert response.status_code == 400 and "CSRF" in response.text
    assert 'name="csrf_token"' in client.get(path).text
    app.extensions["ledger_services"].close()
    app.extensions["identity"].close()


def test_a_next_address_with_a_newline_sends_the_signed_in_user_home(pages):
    response = pages.client.post(
        "/sign-in?next=/%0d%0aSet-Cookie:x=1",
        data={"username": "ian.inspector", "password": PASSWORD},
    )
    assert (response.status_code, response.location) == (302, "/work")
    assert "x=1" not in response.headers.getlist("Set-Cookie")


def test_a_form_over_the_request_limit_gets_a_page_saying_so(pages):
    pages.app.config["MAX_CONTENT_LENGTH"] = 1000
    response = pages.client.post("/sign-in", data={"username": "x" * 2000, "password": "p"})
    assert response.status_code == 413
    assert "What you sent is too large" in response.text and "1,000 bytes" in response.text
