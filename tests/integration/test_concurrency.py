"""Optimistic concurrency: a stale or overtaken change writes nothing, on every backend."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from adapters.persistence import ledger_env
from domain.challenge import Challenge
from domain.errors import ConflictingChange, LifecycleError, StaleVersion
from domain.events import JudgmentInput
from domain.inspection import CANCELLED, ON_SITE, WITHDRAWN
from domain.services import Ledger

COUNCIL = "E09000002"
STARTS_ON = date(2026, 11, 16)


@pytest.fixture
def inspection_id(ledger, clock, admin, inspector):
    ledger.register_council(admin, COUNCIL, "Barking and Dagenham", {})
    clock.advance_to(date(2026, 11, 2))
    scheduled = ledger.schedule_inspection(inspector, COUNCIL, "standard", STARTS_ON)
    clock.advance_to(STARTS_ON)
    return scheduled


@pytest.fixture
def second_ledger(database_url):
    """Another clerk's Ledger on the same database; its clock is set by each test."""
    clerk = Ledger(env=ledger_env(database_url))
    yield clerk
    clerk.close()


class FirstClerkActs:
    """A clock for the second clerk: read after they load and before they save, it lets
    the first clerk run a whole command in between."""

    def __init__(self, today: date, command) -> None:
        self.today, self.command = today, command

    def __call__(self) -> date:
        command, self.command = self.command, None
        if command:
            command()
        return self.today


def names(ledger, aggregate_id) -> list[str]:
    return [type(e).__name__ for e in ledger.events_of(aggregate_id)]


def final_report(ledger, inspection_id, inspector, moderator, officer):
    """Take the inspection to its final report, the council closing its comments at once."""
    areas = ("leaders", "help_and_protection", "children_in_care", "care_leavers")
    ledger.start_on_site(inspector, inspection_id)
    ledger.record_judgments(inspector, inspection_id, [JudgmentInput(a, "Good") for a in areas])
    ledger.complete_judgments(inspector, inspection_id)
    ledger.issue_draft(inspector, inspection_id)
    ledger.comment_on_draft(officer, inspection_id, "", complete=True)
    ledger.issue_final_report(moderator, inspection_id)


def test_a_stale_expected_version_is_refused_and_writes_nothing(ledger, inspection_id, inspector):
    assert ledger.inspection(inspector, inspection_id).version == 1
    with pytest.raises(StaleVersion, match="version 1, you saw 0"):
        ledger.start_on_site(inspector, inspection_id, expected_version=0)
    assert names(ledger, inspection_id) == ["Scheduled"]
    ledger.start_on_site(inspector, inspection_id, expected_version=1)
    assert names(ledger, inspection_id) == ["Scheduled", "OnSiteStarted"]


def test_a_stale_version_is_also_a_conflicting_change(ledger, inspection_id, inspector, moderator):
    ledger.start_on_site(inspector, inspection_id)
    with pytest.raises(ConflictingChange):
        ledger.cancel_inspection(moderator, inspection_id, "Snow", expected_version=1)
    assert ledger.inspection(moderator, inspection_id).status == ON_SITE


def test_of_two_ledgers_saving_the_same_inspection_the_first_wins_and_the_second_writes_nothing(
    ledger, second_ledger, inspection_id, inspector, moderator
):
    second_ledger.today = FirstClerkActs(
        STARTS_ON, lambda: ledger.cancel_inspection(moderator, inspection_id, "Council in the news")
    )
    with pytest.raises(ConflictingChange, match="nothing was written"):
        second_ledger.start_on_site(inspector, inspection_id)
    assert names(ledger, inspection_id) == ["Scheduled", "Cancelled"]
    assert names(second_ledger, inspection_id) == ["Scheduled", "Cancelled"]
    # the loser reloads and now sees the winner's change
    assert second_ledger.inspection(inspector, inspection_id).status == CANCELLED
    with pytest.raises(LifecycleError, match="cancelled"):
        second_ledger.start_on_site(inspector, inspection_id)


def test_a_conflict_in_a_command_that_saves_two_aggregates_writes_neither(
    ledger, second_ledger, clock, inspection_id, inspector, moderator, officer
):
    final_report(ledger, inspection_id, inspector, moderator, officer)
    second_ledger.today = FirstClerkActs(
        clock(), lambda: ledger.withdraw_inspection(moderator, inspection_id, "Evidence unsound")
    )
    with pytest.raises(ConflictingChange):
        second_ledger.lodge_challenge(officer, inspection_id, "report", "", "Unfair", [])
    assert names(ledger, inspection_id)[-1] == "Withdrawn"
    assert list(ledger.events_of_type(Challenge.Lodged)) == []
    assert ledger.inspection(officer, inspection_id).status == WITHDRAWN


def test_two_clerks_who_both_loaded_before_either_saved_leave_exactly_one_change(
    ledger, second_ledger, inspection_id, inspector, moderator
):
    both_loaded = threading.Barrier(2, timeout=10)

    def clock_after_both_loaded() -> date:
        both_loaded.wait()  # the clock is read after loading and before saving
        return STARTS_ON

    ledger.today = second_ledger.today = clock_after_both_loaded
    commands = {  # both saw version 1
        "OnSiteStarted": lambda: ledger.start_on_site(inspector, inspection_id, 1),
        "Cancelled": lambda: second_ledger.cancel_inspection(moderator, inspection_id, "Snow", 1),
    }
    outcomes: dict[str, Exception | None] = {}

    def run(name: str) -> None:
        try:
            commands[name]()
            outcomes[name] = None
        except Exception as error:  # recorded for the assertions below
            outcomes[name] = error

    threads = [threading.Thread(target=run, args=(name,)) for name in commands]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    winners = [name for name, error in outcomes.items() if error is None]
    losers = [error for error in outcomes.values() if error is not None]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    assert isinstance(losers[0], ConflictingChange)
    assert names(ledger, inspection_id) == ["Scheduled", winners[0]]


