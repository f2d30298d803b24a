"""The accounts API: administrators only; problem+json refusals naming the field; each change
in the log with its reason; a temporary password in the answer that made it, never in a replay."""

from __future__ import annotations

from domain.account import Account, account_id
from tests.api.conftest import ACCOUNTS, Api

NEW = {
    "username": "jo.smith",
    "display_name": "Jo Smith",
    "role": "inspector",
    "organisation": "OFSTED",
    "email": "jo.smith@ofsted.gov.uk",
    "reason": "New starter",
}
INSPECTOR = ACCOUNTS["inspector"][0]


def test_an_administrator_creates_an_account_and_gets_its_temporary_password_once(api: Api):
    created = api.post("/accounts", NEW, role="admin", key="create-jo")
    assert created.status_code == 201, created.json
    assert created.headers["Location"] == "/api/v1/accounts/jo.smith"
    assert created.headers["ETag"] == '"1"'
    body = created.json
    assert body["role"] == "inspector" and body["must_change_password"] is True
    password = body["temporary_password"]
    assert api.app.extensions["identity"].authenticate("jo.smith", password) is not None
    replay = api.post("/accounts", NEW, role="admin", key="create-jo")
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert replay.status_code == 201 and "temporary_password" not in replay.json
    with api.app.extensions["api_idempotency"].engine.connect() as conn:
        kept = " ".join(str(r) for r in conn.exec_driver_sql("SELECT * FROM api_idempotency_keys"))
    assert password not in kept


def test_only_administrators_may_use_the_accounts_api(api: Api):
    for role in ("inspector", "moderator", "auditor", "officer"):
        assert api.get("/accounts", role=role).status_code == 403
        refused = api.post("/accounts", NEW, role=role)
        assert refused.status_code == 403
        assert refused.headers["Content-Type"] == "application/problem+json"
        assert refused.json["rule"] == "permission-denied"


def test_a_bad_field_is_a_422_problem_naming_it_and_nothing_is_stored(api: Api):
    refused = api.post("/accounts", NEW | {"email": "jo", "reason": ""}, role="admin")
    assert refused.status_code == 422
    fields = {e["field"] for e in refused.json["errors"]}
    assert "reason" in fields
    bad_email = api.post("/accounts", NEW | {"email": "jo@nowhere"}, role="admin")
    assert bad_email.status_code == 422 and "email address" in bad_email.json["detail"]
    wrong_place = api.post("/accounts", NEW | {"organisation": "AUDIT"}, role="admin")
    assert wrong_place.status_code == 422
    assert api.get("/accounts/jo.smith", role="admin").status_code == 404
    assert not api.ledger.exists(account_id("jo.smith"))


def test_the_list_gives_every_account_with_its_last_sign_in(api: Api):
    listed = api.get("/accounts", role="admin")
    assert listed.status_code == 200
    names = {a["username"] for a in listed.json["items"]}
    assert names == {u for u, _, _ in ACCOUNTS.values()}
    assert all(a["last_sign_in"] is None for a in listed.json["items"])


def test_disabling_refuses_the_accounts_tokens_and_is_recorded_with_its_reason(api: Api):
    assert api.get("/ratings", role="inspector").status_code == 200
    tag = api.get(f"/accounts/{INSPECTOR}", role="admin").headers["ETag"]
    assert tag == '"0"'  # not in the log yet: taken into it with its first change
    done = api.post(f"/accounts/{INSPECTOR}/disable", {"reason": "Left"}, "admin", if_match=tag)
    assert done.status_code == 200 and done.json["disabled"] is True
    assert api.get("/ratings", role="inspector").status_code == 401
    events = api.ledger.events_of(account_id(INSPECTOR))
    assert isinstance(events[-1], Account.Disabled) and events[-1].reason == "Left"
    assert events[-1].actor.user == ACCOUNTS["admin"][0]
    stale = api.post(f"/accounts/{INSPECTOR}/enable", {"reason": "Back"}, "admin", if_match=tag)
    assert stale.status_code == 412
    again = api.post(f"/accounts/{INSPECTOR}/enable", {"reason": "Back"}, "admin", if_match="*")
    assert again.status_code == 200 and again.json["disabled"] is False


def test_a_password_reset_answers_a_temporary_password_and_needs_if_match(api: Api):
    assert (
        api.post(f"/accounts/{INSPECTOR}/password-reset", {"reason": "x"}, "admin").status_code
        == 428
    )
    reset = api.post(f"/accounts/{INSPECTOR}/password-reset", {"reason": "Forgot"}, "admin", "*")
    assert reset.status_code == 200
    account = api.app.extensions["identity"].authenticate(
        INSPECTOR, reset.json["temporary_password"]
    )
    assert account is not None and account.must_change_password


def test_changing_a_role_and_refusals_by_rule(api: Api):
    path = f"/accounts/{INSPECTOR}/role"
    body = {"role": "moderator", "organisation": "OFSTED", "reason": "Promoted"}
    assert api.post(path, body, "admin", "*").json["role"] == "moderator"
    same = api.post(path, body, "admin", "*")
    assert same.status_code == 422 and "already" in same.json["detail"]
    own = api.post(f"/accounts/{ACCOUNTS['admin'][0]}/disable", {"reason": "x"}, "admin", "*")
    assert own.status_code == 403 and "own account" in own.json["detail"]
    none = api.post("/accounts/nobody/disable", {"reason": "x"}, "admin", "*")
    assert none.status_code == 404
    lost = api.post(f"/accounts/{INSPECTOR}/two-factor-removal", {"reason": "x"}, "admin", "*")
    assert lost.status_code == 409 and lost.json["rule"] == "lifecycle"


def test_a_username_no_account_could_have_is_absent_not_an_error(api: Api):
    for name in ("nul%00name", "x" * 101, "%ED%A0%80"):
        assert api.get(f"/accounts/{name}", role="admin").status_code == 404
        refused = api.post(f"/accounts/{name}/disable", {"reason": "x"}, "admin", "*")
        assert refused.status_code == 404
