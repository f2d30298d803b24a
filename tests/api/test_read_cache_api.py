"""Cached reads: answered again while the tables they read are unchanged, never once they change."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import event

from adapters.persistence import shared_engine
from domain.events import JudgmentInput
from domain.frameworks import framework_for
from tests.api.conftest import Api
from tests.conftest import Clock
from tests.scenarios import (
    ADMIN,
    BARKING,
    BARNET,
    GOOD,
    INADEQUATE,
    INSPECTOR,
    MODERATOR,
    RI,
    ilacs_2023,
    officer,
    publish_after_window,
)
from web.api import councils, reports

CURRENT, AS_OF = "/ratings?region=London", "/ratings?as_of=2024-06-01"
HISTORY = f"/councils/{BARKING}/history"
AREAS = ("leaders", "help_and_protection", "children_in_care", "overall")


@pytest.fixture
def queries(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Count how often the ratings and the history are computed behind the API."""
    counts: Counter[str] = Counter()

    def counted(name: str, query: Any) -> Any:
        def counting(*args: Any, **kwargs: Any) -> Any:
            counts[name] += 1
            return query(*args, **kwargs)

        return counting

    for module, name in ((reports, "rating_rows"), (councils, "rating_history")):
        monkeypatch.setattr(module, name, counted(name, getattr(module, name)))
    return counts


def publish(api: Api, council: str, starts_on: date, judgments: list[JudgmentInput]) -> None:
    """Record a published report; the read models catch up before this returns."""
    api.ledger.import_published(
        ADMIN, council, "standard", starts_on, starts_on + timedelta(days=42), judgments
    )


@pytest.fixture
def rated(api: Api) -> Api:
    """Barking rated Requires improvement in 2019."""
    publish(api, BARKING, date(2019, 2, 18), [JudgmentInput(a, RI) for a in AREAS])
    return api


def overall(response: Any) -> dict[str, str]:
    return {r["council"]: r["overall"] for r in response.json["items"]}


def test_a_repeated_read_is_answered_from_the_cache_without_computing_it_again(
    rated: Api, queries: Counter[str]
) -> None:
    for path in (CURRENT, AS_OF, HISTORY):
        first, again = rated.get(path), rated.get(path)

        assert first.headers["X-Cache"] == "miss" and again.headers["X-Cache"] == "hit"
        assert again.status_code == 200 and again.data == first.data
    assert queries == {"rating_rows": 2, "rating_history": 1}


def test_a_cached_page_keeps_its_headers_and_gets_its_own_request_id(rated: Api) -> None:
    publish(rated, BARNET, date(2019, 5, 13), [JudgmentInput(a, GOOD) for a in AREAS])
    first, again = rated.get("/ratings?limit=1"), rated.get("/ratings?limit=1")

    assert again.headers["X-Cache"] == "hit"
    assert again.headers["Link"] == first.headers["Link"] and 'rel="next"' in first.headers["Link"]
    assert again.headers["Content-Type"] == first.headers["Content-Type"] == "application/json"
    assert again.headers["X-Request-ID"] != first.headers["X-Request-ID"]


def test_cached_ratings_and_history_show_a_new_report_at_once(rated: Api) -> None:
    before = [rated.get(path) for path in (CURRENT, AS_OF, HISTORY)]
    assert overall(before[0]) == overall(before[1]) == {BARKING: RI}

    publish(rated, BARKING, date(2024, 1, 15), ilacs_2023(GOOD, GOOD, GOOD, GOOD, GOOD))
    current, as_of, history = (rated.get(path) for path in (CURRENT, AS_OF, HISTORY))

    assert overall(current) == overall(as_of) == {BARKING: GOOD}
    assert len(history.json["items"]) == len(before[2].json["items"]) + 5
    assert {r.headers["X-Cache"] for r in (current, as_of, history)} == {"miss"}


def test_cached_ratings_show_a_new_report_at_once_on_every_backend(
    api_on_every_backend: Api,
) -> None:
    api = api_on_every_backend
    assert overall(api.get(CURRENT)) == {}

    publish(api, BARNET, date(2019, 5, 13), [JudgmentInput(a, INADEQUATE) for a in AREAS])

    assert overall(api.get(CURRENT)) == {BARNET: INADEQUATE}
    assert api.get(CURRENT).headers["X-Cache"] == "hit"


def test_a_cached_answer_costs_one_statement_the_token_check_with_the_stamps(
    api_on_every_backend: Api,
) -> None:
    api = api_on_every_backend
    statements: list[str] = []

    def note(_: Any, __: Any, statement: str, *___: Any) -> None:
        statements.append(statement)

    engine = shared_engine(api.app.config["DATABASE_URL"])
    assert api.get(HISTORY).headers["X-Cache"] == "miss"
    event.listen(engine, "before_cursor_execute", note)
    try:
        hit = api.get(HISTORY)
        hit_statements = list(statements)
        unknown = api.get(HISTORY, role=None, Authorization="Bearer ledger_unknown")
    finally:
        event.remove(engine, "before_cursor_execute", note)

    assert hit.headers["X-Cache"] == "hit" and len(hit_statements) == 1
    assert "rm_changes" in hit_statements[0] and "ledger_api_tokens" in hit_statements[0]
    assert unknown.status_code == 401  # the same query finds no account for a wrong token


def test_cached_ratings_leave_out_a_council_as_soon_as_it_is_abolished(rated: Api) -> None:
    assert overall(rated.get(CURRENT)) == {BARKING: RI}

    rated.ledger.abolish_council(ADMIN, BARKING, date(2026, 4, 1), [BARNET])

    assert overall(rated.get(CURRENT)) == {}


