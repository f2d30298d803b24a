"""Safe retries: the same POST sent many times at once is stored exactly once, on every backend."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

from tests.api.conftest import Api, schedule_body

ATTEMPTS = 8


def test_the_same_post_sent_concurrently_stores_exactly_one_event(
    api_on_every_backend: Api,
) -> None:
    api = api_on_every_backend
    start = Barrier(ATTEMPTS)
    headers = api.headers("inspector", Idempotency_Key="one-schedule")

    def send(_: int) -> tuple[int, dict]:
        client = api.app.test_client()
        start.wait()
        response = client.post("/api/v1/inspections", json=schedule_body(), headers=headers)
        return response.status_code, response.json

    with ThreadPoolExecutor(ATTEMPTS) as pool:
        answers = list(pool.map(send, range(ATTEMPTS)))

    assert {status for status, _ in answers} == {201}
    assert all(body == answers[0][1] for _, body in answers)
    assert len(api.ledger.events_of(answers[0][1]["id"])) == 1


def test_concurrent_retries_of_a_change_record_it_once(api_on_every_backend: Api) -> None:
    api = api_on_every_backend
    inspection = api.post("/inspections", schedule_body()).json["id"]
    start = Barrier(ATTEMPTS)
    headers = api.headers("moderator", Idempotency_Key="one-cancel", If_Match='"1"')

    def send(_: int) -> int:
        client = api.app.test_client()
        start.wait()
        path = f"/api/v1/inspections/{inspection}/cancellation"
        return client.post(path, json={"reason": "Duplicate booking"}, headers=headers).status_code

    with ThreadPoolExecutor(ATTEMPTS) as pool:
        statuses = list(pool.map(send, range(ATTEMPTS)))

    assert statuses == [200] * ATTEMPTS
    assert [type(e).__name__ for e in api.ledger.events_of(inspection)] == [
        "Scheduled",
        "Cancelled",
    ]
