"""The Inspection aggregate's lifecycle, step by step, with no database."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.errors import (
    DeadlinePassed,
    InvalidInput,
    JudgmentsIncomplete,
    LifecycleError,
    NoticeTooShort,
    PublicationWithheld,
)
from domain.events import Narrative
from domain.frameworks import framework_for
from domain.inspection import (
    CANCELLED,
    DRAFT_ISSUED,
    FINAL_ISSUED,
    JUDGMENTS_MADE,
    ON_SITE,
    PUBLISHED,
    SCHEDULED,
    WITHDRAWN,
    Inspection,
)
from domain.policy import DEFAULT_POLICY
from domain.working_days import add_working_days
from tests.unit.builders import (
    COUNCIL,
    INSPECTOR,
    LATE,
    MODERATOR,
    OFFICER,
    STAGES,
    STARTS_2022,
    STARTS_2025,
    STEPS,
    cases,
    every_area,
    inspection_at,
    new_events,
    next_working_day,
    scheduled,
)


def test_scheduling_records_who_scheduled_what_and_when_notice_is_due():
    inspection = scheduled(date(2025, 3, 5))
    [event] = inspection.collect_events()
    assert type(event).__name__ == "Scheduled"
    assert event.actor == INSPECTOR
    assert (event.council, event.type, event.framework) == (COUNCIL, "standard", "ilacs_2023")
    assert event.notice_on == date(2025, 2, 24)  # the Monday of the week before
    assert inspection.status == SCHEDULED and inspection.agencies == ["OFSTED"]


LAST_EVENTS = ("OnSiteStarted", "JudgmentsMade", "DraftIssued", "FinalReportIssued", "Published")


STEPS_AND_EVENTS = list(zip(STAGES[1:], LAST_EVENTS, strict=True))


@pytest.mark.parametrize(("stage", "last_event"), STEPS_AND_EVENTS, ids=STAGES[1:])
def test_each_step_of_the_lifecycle_records_its_event_and_moves_the_status(stage, last_event):
    inspection = inspection_at(STAGES[STAGES.index(stage) - 1])
    STEPS[stage](inspection, "Good")
    events = inspection.collect_events()
    assert type(events[-1]).__name__ == last_event
    assert inspection.status == stage
    assert all(e.actor in (INSPECTOR, MODERATOR) for e in events)
    assert events[-1].originator_version == inspection.version


FINDING = Narrative()
# fmt: off
OUT_OF_ORDER = cases(
    ("no finding before fieldwork starts", SCHEDULED,
     lambda i: i.record_finding(INSPECTOR, "OFSTED", "x", FINDING)),
    ("no judgment before fieldwork starts", SCHEDULED,
     lambda i: i.record_judgments(INSPECTOR, every_area("ilacs_2023"))),
    ("fieldwork starts once", ON_SITE, lambda i: i.start_on_site(INSPECTOR, LATE)),
    ("no draft before the judgments are complete", ON_SITE,
     lambda i: i.issue_draft(INSPECTOR, LATE, DEFAULT_POLICY)),
    ("no comment before the draft", JUDGMENTS_MADE,
     lambda i: i.comment_on_draft(OFFICER, "x", LATE)),
    ("no final report before the draft", JUDGMENTS_MADE,
     lambda i: i.issue_final_report(MODERATOR, LATE, DEFAULT_POLICY)),
    ("no publication on site", ON_SITE, lambda i: i.publish(MODERATOR, LATE)),
    ("no publication before the final report", DRAFT_ISSUED, lambda i: i.publish(MODERATOR, LATE)),
    ("no finding after the final report", FINAL_ISSUED,
     lambda i: i.record_finding(INSPECTOR, "OFSTED", "x", FINDING)),
    ("publication happens once", PUBLISHED, lambda i: i.publish(MODERATOR, LATE)),
    ("a published inspection is not cancelled", PUBLISHED,
     lambda i: i.cancel(MODERATOR, "x", LATE)),
    ("no challenge before the final report", SCHEDULED, lambda i: i.open_challenge(OFFICER, "c1")),
)
# fmt: on


@pytest.mark.parametrize(("stage", "command"), OUT_OF_ORDER)
def test_a_step_taken_out_of_order_is_refused(stage, command):
    inspection = inspection_at(stage)
    with pytest.raises(LifecycleError, match=f"the inspection is {stage}$"):
        command(inspection)
    assert inspection.collect_events() == []


def cancelled() -> Inspection:
    inspection = inspection_at(ON_SITE)
    inspection.cancel(MODERATOR, "Snow", LATE)
    return inspection


# fmt: off
REFUSED = cases(
    ("fieldwork before the start date", lambda: inspection_at(SCHEDULED),
     lambda i: i.start_on_site(INSPECTOR, date(2025, 2, 28)), LifecycleError, "before 2025-03-03"),
    ("a finding without a summary", lambda: inspection_at(ON_SITE),
     lambda i: i.record_finding(INSPECTOR, "OFSTED", " ", FINDING), InvalidInput, "summary"),
    ("priority action outside a focused visit", lambda: inspection_at(ON_SITE),
     lambda i: i.record_finding(INSPECTOR, "OFSTED", "x", FINDING, True), InvalidInput,
     "Only a focused visit"),
    ("an empty factual accuracy comment", lambda: inspection_at(DRAFT_ISSUED),
     lambda i: i.comment_on_draft(OFFICER, "  ", i.draft_issued_on), InvalidInput, "empty"),
    ("cancelling without a reason", lambda: inspection_at(ON_SITE),
     lambda i: i.cancel(MODERATOR, "  ", LATE), InvalidInput, "Give a reason"),
    ("withdrawing without a reason", lambda: inspection_at(FINAL_ISSUED),
     lambda i: i.withdraw(MODERATOR, "  ", LATE), InvalidInput, "Give a reason"),
    ("ending a cancelled inspection again", cancelled,
     lambda i: i.withdraw(MODERATOR, "Again", LATE), LifecycleError, "the inspection is cancelled"),
)
# fmt: on


@pytest.mark.parametrize(("build", "command", "error", "mention"), REFUSED)
def test_a_step_without_what_it_needs_is_refused(build, command, error, mention):
    inspection = build()
    inspection.collect_events()
    with pytest.raises(error, match=mention):
        command(inspection)
    assert inspection.collect_events() == []


def test_judgments_may_be_given_in_parts_on_site_but_completion_needs_every_area():
    inspection = inspection_at(ON_SITE)
    inspection.record_judgments(INSPECTOR, every_area("ilacs_2023")[:2])
    assert new_events(inspection) == ["JudgmentRecorded", "JudgmentRecorded"]
    with pytest.raises(JudgmentsIncomplete, match="care leavers; Overall effectiveness"):
        inspection.complete_judgments(INSPECTOR, LATE)
    assert inspection.status == ON_SITE


def test_a_focused_visit_makes_no_graded_judgments_but_may_name_priority_actions():
    inspection = inspection_at(ON_SITE, type_key="focused_visit")
    with pytest.raises(InvalidInput, match="focused visit has no grades"):
        inspection.record_judgments(INSPECTOR, every_area("ilacs_2023"))
    inspection.record_finding(INSPECTOR, "OFSTED", "Delay in strategy meetings", Narrative(), True)
    inspection.complete_judgments(INSPECTOR, LATE)
    assert new_events(inspection) == ["FindingRecorded", "JudgmentsMade"]
    assert inspection.findings["F1"]["priority_action"] is True


def test_the_draft_gives_the_council_until_the_end_of_the_fifth_working_day():
    inspection = inspection_at(JUDGMENTS_MADE)
    inspection.issue_draft(INSPECTOR, date(2025, 4, 7), DEFAULT_POLICY)
    assert inspection.comments_due == date(2025, 4, 14)
    inspection.comment_on_draft(OFFICER, "  Page 4 names the wrong service ", date(2025, 4, 14))
    [event] = inspection.collect_events()[1:]
    assert (event.comment, event.actor) == ("Page 4 names the wrong service", OFFICER)
    assert not event.complete


def test_a_comment_after_the_factual_accuracy_deadline_is_refused():
    inspection = inspection_at(DRAFT_ISSUED)
    with pytest.raises(DeadlinePassed, match=f"closed at the end of {inspection.comments_due}"):
        inspection.comment_on_draft(OFFICER, "Too late", next_working_day(inspection.comments_due))


def test_no_comment_follows_the_council_saying_its_comments_are_complete():
    inspection = inspection_at(DRAFT_ISSUED)
    inspection.comment_on_draft(OFFICER, "Last one", inspection.draft_issued_on, complete=True)
    with pytest.raises(LifecycleError, match="already said its comments are complete"):
        inspection.comment_on_draft(OFFICER, "Another", inspection.draft_issued_on)


def test_the_final_report_waits_for_the_factual_accuracy_period_to_end():
    inspection = inspection_at(DRAFT_ISSUED)
    with pytest.raises(LifecycleError, match=f"comment until the end of {inspection.comments_due}"):
        inspection.issue_final_report(MODERATOR, inspection.comments_due, DEFAULT_POLICY)
    STEPS[FINAL_ISSUED](inspection, "Good")
    assert inspection.status == FINAL_ISSUED


def test_the_final_report_may_come_early_once_the_council_says_its_comments_are_complete():
    inspection = inspection_at(DRAFT_ISSUED)
    inspection.comment_on_draft(OFFICER, "", inspection.draft_issued_on, complete=True)
    inspection.issue_final_report(MODERATOR, inspection.draft_issued_on, DEFAULT_POLICY)
    assert new_events(inspection) == ["FactualAccuracyCommented", "FinalReportIssued"]


ERAS = cases(
    ("from 2023 two working days and withheld", STARTS_2025, "from 2023", 2, True),
    ("before 2023 ten working days", STARTS_2022, "before 2023", 10, False),
)


@pytest.mark.parametrize(("starts_on", "era", "days", "withheld"), ERAS)
def test_the_final_report_opens_the_challenge_window_of_its_era(starts_on, era, days, withheld):
    inspection = inspection_at(DRAFT_ISSUED, starts_on)
    STEPS[FINAL_ISSUED](inspection, "Good")
    [event] = inspection.collect_events()
    assert (event.era, event.withholds_publication) == (era, withheld)
    assert event.challenge_window_ends == add_working_days(event.on, days)
    assert inspection.withholds_publication is withheld


def test_publication_is_withheld_from_2023_until_the_challenge_window_closes():
    inspection = inspection_at(FINAL_ISSUED)
    last_day = inspection.challenge_window_ends
    with pytest.raises(PublicationWithheld, match=f"until the end of {last_day}"):
        inspection.publish(MODERATOR, last_day)
    day_after = next_working_day(last_day)
    inspection.publish(MODERATOR, day_after)
    assert (inspection.status, inspection.published_on) == (PUBLISHED, day_after)


def test_publication_is_withheld_from_2023_while_a_challenge_is_open():
    inspection = inspection_at(FINAL_ISSUED)
    inspection.open_challenge(OFFICER, "c1")
    with pytest.raises(PublicationWithheld, match="open challenge"):
        inspection.publish(MODERATOR, LATE)
    inspection.resolve_challenge(MODERATOR, "c1", "not upheld")
    inspection.publish(MODERATOR, LATE)
    assert new_events(inspection) == ["ChallengeOpened", "ChallengeResolved", "Published"]


def test_before_2023_a_report_is_published_at_once_even_with_a_challenge_open():
    inspection = inspection_at(FINAL_ISSUED, STARTS_2022)
    inspection.open_challenge(OFFICER, "c1")
    inspection.publish(MODERATOR, inspection.final_report_on)
    assert inspection.status == PUBLISHED


@pytest.mark.parametrize("stage", STAGES[:-1], ids=lambda s: f"when {s}")
def test_an_unpublished_inspection_can_be_cancelled_with_a_reason(stage):
    inspection = inspection_at(stage)
    inspection.cancel(MODERATOR, "  Council in the news ", LATE)
    [event] = inspection.collect_events()
    assert (type(event).__name__, event.on, event.actor) == ("Cancelled", LATE, MODERATOR)
    assert (inspection.status, inspection.ended_reason) == (CANCELLED, "Council in the news")


def test_an_unpublished_report_can_be_withdrawn_with_a_reason():
    inspection = inspection_at(FINAL_ISSUED)
    inspection.withdraw(MODERATOR, "Evidence base unsound", LATE)
    assert (inspection.status, inspection.ended_reason) == (WITHDRAWN, "Evidence base unsound")


def test_a_published_report_is_withdrawn_only_by_an_upheld_challenge():
    inspection = inspection_at(PUBLISHED, STARTS_2022)
    with pytest.raises(LifecycleError, match="only by an upheld challenge"):
        inspection.withdraw(MODERATOR, "Second thoughts", LATE)
    inspection.withdraw(MODERATOR, "Challenge upheld", LATE, challenge_id="c1")
    [event] = inspection.collect_events()
    assert (event.challenge_id, inspection.status) == ("c1", WITHDRAWN)


# fmt: off
NOTICE = cases(
    ("focused visit 5 working days", "focused_visit", date(2026, 11, 16), date(2026, 11, 9)),
    ("focused visit 5 working days across Christmas", "focused_visit", date(2026, 12, 29),
     date(2026, 12, 18)),
    ("JTAI 10 working days", "jtai", date(2026, 11, 16), date(2026, 11, 2)),
    ("standard the Monday of the week before", "standard", date(2026, 11, 18), date(2026, 11, 9)),
    ("short the Monday of the week before", "short", date(2026, 11, 16), date(2026, 11, 9)),
    ("SIF standard unannounced", "standard", date(2017, 6, 7), date(2017, 6, 7)),
    ("monitoring visit agreed", "monitoring_visit", date(2026, 11, 16), date(2026, 11, 16)),
)
# fmt: on


GRADE_CALLING_FOR = {"short": "Good", "monitoring_visit": "Inadequate"}


@pytest.mark.parametrize(("type_key", "starts_on", "notice_by"), NOTICE)
def test_an_inspection_is_scheduled_only_with_the_notice_its_type_requires(
    type_key, starts_on, notice_by
):
    chosen = framework_for(type_key, starts_on).key

    def schedule(today: date) -> Inspection:
        return Inspection.schedule(
            INSPECTOR,
            COUNCIL,
            type_key,
            chosen,
            starts_on,
            today,
            DEFAULT_POLICY,
            previous_grade=GRADE_CALLING_FOR.get(type_key),
        )

    assert schedule(notice_by).notice_on == notice_by
    with pytest.raises(NoticeTooShort, match=f"by {notice_by.isoformat()}"):
        schedule(notice_by + timedelta(days=1))
