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
    commands = {
        "OnSiteStarted": lambda: ledger.start_on_site(inspector, inspection_id),
        "Cancelled": lambda: second_ledger.cancel_inspection(moderator, inspection_id, "Snow"),
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
