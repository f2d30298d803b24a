"""Two-factor sign-in: set-up with a QR code and the secret as text, a code after the
password, recovery codes that work once, throttled codes, and the roles that must have it."""

from __future__ import annotations

import re

import pyotp

from adapters.config import load_security
from domain.account import Account, account_id
from tests.web.conftest import ACCOUNTS, PASSWORD

INSPECTOR = ACCOUNTS["inspector"][0]
MODERATOR = ACCOUNTS["moderator"][0]


def sign_in(client, username=INSPECTOR, password=PASSWORD):
    return client.post("/sign-in", data={"username": username, "password": password})


def secret_on(page) -> str:
    found = re.search(r'id="secret-key">([A-Z2-7 ]+)<', page.text)
    assert found, page.text
    return found.group(1).replace(" ", "")


def enrol(client, now):
    page = client.get("/account/two-factor")
    assert page.status_code == 200
    secret = secret_on(page)
    done = client.post("/account/two-factor", data={"code": pyotp.TOTP(secret).at(now())})
    assert done.status_code == 200, done.text
    codes = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", done.text)
    return secret, codes


def test_the_set_up_page_shows_a_qr_code_as_inline_svg_and_the_secret_as_text(staff_app):
    client = staff_app().test_client()
    sign_in(client)
    page = client.get("/account/two-factor")
    assert page.status_code == 200
    assert '<svg role="img" aria-label="QR code' in page.text and "<img" not in page.text
    assert len(secret_on(page)) == 32
    assert (
        "style=" not in page.text.split("<svg", 1)[1].split("</svg>", 1)[0]
    )  # CSP: no inline styles


def test_a_wrong_code_does_not_enrol(staff_app):
    app = staff_app()
    client = app.test_client()
    sign_in(client)
    client.get("/account/two-factor")
    refused = client.post("/account/two-factor", data={"code": "000000"})
    assert refused.status_code == 400 and "The code is not right" in refused.text
    assert not app.extensions["two_factor"].enrolled(INSPECTOR)


def test_after_set_up_signing_in_asks_for_the_code_after_the_password(staff_app, now):
    app = staff_app()
    client = app.test_client()
    sign_in(client)
    secret, codes = enrol(client, now)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert isinstance(
        app.extensions["ledger"].events_of(account_id(INSPECTOR))[-1], Account.TwoFactorEnrolled
    )
    fresh = app.test_client()
    assert sign_in(fresh).location == "/sign-in/code"
    assert fresh.get("/account").status_code == 302  # not signed in yet
    assert fresh.post("/sign-in/code", data={"code": "123456"}).status_code == 400
    now.move(seconds=30)
    done = fresh.post("/sign-in/code", data={"code": pyotp.TOTP(secret).at(now())})
    assert done.status_code == 302 and done.location == "/work"
    assert fresh.get("/account").status_code == 200


def test_a_code_already_used_cannot_be_used_again(staff_app, now):
    app = staff_app()
    client = app.test_client()
    sign_in(client)
    secret, _ = enrol(client, now)
    now.move(seconds=30)
    code = pyotp.TOTP(secret).at(now())
    first, second = app.test_client(), app.test_client()
    sign_in(first), sign_in(second)
    assert first.post("/sign-in/code", data={"code": code}).status_code == 302
    assert second.post("/sign-in/code", data={"code": code}).status_code == 400


def test_each_recovery_code_signs_in_once(staff_app, now):
    app = staff_app()
    client = app.test_client()
    sign_in(client)
    _, codes = enrol(client, now)
    first = app.test_client()
    sign_in(first)
    assert first.post("/sign-in/code", data={"code": codes[0].upper()}).status_code == 302
    again = app.test_client()
    sign_in(again)
    assert again.post("/sign-in/code", data={"code": codes[0]}).status_code == 400
    assert app.extensions["two_factor"].recovery_codes_left(INSPECTOR) == 9