# --- a cached copy that another process has overtaken -----------------------------------
# Each Ledger caches the aggregates it saved and takes them on trust for its next command
# (no read before the write). These tests make `ledger`'s cached copy stale by writing
# through `second_ledger`, as another web worker would.


def test_a_stale_cached_copy_refused_by_a_rule_is_decided_again_on_the_log(
    ledger, second_ledger, inspection_id, inspector
):
    second_ledger.today = ledger.today
    second_ledger.start_on_site(inspector, inspection_id)  # ledger's copy still says scheduled
    grades = [JudgmentInput(a, "Good") for a in ("leaders", "help_and_protection")]
    ledger.record_judgments(inspector, inspection_id, grades)
    assert names(ledger, inspection_id) == [
        "Scheduled",
        "OnSiteStarted",
        "JudgmentRecorded",
        "JudgmentRecorded",
    ]


def test_a_stale_cached_copy_that_collides_in_the_store_is_decided_again(
    ledger, second_ledger, inspection_id, inspector
):
    second_ledger.today = ledger.today
    ledger.start_on_site(inspector, inspection_id)
    second_ledger.record_finding(inspector, inspection_id, "OFSTED", "Thresholds are clear")
    ledger.record_finding(inspector, inspection_id, "OFSTED", "Supervision is regular")
    assert names(ledger, inspection_id) == [
        "Scheduled",
        "OnSiteStarted",
        "FindingRecorded",
        "FindingRecorded",
    ]
    summaries = [
        f["summary"] for f in ledger.inspection(inspector, inspection_id).findings.values()
    ]
    assert summaries == ["Thresholds are clear", "Supervision is regular"]


def test_a_stated_version_is_checked_against_the_log_not_a_stale_copy(
    ledger, second_ledger, inspection_id, inspector, moderator
):
    second_ledger.today = ledger.today
    second_ledger.start_on_site(inspector, inspection_id)  # version 2; ledger cached 1
    with pytest.raises(StaleVersion, match="version 2, you saw 1"):
        ledger.cancel_inspection(moderator, inspection_id, "Snow", expected_version=1)
    ledger.cancel_inspection(moderator, inspection_id, "Snow", expected_version=2)
    assert names(ledger, inspection_id) == ["Scheduled", "OnSiteStarted", "Cancelled"]


def test_a_refusal_is_decided_again_only_when_made_on_a_copy_taken_on_trust(
    ledger, inspection_id, inspector
):
    decided: list[date] = []
    ledger.today = lambda: decided.append(STARTS_ON) or STARTS_ON
    with pytest.raises(LifecycleError):
        ledger.issue_draft(inspector, inspection_id)  # scheduled: no draft yet
    assert len(decided) == 2  # on the cached copy, then on the log
    ledger.repository.cache.get(inspection_id, evict=True)
    decided.clear()
    with pytest.raises(LifecycleError):
        ledger.issue_draft(inspector, inspection_id)
    assert len(decided) == 1  # read from the log: its refusal stands
    assert names(ledger, inspection_id) == ["Scheduled"]


def test_a_command_on_a_cached_record_reads_nothing_before_it_writes(
    ledger, inspection_id, inspector, monkeypatch
):
    reads = []
    select_events = ledger.recorder.select_events
    monkeypatch.setattr(
        ledger.recorder, "select_events", lambda *a, **k: reads.append(a) or select_events(*a, **k)
    )
    ledger.start_on_site(inspector, inspection_id)
    ledger.record_finding(inspector, inspection_id, "OFSTED", "Thresholds are clear")
    assert reads == []
    assert names(ledger, inspection_id) == ["Scheduled", "OnSiteStarted", "FindingRecorded"]


def test_reads_see_what_another_process_wrote(ledger, second_ledger, inspection_id, inspector):
    assert ledger.inspection(inspector, inspection_id).status != ON_SITE  # now cached
    second_ledger.today = ledger.today
    second_ledger.start_on_site(inspector, inspection_id)
    assert ledger.inspection(inspector, inspection_id).status == ON_SITE
    assert ledger.aggregate(inspection_id).version == 2


def test_the_answer_after_a_change_is_the_state_it_saved_without_reading_the_log(
    ledger, second_ledger, inspection_id, inspector, monkeypatch
):
    reads = []
    select_events = ledger.recorder.select_events
    monkeypatch.setattr(
        ledger.recorder, "select_events", lambda *a, **k: reads.append(a) or select_events(*a, **k)
    )
    with ledger.correlated("request-1"):
        ledger.start_on_site(inspector, inspection_id)
        answered = ledger.aggregate(inspection_id)
    assert (answered.version, answered.status, reads) == (2, ON_SITE, [])
    second_ledger.today = ledger.today
    second_ledger.record_finding(inspector, inspection_id, "OFSTED", "Thresholds are clear")
    with ledger.correlated("request-2"):  # saved nothing: the log is asked
        assert ledger.aggregate(inspection_id).version == 3
    assert len(reads) == 1


def test_an_answer_outside_the_request_that_saved_it_reads_the_log(
    ledger, second_ledger, inspection_id, inspector
):
    with ledger.correlated("request-1"):
        ledger.start_on_site(inspector, inspection_id)
    second_ledger.today = ledger.today
    second_ledger.record_finding(inspector, inspection_id, "OFSTED", "Thresholds are clear")
    assert ledger.aggregate(inspection_id).version == 3
