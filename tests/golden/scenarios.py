"""The golden story: every kind of event the domain records, told through the real commands.

To cover a new event class, add a step here (or a new function in STORIES) and run
`python -m tests.golden.generate` to write the next version's files.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from domain.actors import Actor
from domain.commands.concerns import RaisedConcern
from domain.events import JudgmentInput
from domain.frameworks import framework_for
from domain.partner_frameworks import YOUTH_JUSTICE_2021
from domain.services import Ledger
from tests.scenarios import (
    ADMIN,
    AGENCY,
    BARKING,
    BARNET,
    CAMDEN,
    GOOD,
    INSPECTOR,
    RI,
    Story,
    ilacs_2023,
    officer,
    run_to_final_report,
    tell_story,
)

SECOND_MODERATOR = Actor("mo.second", "moderator", "OFSTED")
ADJUDICATOR = Actor("ida.adjudicator", "adjudicator", "ICASO")
HMIP_INSPECTOR = Actor("harri.hmip", "inspector", "HMIP")
NORTHAMPTONSHIRE = "E10000021"


def abolish_a_council(ledger: Ledger, clock, story: Story) -> None:
    """A county registered and abolished by reorganisation (Council.Abolished)."""
    details = {"region_name": "East Midlands", "council_type": "County Council"}
    ledger.register_council(ADMIN, NORTHAMPTONSHIRE, "Northamptonshire", details)
    ledger.abolish_council(ADMIN, NORTHAMPTONSHIRE, date(2021, 4, 1), ["E06000061", "E06000062"])


def cancel_an_inspection(ledger: Ledger, clock, story: Story) -> None:
    """An inspection scheduled, then cancelled before fieldwork (Inspection.Cancelled)."""
    starts_on = clock.day + timedelta(days=28)
    inspection = ledger.schedule_inspection(INSPECTOR, BARNET, "standard", starts_on)
    ledger.cancel_inspection(
        SECOND_MODERATOR, inspection, "Council asked to defer for a cyber incident"
    )


def take_a_challenge_to_the_adjudicator(ledger: Ledger, clock, story: Story) -> None:
    """A challenge not upheld, escalated and closed by the adjudicator (Challenge.Escalated,
    Challenge.AdjudicatorRecommended)."""
    starts_on = clock.day + timedelta(days=35)
    inspection = run_to_final_report(
        ledger, clock, BARNET, starts_on, ilacs_2023(GOOD, GOOD, RI, GOOD, GOOD)
    )
    challenge = ledger.lodge_challenge(
        officer(BARNET), inspection, "judgment", "children_in_care", "Care plans were missed", []
    )
    clock.advance_to(clock.day + timedelta(days=3))
    ledger.decide_challenge(
        SECOND_MODERATOR, challenge, "not upheld", "The sample was representative", []
    )
    ledger.escalate_challenge(officer(BARNET), challenge, "The sample left out care plans")
    clock.advance_to(clock.day + timedelta(days=20))
    ledger.record_adjudicator_recommendation(
        ADJUDICATOR, challenge, "partially upheld", "Explain the sampling in the report"
    )


def rate_a_youth_justice_service(ledger: Ledger, clock, story: Story) -> None:
    """HMI Probation leads and rates Barnet's youth justice service on its own scale; the
    overall rating follows from the standards' scores (Inspection.JudgmentRecorded, yjs_2021)."""
    starts_on = clock.day + timedelta(days=35 - clock.day.weekday())
    inspection = ledger.schedule_inspection(HMIP_INSPECTOR, BARNET, "youth_justice", starts_on)
    clock.advance_to(starts_on)
    ledger.start_on_site(HMIP_INSPECTOR, inspection)
    standards = [a.key for a in YOUTH_JUSTICE_2021.areas]
    ratings = [JudgmentInput(a, "Good") for a in standards[:7]]
    ratings += [JudgmentInput(a, "Requires improvement") for a in standards[7:]]
    ledger.record_judgments(
        HMIP_INSPECTOR, inspection, [*ratings, JudgmentInput("overall", "Good")]
    )
    ledger.complete_judgments(HMIP_INSPECTOR, inspection)


def cancel_an_inspection_with_an_open_challenge(ledger: Ledger, clock, story: Story) -> None:
    """A challenged final report cancelled: its challenge closes with it (Challenge.Closed)."""
    starts_on = clock.day + timedelta(days=35)
    inspection = run_to_final_report(
        ledger, clock, BARKING, starts_on, ilacs_2023(RI, RI, RI, RI, RI)
    )
    ledger.lodge_challenge(officer(BARKING), inspection, "report", "", "The team left early", [])
    ledger.cancel_inspection(SECOND_MODERATOR, inspection, "Fieldwork to be repeated")


def complete_an_action_plan(ledger: Ledger, clock, story: Story) -> None:
    """Barking's plan: its action completed, then the plan (ActionPlan.ActionCompleted,
    ActionPlan.Completed)."""
    ledger.complete_action(officer(BARKING), story.revised, "A1", ["Placement review report"])
    ledger.complete_action_plan(officer(BARKING), story.revised)