def test_the_secret_is_stored_encrypted_and_never_in_the_log(staff_app, now):
    app = staff_app()
    client = app.test_client()
    sign_in(client)
    secret, codes = enrol(client, now)
    store = app.extensions["two_factor"]
    with store.engine.connect() as conn:
        stored = conn.exec_driver_sql("SELECT secret FROM ledger_two_factor").scalar()
        hashes = conn.exec_driver_sql("SELECT code_hash FROM ledger_recovery_codes").scalars().all()
    assert secret not in stored and not any(c in hashes for c in codes)
    ledger = app.extensions["ledger"]
    with ledger.recorder.datastore.engine.connect() as conn:
        log = b"".join(r[0] for r in conn.exec_driver_sql("SELECT state FROM ledger_events"))
    assert secret.encode() not in log


def test_code_attempts_are_throttled_like_sign_in(staff_app, now):
    tight = load_security({"LEDGER_SIGN_IN_LIMIT_PER_ACCOUNT": "3 per 15 minutes"})
    app = staff_app(SECURITY=tight)
    client = app.test_client()
    sign_in(client)
    secret, _ = enrol(client, now)
    attacker = app.test_client()
    sign_in(attacker)
    for _ in range(3):
        assert attacker.post("/sign-in/code", data={"code": "000000"}).status_code == 400
    now.move(seconds=30)
    blocked = attacker.post("/sign-in/code", data={"code": pyotp.TOTP(secret).at(now())})
    assert blocked.status_code == 429 and "Retry-After" in blocked.headers


def test_a_role_that_requires_it_must_set_it_up_before_signing_in(staff_app, now):
    app = staff_app(REQUIRE_2FA_ROLES=("moderator", "administrator"))
    client = app.test_client()
    assert sign_in(client, MODERATOR).location == "/sign-in/two-factor"
    assert client.get("/work").status_code == 302  # not signed in
    page = client.get("/sign-in/two-factor")
    secret = secret_on(page)
    codes = client.post("/sign-in/two-factor", data={"code": pyotp.TOTP(secret).at(now())})
    assert codes.status_code == 200 and "recovery-codes" in codes.text
    assert client.post("/sign-in/finish").status_code == 302
    assert client.get("/work").status_code == 200
    inspector = app.test_client()  # a role it is not required of signs in with a password
    assert sign_in(inspector).location == "/work"


def test_the_pending_sign_in_lapses_after_ten_minutes(staff_app, now):
    app = staff_app()
    client = app.test_client()
    sign_in(client)
    secret, _ = enrol(client, now)
    fresh = app.test_client()
    sign_in(fresh)
    now.move(minutes=11)
    late = fresh.post("/sign-in/code", data={"code": pyotp.TOTP(secret).at(now())})
    assert late.status_code == 302 and late.location == "/sign-in"


def test_an_administrator_removes_a_lost_second_factor(staff_app, now):
    app = staff_app()
    client = app.test_client()
    sign_in(client)
    enrol(client, now)
    admin = app.test_client()
    sign_in(admin, ACCOUNTS["admin"][0])
    done = admin.post(f"/accounts/{INSPECTOR}/two-factor", data={"reason": "Lost phone"})
    assert done.status_code == 302
    assert sign_in(app.test_client()).location == "/work"  # password alone again
    assert client.get("/account").status_code == 302  # their sessions ended


def test_the_requirement_reads_roles_from_the_environment():
    assert load_security({}).require_two_factor == ("moderator", "administrator")
    assert load_security({"LEDGER_REQUIRE_2FA_ROLES": "moderator,admin"}).require_two_factor == (
        "moderator",
        "administrator",
    )
    assert load_security({"LEDGER_REQUIRE_2FA_ROLES": ""}).require_two_factor == ()


def test_the_steps_of_signing_in_are_never_cached(staff_app):
    app = staff_app(REQUIRE_2FA_ROLES=("moderator",))
    client = app.test_client()
    sign_in(client, MODERATOR)
    page = client.get("/sign-in/two-factor")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"


def test_the_roles_named_in_the_environment_are_the_ones_required(tmp_path, clock, monkeypatch):
    from tests.web.conftest import make_app

    monkeypatch.setenv("LEDGER_REQUIRE_2FA_ROLES", "moderator,admin")
    app = make_app(f"sqlite:///{tmp_path / 'ledger.sqlite'}", clock)
    assert app.config["REQUIRE_2FA_ROLES"] == ("moderator", "administrator")
    app.extensions["ledger_services"].close()
