"""Server-side sessions: signing out, idle and absolute expiry, ending every session of an account."""

from __future__ import annotations

from adapters.config import load_security
from tests.web.conftest import ACCOUNTS, PASSWORD

INSPECTOR = ACCOUNTS["inspector"][0]


def sign_in(client, username=INSPECTOR, password=PASSWORD, **kwargs):
    return client.post("/sign-in", data={"username": username, "password": password}, **kwargs)


def session_cookie(client):
    return client.get_cookie("session").value


def test_a_cookie_copied_before_signing_out_no_longer_opens_staff_pages(staff_app):
    client = staff_app().test_client()
    assert sign_in(client).status_code == 302
    copied = session_cookie(client)
    assert client.post("/sign-out").status_code == 302
    thief = staff_app().test_client()
    thief.set_cookie("session", copied)
    response = thief.get("/account")
    assert response.status_code == 302 and response.location.startswith("/sign-in")


def test_the_cookie_carries_a_random_session_id_never_the_username(staff_app):
    app = staff_app()
    client = app.test_client()
    sign_in(client)
    with client.session_transaction() as session:
        session_id = session["_user_id"]
    assert session_id != INSPECTOR and len(session_id) >= 40
    assert app.extensions["ledger_sessions"].find(session_id) == INSPECTOR


def test_a_session_idle_for_longer_than_the_timeout_ends(staff_app, now):
    client = staff_app().test_client()
    sign_in(client)
    now.move(minutes=29)
    assert client.get("/account").status_code == 200
    now.move(minutes=29)  # 29 minutes after the last use, though 58 after signing in
    assert client.get("/account").status_code == 200
    now.move(minutes=31)
    assert client.get("/account").status_code == 302
    now.move(minutes=-31)  # ended for good, not just while the clock is late
    assert client.get("/account").status_code == 302


def test_a_session_in_constant_use_ends_after_its_lifetime(staff_app, now):
    client = staff_app().test_client()
    sign_in(client)
    for _ in range(12 * 3):
        now.move(minutes=20)
        assert client.get("/account").status_code == 200
    now.move(minutes=1)
    assert client.get("/account").status_code == 302


def test_idle_timeout_and_lifetime_are_configurable(staff_app, now):
    settings = {"LEDGER_SESSION_IDLE_MINUTES": "5", "LEDGER_SESSION_LIFETIME_HOURS": "1"}
    client = staff_app(SECURITY=load_security(settings)).test_client()
    sign_in(client)
    now.move(minutes=6)
    assert client.get("/account").status_code == 302
    sign_in(client)
    for _ in range(15):
        now.move(minutes=4)
        assert client.get("/account").status_code == 200
    now.move(minutes=1)
    assert client.get("/account").status_code == 302


def test_ending_every_session_of_an_account_signs_it_out_everywhere(staff_app):
    from web.auth import end_sessions_of

    app = staff_app()
    laptop, phone, other = app.test_client(), app.test_client(), app.test_client()
    sign_in(laptop), sign_in(phone), sign_in(other, ACCOUNTS["auditor"][0])
    with app.app_context():
        assert end_sessions_of(INSPECTOR) == 2
    assert laptop.get("/account").status_code == 302
    assert phone.get("/account").status_code == 302
    assert other.get("/account").status_code == 200


def test_signing_in_again_starts_a_new_session_and_notes_the_last_sign_in(staff_app, now):
    app = staff_app()
    client = app.test_client()
    sign_in(client)
    first = session_cookie(client)
    sign_in(client)
    assert session_cookie(client) != first
    assert app.extensions["ledger_sessions"].last_sign_in(INSPECTOR) == now()


def test_the_session_cookie_is_http_only_and_same_site_lax_and_not_secure_over_http(staff_app):
    response = sign_in(staff_app().test_client())
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_the_session_cookie_is_secure_over_https(staff_app):
    response = sign_in(staff_app().test_client(), base_url="https://ledger.example")
    assert "; Secure" in response.headers["Set-Cookie"]


def test_behind_a_tls_proxy_the_forwarded_scheme_makes_the_cookie_secure(staff_app):
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    proxied = staff_app(SECURITY=load_security({"LEDGER_BEHIND_PROXY": "1"})).test_client()
    assert "; Secure" in sign_in(proxied, headers=forwarded).headers["Set-Cookie"]
    direct = staff_app().test_client()  # without the setting, the header is not believed
    assert "Secure" not in sign_in(direct, headers=forwarded).headers["Set-Cookie"]


def test_an_unknown_username_costs_one_password_hash_like_a_wrong_password(staff_app, monkeypatch):
    import adapters.identity as identity_module

    checked: list[str] = []
    real = identity_module.check_password_hash

    def counting(stored: str, password: str) -> bool:
        checked.append(stored.split("$")[0])  # the method and its cost parameters
        return real(stored, password)

    monkeypatch.setattr(identity_module, "check_password_hash", counting)
    client = staff_app().test_client()
    assert sign_in(client, INSPECTOR, "wrong-password").status_code == 400
    assert sign_in(client, "no.such.person", "wrong-password").status_code == 400
    assert len(checked) == 2 and checked[0] == checked[1]
    assert checked[0].startswith("scrypt:")
