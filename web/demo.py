"""Demonstration data: councils, one account per role and organisation, the published record."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

from adapters.identity import IdentityStore
from adapters.importers import import_csv
from adapters.reference_data import data_dir, load_reference_data
from domain.actors import Actor
from domain.errors import ConflictingChange, LedgerError
from domain.services import Ledger
from web.bootstrap import build_identity

DEMO_PASSWORD = "demo-password"
SEEDER = Actor("demo-seeder", "administrator", "LEDGER")
DEMO_ACCOUNTS = (
    ("ofsted.inspector", "Olive Inspector", "inspector", "OFSTED"),
    ("ofsted.moderator", "Morgan Moderator", "moderator", "OFSTED"),
    ("ofsted.moderator2", "Maya Second-Moderator", "moderator", "OFSTED"),
    ("cqc.inspector", "Cai Inspector", "inspector", "CQC"),
    ("hmicfrs.inspector", "Hana Inspector", "inspector", "HMICFRS"),
    ("hmip.inspector", "Harri Inspector", "inspector", "HMIP"),
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
        store.add(username, name, role, organisation, DEMO_PASSWORD)
    yield f"Demo accounts: {len(added)} added (password '{DEMO_PASSWORD}' for each)"
    for name in PUBLISHED_FILES:
        yield import_csv(ledger, folder / name, SEEDER, councils=index).summary()
    yield from _upcoming(ledger)


def _upcoming(ledger: Ledger) -> Iterator[str]:
    """Schedule two inspections a few weeks ahead, so the workflow has something live."""
    inspector = Actor("ofsted.inspector", "inspector", "OFSTED")
    start = _next_monday(ledger.today() + timedelta(weeks=3))
    for council, type_key in (("E09000002", "standard"), ("E09000003", "focused_visit")):
        try:
            ledger.schedule_inspection(
                inspector,
                council,
                type_key,
                start,
                theme=("Children in need/subject to a plan" if type_key == "focused_visit" else ""),
            )
            yield f"Scheduled a {type_key.replace('_', ' ')} of {council} from {start.isoformat()}"
        except ConflictingChange:
            yield f"A {type_key.replace('_', ' ')} of {council} is already scheduled"
        except LedgerError as error:
            yield f"Could not schedule a demo {type_key} of {council}: {error.message}"


def _next_monday(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7)