def test_a_finding_recorded_keeps_every_cached_answer(
    rated: Api, clock: Clock, queries: Counter[str]
) -> None:
    inspection = rated.ledger.schedule_inspection(INSPECTOR, BARNET, "standard", date(2026, 11, 9))
    clock.advance_to(date(2026, 11, 9))
    rated.ledger.start_on_site(INSPECTOR, inspection)
    first = [rated.get(path) for path in (CURRENT, AS_OF, HISTORY)]

    rated.ledger.record_finding(INSPECTOR, inspection, "OFSTED", "Supervision is irregular")
    again = [rated.get(path) for path in (CURRENT, AS_OF, HISTORY)]

    assert [r.headers["X-Cache"] for r in again] == ["hit", "hit", "hit"]
    assert [r.data for r in again] == [r.data for r in first]
    assert queries == {"rating_rows": 2, "rating_history": 1}


def test_judging_an_inspection_keeps_the_cached_history_until_its_report_is_published(
    api_on_every_backend: Api, clock: Clock, queries: Counter[str]
) -> None:
    api, starts = api_on_every_backend, date(2026, 11, 9)
    framework = framework_for("standard", starts)
    judged = [JudgmentInput(a.key, framework.scale.grades[0]) for a in framework.areas]
    publish(api, BARKING, date(2019, 2, 18), [JudgmentInput(a, RI) for a in AREAS])
    inspection = api.ledger.schedule_inspection(INSPECTOR, BARKING, "standard", starts)
    clock.advance_to(starts)
    api.ledger.start_on_site(INSPECTOR, inspection)
    first = api.get(HISTORY)

    api.ledger.record_judgments(INSPECTOR, inspection, judged)
    unpublished = api.get(HISTORY)
    api.ledger.complete_judgments(INSPECTOR, inspection)
    clock.advance_to(date(2026, 11, 30))
    api.ledger.issue_draft(INSPECTOR, inspection)
    api.ledger.comment_on_draft(officer(BARKING), inspection, "No comments", complete=True)
    api.ledger.issue_final_report(MODERATOR, inspection)
    publish_after_window(api.ledger, clock, inspection)
    published = api.get(HISTORY)

    assert unpublished.headers["X-Cache"] == "hit" and unpublished.data == first.data
    assert published.headers["X-Cache"] == "miss"
    assert len(published.json["items"]) == len(first.json["items"]) + len(judged)
    assert queries["rating_history"] == 2


def test_scheduling_recomputes_ratings_as_of_a_date_but_not_current_ratings(
    rated: Api, queries: Counter[str]
) -> None:
    rated.get(CURRENT), rated.get(AS_OF)

    rated.ledger.schedule_inspection(INSPECTOR, BARNET, "standard", date(2026, 11, 9))

    assert rated.get(CURRENT).headers["X-Cache"] == "hit"  # publications are not read for it
    assert rated.get(AS_OF).headers["X-Cache"] == "miss"
    assert queries["rating_rows"] == 3


def test_callers_never_share_a_cached_answer(rated: Api, queries: Counter[str]) -> None:
    callers = ("auditor", "officer", "other_officer", "inspector")
    first = {role: rated.get(CURRENT, role=role) for role in callers}
    again = {role: rated.get(CURRENT, role=role) for role in callers}

    assert {r.headers["X-Cache"] for r in first.values()} == {"miss"}
    assert {r.headers["X-Cache"] for r in again.values()} == {"hit"}
    assert queries["rating_rows"] == len(callers)


def test_a_dropped_and_rebuilt_read_model_is_never_answered_from_the_cache(rated: Api) -> None:
    read_models = rated.app.extensions["ledger_services"].read_models
    assert overall(rated.get(CURRENT)) == {BARKING: RI}

    read_models.projections["ratings"].view.drop()
    assert overall(rated.get(CURRENT)) == {}

    read_models.catch_up(rated.ledger)
    assert overall(rated.get(CURRENT)) == {BARKING: RI}
    read_models.rebuild(rated.ledger)
    assert rated.get(CURRENT).headers["X-Cache"] == "miss"


def test_only_successful_answers_are_cached(api: Api) -> None:
    path = "/councils/E09000999/history"
    assert [api.get(path).status_code for _ in range(2)] == [404, 404]
    assert "X-Cache" not in api.get(path).headers

    api.ledger.register_council(ADMIN, "E09000999", "Newham", {"region_name": "London"})

    assert api.get(path).status_code == 200


@pytest.fixture
def small_cache(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> Api:
    """The API with room for two answers (LEDGER_API_CACHE_SIZE=2)."""
    monkeypatch.setenv("LEDGER_API_CACHE_SIZE", "2")
    found: Api = request.getfixturevalue("rated")
    return found


def test_the_cache_forgets_the_least_recently_used_answer_first(small_cache: Api) -> None:
    a, b, c = (f"/ratings?limit={n}" for n in (1, 2, 3))
    small_cache.get(a), small_cache.get(b), small_cache.get(a), small_cache.get(c)

    assert small_cache.get(a).headers["X-Cache"] == "hit"
    assert small_cache.get(b).headers["X-Cache"] == "miss"


@pytest.fixture
def uncached(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> Api:
    """The API with the cache turned off (LEDGER_API_CACHE_SIZE=0)."""
    monkeypatch.setenv("LEDGER_API_CACHE_SIZE", "0")
    found: Api = request.getfixturevalue("rated")
    return found


def test_a_cache_size_of_zero_turns_the_cache_off(uncached: Api, queries: Counter[str]) -> None:
    answers = [uncached.get(path) for path in (CURRENT, CURRENT, HISTORY, HISTORY)]

    assert queries == {"rating_rows": 2, "rating_history": 2}
    assert not any("X-Cache" in r.headers for r in answers)
    assert overall(answers[1]) == {BARKING: RI}
