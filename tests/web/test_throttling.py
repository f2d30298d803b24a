"""Throttling: failed sign-ins per account and per address, wrong API tokens, shared counters."""

from __future__ import annotations

import uuid

import pytest

from adapters.config import load_security
from tests.web.conftest import ACCOUNTS, PASSWORD

INSPECTOR = ACCOUNTS["inspector"][0]
TIGHT = {"LEDGER_SIGN_IN_LIMIT_PER_ACCOUNT": "3 per 15 minutes"}


def attempt(client, username=INSPECTOR, password="wrong-password", address="127.0.0.1"):
    return client.post(
        "/sign-in",
        data={"username": username, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def test_after_too_many_wrong_passwords_even_the_right_one_is_refused_until_the_window_ends(
    staff_app, now
):
    client = staff_app(SECURITY=load_security(TIGHT)).test_client()
    assert [attempt(client).status_code for _ in range(3)] == [400, 400, 400]
    refused = attempt(client, password=PASSWORD)
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 15 * 60
    assert "Too many attempts" in refused.text and "govuk-heading-l" in refused.text
    now.move(minutes=16)
    assert attempt(client, password=PASSWORD).status_code == 302


def test_the_account_limit_holds_whichever_address_the_attempts_come_from(staff_app):
    client = staff_app(SECURITY=load_security(TIGHT)).test_client()
    for n in range(3):
        assert attempt(client, address=f"198.51.100.{n}").status_code == 400
    assert attempt(client, password=PASSWORD, address="198.51.100.9").status_code == 429
    other = ACCOUNTS["auditor"][0]  # another account is not held up
    assert attempt(client, other, PASSWORD, address="198.51.100.9").status_code == 302


def test_an_unknown_username_is_throttled_like_a_real_one(staff_app):
    client = staff_app(SECURITY=load_security(TIGHT)).test_client()
    codes = [attempt(client, "no.such.person").status_code for _ in range(4)]
    assert codes == [400, 400, 400, 429]


def test_one_address_trying_many_accounts_is_limited_per_address(staff_app):
    settings = load_security({"LEDGER_SIGN_IN_LIMIT_PER_ADDRESS": "5 per hour"})
    client = staff_app(SECURITY=settings).test_client()
    codes = [attempt(client, f"guess.{n}").status_code for n in range(6)]
    assert codes == [400] * 5 + [429]
    assert attempt(client, INSPECTOR, PASSWORD, address="192.0.2.7").status_code == 302


def test_successful_sign_ins_are_not_counted(staff_app):
    client = staff_app(SECURITY=load_security(TIGHT)).test_client()
    for _ in range(5):
        assert attempt(client, password=PASSWORD).status_code == 302


def test_the_limits_are_shared_by_every_worker_through_the_database(staff_app):
    first, second = (staff_app(SECURITY=load_security(TIGHT)).test_client() for _ in range(2))
    attempt(first), attempt(second), attempt(first)
    assert attempt(second, password=PASSWORD).status_code == 429


def test_wrong_api_tokens_from_one_address_get_a_429_problem(staff_app):
    settings = load_security({"LEDGER_SIGN_IN_LIMIT_PER_ADDRESS": "3 per hour"})
    client = staff_app(SECURITY=settings).test_client()
    headers = {"Authorization": "Bearer ledger_not-a-token"}
    codes = [client.get("/api/v1/ratings", headers=headers).status_code for _ in range(4)]
    assert codes == [401, 401, 401, 429]
    refused = client.get("/api/v1/ratings", headers=headers)
    assert refused.mimetype == "application/problem+json"
    assert refused.json["rule"] == "too-many-attempts" and int(refused.headers["Retry-After"]) > 0


@pytest.fixture
def redis_url():
    """Redis on 127.0.0.1:6379 with a key prefix of this test's own, removed afterwards."""
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url("redis://127.0.0.1:6379")
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis answers on 127.0.0.1:6379")
    prefix = f"ledger-test-{uuid.uuid4().hex}"
    yield "redis://127.0.0.1:6379", prefix
    keys = list(client.scan_iter(f"*{prefix}*"))
    if keys:
        client.delete(*keys)
    client.close()


def test_with_redis_configured_the_limits_are_shared_there(staff_app, redis_url):
    import redis

    url, prefix = redis_url
    settings = load_security(TIGHT | {"LEDGER_RATE_LIMIT_STORAGE": url})
    first, second = (
        staff_app(SECURITY=settings, RATELIMIT_KEY_PREFIX=prefix).test_client() for _ in range(2)
    )
    attempt(first), attempt(second), attempt(first)
    refused = attempt(second, password=PASSWORD)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert list(redis.Redis.from_url(url).scan_iter(f"*{prefix}*"))  # counted in Redis


def test_wrong_current_passwords_when_changing_one_are_throttled_like_sign_in(staff_app):
    client = staff_app(SECURITY=load_security(TIGHT)).test_client()
    assert attempt(client, password=PASSWORD).status_code == 302
    new = "a-long-new-passphrase-here"
    wrong = {"current": "not-my-password", "password": new, "confirm": new}
    codes = [client.post("/account/password", data=wrong).status_code for _ in range(4)]
    assert codes == [400, 400, 400, 429]
    right = wrong | {"current": PASSWORD}
    assert client.post("/account/password", data=right).status_code == 429  # until the window ends
