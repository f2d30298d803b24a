"""Work lists and the inspection schedule, read from the projections after real commands."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.action_plan import add_months
from domain.events import JudgmentInput
from projections.runner import ReadModels
from projections.schedule import schedule
from projections.worklists import council_work, disputes, inspectorate_work
from tests.scenarios import (
    ADMIN,
    BARKING,
    BARNET,
    CAMDEN,
    INADEQUATE,
    INSPECTOR,
    MODERATOR,
    register_councils,
)

AREAS = ("leaders", "help_and_protection", "children_in_care", "overall")


@pytest.fixture
def models(ledger, database_url):
    read_models = ReadModels(database_url)
    ledger.after_save.append(lambda: read_models.catch_up(ledger))
    register_councils(ledger)
    yield read_models
    read_models.close()


def imported(ledger, council: str, grade: str, starts: date, published: date) -> None:
    ledger.import_published(
        ADMIN, council, "standard", starts, published, [JudgmentInput(a, grade) for a in AREAS]
    )


def test_an_inspectorate_sees_its_inspections_in_progress_and_what_each_awaits(
    ledger, clock, models
):
    clock.advance_to(date(2026, 11, 2))
    first = ledger.schedule_inspection(INSPECTOR, BARKING, "standard", date(2026, 11, 16))
    ledger.schedule_inspection(
        INSPECTOR, BARNET, "focused_visit", date(2026, 11, 23), theme="Care leavers"
    )
    clock.advance_to(date(2026, 11, 16))
    ledger.start_on_site(INSPECTOR, first)
    with models.engine.connect() as conn:
        work = inspectorate_work(conn, "OFSTED", clock.day)
        other = inspectorate_work(conn, "CQC", clock.day)
    awaiting = {row["council"]: row["awaiting"] for row in work["inspections"]}
    assert awaiting == {BARKING: "findings and judgments", BARNET: "fieldwork from 2026-11-23"}
    assert other["inspections"] == []


def test_a_council_sees_its_draft_until_the_deadline_and_its_plan_and_actions_when_due(
    ledger, clock, models
):
    from tests.scenarios import tell_story

    story = tell_story(ledger, clock)
    with models.engine.connect() as conn:
        soon = council_work(conn, BARKING, date(2025, 5, 1))
        late = council_work(conn, BARKING, date(2025, 12, 1))
        camden = council_work(conn, CAMDEN, date(2026, 3, 2))
    assert [p["inspection_id"] for p in soon["action_plans"]] == [str(story.revised)]
    assert soon["actions"][0]["overdue"] is False and late["actions"][0]["overdue"] is True
    assert [c["id"] for c in soon["challenges"]] == [str(story.challenge_revised)]
    assert camden["action_plans"][0]["overdue"] is True  # never submitted
    assert soon["drafts"] == []


def test_the_disputes_trail_names_the_original_grade_each_step_and_the_grade_that_stands(
    ledger, clock, models
):
    from tests.scenarios import tell_story

    story = tell_story(ledger, clock)
    with models.engine.connect() as conn:
        trail = {d["id"]: d for d in disputes(conn)}
    revised = trail[str(story.challenge_revised)]
    assert (revised["original_grade"], revised["current_grade"]) == (
        INADEQUATE,
        "Requires improvement to be good",
    )
    assert [s["step"] for s in revised["steps"]] == [
        "lodged",
        "decided",
        "judgment revised",
        "judgment revised",
    ]
    assert revised["steps"][1]["deadline_met"] is True
    assert [s["step"] for s in trail[str(story.challenge_withdrawn)]["steps"]][
        -1
    ] == "report withdrawn"


def test_the_schedule_proposes_short_after_good_and_standard_with_monitoring_visits_after_inadequate(
    ledger, clock, models
):
    imported(ledger, BARNET, "Good", date(2022, 1, 10), date(2022, 3, 1))
    imported(ledger, BARKING, INADEQUATE, date(2022, 6, 13), date(2022, 8, 1))
    with models.engine.connect() as conn:
        rows = {r["council"]: r for r in schedule(conn, date(2023, 6, 1), ledger.policy)}
    barnet, barking, camden = rows[BARNET], rows[BARKING], rows[CAMDEN]
    assert (barnet["next_type"], barnet["due_from"], barnet["due_by"]) == (
        "short",
        date(2024, 9, 1),
        date(2025, 9, 1),
    )
    assert barnet["overdue"] is False
    assert barking["next_type"] == "standard" and barking["due_by"] == date(2024, 8, 1)
    [first] = barking["monitoring_visits"]  # none held since: the first is the one due
    assert first["held_on"] is None and first["overdue"] is True and barking["overdue"] is True
    assert camden["due_from"] is None and camden["monitoring_visits"] == []


def entry_of(models, ledger, council, today):
    with models.engine.connect() as conn:
        return next(r for r in schedule(conn, today, ledger.policy) if r["council"] == council)


def test_a_held_monitoring_visit_is_not_overdue_and_the_next_is_due_a_quarter_after_it(
    ledger, clock, models
):
    imported(ledger, BARKING, INADEQUATE, date(2022, 6, 13), date(2022, 8, 1))
    first_due = entry_of(models, ledger, BARKING, date(2023, 6, 1))["monitoring_visits"][0][
        "due_on"
    ]
    held_on = first_due + timedelta(days=50)  # late: the cycle runs on from the day it was held
    ledger.import_published(
        ADMIN, BARKING, "monitoring_visit", held_on, held_on + timedelta(days=30), []
    )
    barking = entry_of(models, ledger, BARKING, held_on + timedelta(days=40))
    assert barking["monitoring_visits"] == [
        {"due_on": first_due, "held": True, "held_on": held_on, "overdue": False},
        {"due_on": add_months(held_on, 3), "held": False, "held_on": None, "overdue": False},
    ]
    later = entry_of(models, ledger, BARKING, add_months(held_on, 3) + timedelta(days=1))
    assert later["monitoring_visits"][-1]["overdue"] is True


def test_a_monitoring_visit_arranged_or_a_reinspection_ahead_is_not_overdue(ledger, clock, models):
    imported(ledger, BARKING, INADEQUATE, date(2022, 6, 13), date(2022, 8, 1))
    clock.advance_to(date(2023, 6, 1))
    visit = ledger.schedule_inspection(
        INSPECTOR,
        BARKING,
        "monitoring_visit",
        date(2023, 6, 19),
        previous_grade=INADEQUATE,
        visits_since=("action_planning_visit",),  # the action-planning visit came first
    )
    assert entry_of(models, ledger, BARKING, clock.day)["monitoring_visits"][-1]["overdue"] is False
    ledger.cancel_inspection(MODERATOR, visit, "The council asked for a later date")
    assert entry_of(models, ledger, BARKING, clock.day)["monitoring_visits"][-1]["overdue"] is True
    ledger.schedule_inspection(
        INSPECTOR, BARKING, "standard", date(2023, 6, 26), previous_grade=INADEQUATE
    )
    assert entry_of(models, ledger, BARKING, clock.day)["monitoring_visits"] == []
