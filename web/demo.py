"""Demonstration data: councils, one account per role and organisation, the published record."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from uuid import UUID

from adapters.identity import IdentityStore
from adapters.importers import import_csv
from adapters.reference_data import data_dir, load_reference_data
from domain.account import account_id
from domain.actors import Actor
from domain.events import JudgmentInput, Narrative
from domain.grades import GOOD
from domain.grades import REQUIRES_IMPROVEMENT as RI
from domain.inspection import DEMONSTRATION
from domain.services import Ledger
from domain.working_days import add_working_days
from web.bootstrap import build_identity
from web.demo_reports import AREAS, write_report
from web.demo_settings import seed_settings

DEMO_PASSWORD = "demo-password"
SEEDER = Actor("demo-seeder", "administrator", "LEDGER")
DEMO_ACCOUNTS = (
    ("ofsted.inspector", "Olive Inspector", "inspector", "OFSTED"),
    ("ofsted.moderator", "Morgan Moderator", "moderator", "OFSTED"),
    ("ofsted.moderator2", "Maya Second-Moderator", "moderator", "OFSTED"),
    ("cqc.inspector", "Cai Inspector", "inspector", "CQC"),
    ("hmicfrs.inspector", "Hana Inspector", "inspector", "HMICFRS"),
    ("hmip.inspector", "Harri Inspector", "inspector", "HMIP"),
    ("hmip.moderator", "Hemi Moderator", "moderator", "HMIP"),
    ("ofsted.moderator3", "Mina Third-Moderator", "moderator", "OFSTED"),
    ("icaso.adjudicator", "Ida Adjudicator", "adjudicator", "ICASO"),
    ("hmiprisons.inspector", "Priya Inspector", "inspector", "HMIPRISONS"),
    ("barking.officer", "Bola Officer", "council_officer", "E09000002"),
    ("barnet.officer", "Ben Officer", "council_officer", "E09000003"),
    ("auditor", "Audrey Auditor", "auditor", "AUDIT"),
    ("admin", "Adam Administrator", "administrator", "LEDGER"),
)
PUBLISHED_FILES = (
    "ofsted_ilacs_inspections_2018_2025.csv",
    "ofsted_inspections_and_visits_2024_25.csv",
)


def seed(
    ledger: Ledger, directory: Path | None = None, identity: IdentityStore | None = None
) -> Iterator[str]:
    """Load everything a newcomer needs to see real data; yield a line per step."""
    folder = data_dir(directory)
    index = load_reference_data(ledger, SEEDER, folder)
    yield f"Councils: {len(index)} registered (current and former)"
    store = identity or build_identity()
    added = [a for a in DEMO_ACCOUNTS if store.get(a[0]) is None]
    for username, name, role, organisation in added:
        email = f"{username}@demo.invalid"
        if ledger.exists(account_id(username)):
            key_id = ledger.account(username).key_id
        else:
            reason = "Demonstration account"
            opened = ledger.open_account(SEEDER, username, name, role, organisation, reason, email)
            key_id = opened.key_id
        store.add(username, name, role, organisation, DEMO_PASSWORD, email, key_id=key_id)
    yield f"Demo accounts: {len(added)} added (password '{DEMO_PASSWORD}' for each)"
    for name in PUBLISHED_FILES:
        yield import_csv(ledger, folder / name, SEEDER, councils=index).summary()
    yield from _live(ledger)
    yield from seed_settings(ledger)


INSPECTOR = Actor("ofsted.inspector", "inspector", "OFSTED")
MODERATOR = Actor("ofsted.moderator", "moderator", "OFSTED")
BARKING, BARNET, CAMDEN, CROYDON = "E09000002", "E09000003", "E09000007", "E09000008"
KEY_AREAS = ("leaders", "help_and_protection", "children_in_care", "care_leavers")


def officer(council: str) -> Actor:
    """The demo council officer of Barking and Dagenham or Barnet."""
    name = {BARKING: "barking.officer", BARNET: "barnet.officer"}[council]
    return Actor(name, "council_officer", council)


@contextmanager
def on_day(ledger: Ledger, day: date) -> Iterator[None]:
    """Run commands as if today were `day` (the demo's history of live work)."""
    real = ledger.today
    ledger.today = lambda: day
    try:
        yield
    finally:
        ledger.today = real


def _live(ledger: Ledger) -> Iterator[str]:
    """Put live work at each stage a newcomer should see, unless it is there already."""
    today = ledger.today()
    live = [
        c
        for c in (BARKING, BARNET, CAMDEN, CROYDON)
        if any(i.source in ("", DEMONSTRATION) for i in ledger.inspections_of(SEEDER, c))
    ]
    if live:
        yield f"Live demo work already recorded ({', '.join(live)})"
        return
    yield _on_site(ledger, CAMDEN, _monday_before(today - timedelta(days=7)))
    yield _draft_issued(ledger, BARKING, _monday_before(today - timedelta(days=42)), today)
    yield _challenged(ledger, BARNET, _monday_before(today - timedelta(days=63)), today)
    start = _monday_before(today + timedelta(weeks=4))
    with on_day(ledger, today):
        ledger.schedule_inspection(
            INSPECTOR,
            CROYDON,
            "focused_visit",
            start,
            theme="Children in need/subject to a plan",
            source=DEMONSTRATION,
        )
    yield f"Croydon: a focused visit scheduled from {start.isoformat()}"


def _start(ledger: Ledger, council: str, starts: date) -> UUID:
    with on_day(ledger, starts - timedelta(days=14)):
        inspection = ledger.schedule_inspection(
            INSPECTOR, council, "standard", starts, source=DEMONSTRATION
        )
    with on_day(ledger, starts):
        ledger.start_on_site(INSPECTOR, inspection)
        ledger.record_finding(
            INSPECTOR,
            inspection,
            "OFSTED",
            "Managers know their services well",
            Narrative(
                strengths=["Stable workforce"],
                areas_for_improvement=["Timeliness of assessments"],
                recommendations=["Speed up assessments"],
            ),
        )
    return inspection


def _judged(ledger: Ledger, council: str, starts: date, grades: tuple[str, ...]) -> UUID:
    inspection = _start(ledger, council, starts)
    with on_day(ledger, starts + timedelta(days=9)):
        ledger.record_judgments(
            INSPECTOR,
            inspection,
            [
                JudgmentInput(
                    area, grade, Narrative(recommendations=[f"Improve {area.replace('_', ' ')}"])
                )
                for area, grade in zip(KEY_AREAS, grades, strict=True)
            ],
        )
        ledger.complete_judgments(INSPECTOR, inspection)
    return inspection


def _on_site(ledger: Ledger, council: str, starts: date) -> str:
    inspection = _start(ledger, council, starts)
    with on_day(ledger, starts + timedelta(days=2)):
        headline = "Early findings: leaders know their services well."
        ledger.write_report_section(INSPECTOR, inspection, "headline", {"text": headline})
    return f"Camden: a standard inspection on site since {starts.isoformat()}, its report begun"


def _draft_issued(ledger: Ledger, council: str, starts: date, today: date) -> str:
    inspection = _judged(ledger, council, starts, (RI, RI, GOOD, RI))
    with on_day(ledger, add_working_days(today, -1)):
        write_report(ledger, INSPECTOR, inspection, "Barking and Dagenham", KEY_AREAS)
        ledger.issue_draft(INSPECTOR, inspection)
    return "Barking and Dagenham: a draft report awaiting the council's factual accuracy comments"


def _challenged(ledger: Ledger, council: str, starts: date, today: date) -> str:
    inspection = _judged(ledger, council, starts, (GOOD, GOOD, RI, GOOD))
    with on_day(ledger, add_working_days(today, -8)):
        write_report(ledger, INSPECTOR, inspection, "Barnet", KEY_AREAS)
        ledger.issue_draft(INSPECTOR, inspection)
        ledger.comment_on_draft(
            officer(council),
            inspection,
            "The virtual school's figures are for last year; this year's are higher",
            complete=True,
            section="area:children_in_care",
        )
    with on_day(ledger, add_working_days(today, -6)):
        ledger.answer_comment(
            INSPECTOR, inspection, "C1", True, "", {"working_well": BARNET_CHANGE}
        )
    with on_day(ledger, add_working_days(today, -1)):
        ledger.issue_final_report(MODERATOR, inspection)
    with on_day(ledger, today):
        ledger.lodge_challenge(
            officer(council),
            inspection,
            "judgment",
            "children_in_care",
            "The inspectors did not see the new placement audit",
            ["Placement audit, October"],
        )
    return "Barnet: a final report challenged by the council, awaiting a moderator's decision"


BARNET_CHANGE = AREAS["children_in_care"]["working_well"].replace(
    "most children in care attend school regularly", "nine in ten children in care attend school"
)


def _monday_before(day: date) -> date:
    return day - timedelta(days=day.weekday())