def write_a_report_and_answer_its_comments(ledger: Ledger, clock, story: Story) -> None:
    """Camden's report written a section at a time, its draft commented on section by section,
    one comment accepted with the change and one not (Inspection.ReportSectionWritten,
    Inspection.FactualAccuracyAnswered, FactualAccuracyCommented v2), then the final report."""
    starts_on = clock.day + timedelta(days=35)
    clock.advance_to(starts_on - timedelta(days=21))
    inspection = ledger.schedule_inspection(INSPECTOR, CAMDEN, "standard", starts_on)
    clock.advance_to(starts_on)
    ledger.start_on_site(INSPECTOR, inspection)
    areas = framework_for("standard", starts_on).area_keys()
    ledger.record_judgments(INSPECTOR, inspection, [JudgmentInput(a, GOOD) for a in areas])
    ledger.complete_judgments(INSPECTOR, inspection)
    ledger.write_report_section(
        INSPECTOR, inspection, "headline", {"text": "Children are safe.\n\nLeaders are ambitious."}
    )
    ledger.write_report_section(
        INSPECTOR,
        inspection,
        "area:leaders",
        {"working_well": "A stable workforce.", "needs_to_improve": "Audits are generous."},
    )
    clock.advance_to(starts_on + timedelta(days=21))
    ledger.issue_draft(INSPECTOR, inspection)
    camden = officer(CAMDEN)
    ledger.comment_on_draft(camden, inspection, "Audits were moderated", section="area:leaders")
    ledger.comment_on_draft(
        camden, inspection, "Say 'very safe'", complete=True, section="headline"
    )
    ledger.answer_comment(
        INSPECTOR, inspection, "C1", True, "", {"needs_to_improve": "Audits are moderated."}
    )
    ledger.answer_comment(INSPECTOR, inspection, "C2", False, "The evidence supports 'safe'")
    ledger.issue_final_report(SECOND_MODERATOR, inspection)


def administer_an_account(ledger: Ledger, clock, story: Story) -> None:
    """An account opened (its name and email sealed), changed, disabled, enabled and reset; its
    person's own password and second factor and choice of emails; the factor removed, the email
    erased, and the account forgotten (every Account event)."""
    person = Actor("jo.smith", "inspector", "OFSTED")
    ledger.open_account(
        ADMIN, person.user, "Jo Smith", "inspector", "OFSTED", "New starter", "jo@example.org"
    )
    ledger.choose_emails(person, frozenset({"published"}))
    ledger.note_password_changed(person)
    ledger.note_two_factor_enrolled(person)
    ledger.change_account_role(ADMIN, person.user, "moderator", "OFSTED", "Promoted")
    ledger.remove_two_factor(ADMIN, person.user, "Lost phone")
    ledger.reset_password(ADMIN, person.user, "Forgotten password")
    ledger.disable_account(ADMIN, person.user, "Left Ofsted")
    ledger.enable_account(ADMIN, person.user, "Returned")
    ledger.erase_account_email(ADMIN, person.user, "Asked for erasure")
    ledger.forget_account(ADMIN, person.user, "Left; asked to be forgotten")


def close_a_setting(ledger: Ledger, clock, story: Story) -> None:
    """The private fostering agency of the shared story (Setting.Registered, DetailsChanged)
    deregistered (Setting.Closed)."""
    ledger.close_setting(ADMIN, AGENCY, clock.day, "Deregistered at the provider's request")


def raise_triage_and_erase_a_concern(ledger: Ledger, clock, story: Story) -> None:
    """A whistleblower's concern about Barking, triaged and closed, its personal data erased
    (every Concern event; the log holds only its ciphertext)."""
    raised = RaisedConcern(
        BARKING, "", "staff_whistleblower", "Sam Teller", "sam@example.org", "Visits skipped"
    )
    concern = ledger.raise_concern(raised)
    ledger.acknowledge_concern(INSPECTOR, concern)
    ledger.assess_concern(INSPECTOR, concern, "medium")
    ledger.link_concern(INSPECTOR, concern, str(story.revised))
    ledger.close_concern(SECOND_MODERATOR, concern, "considered_at_inspection")
    ledger.erase_concern(SECOND_MODERATOR, concern, "Kept no longer than needed")


def bring_a_visit_forward_on_a_concern(ledger: Ledger, clock, story: Story) -> None:
    """A parent's concern about Barnet kept as intelligence brings a visit forward
    (Concern.BroughtForward)."""
    raised = RaisedConcern(BARNET, "", "parent_or_carer", "", "", "No reply for months")
    concern = ledger.raise_concern(raised)
    ledger.acknowledge_concern(INSPECTOR, concern)
    ledger.assess_concern(INSPECTOR, concern, "high")
    ledger.link_concern(INSPECTOR, concern, "")
    starts_on = clock.day + timedelta(days=21)
    ledger.schedule_inspection(
        INSPECTOR, BARNET, "focused_visit", starts_on, reason_concern=str(concern)
    )


STORIES: tuple[Callable[[Ledger, object, Story], None], ...] = (
    abolish_a_council,
    cancel_an_inspection,
    take_a_challenge_to_the_adjudicator,
    rate_a_youth_justice_service,
    cancel_an_inspection_with_an_open_challenge,
    complete_an_action_plan,
    write_a_report_and_answer_its_comments,
    administer_an_account,
    close_a_setting,
    raise_triage_and_erase_a_concern,
    bring_a_visit_forward_on_a_concern,
)


def tell_golden_story(ledger: Ledger, clock) -> None:
    """The shared story, then each golden addition in order."""
    story = tell_story(ledger, clock)
    for step in STORIES:
        step(ledger, clock, story)
