"""Demonstration settings: made-up regulated settings with SCCIF inspections, marked as such."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from domain.actors import Actor
from domain.events import JudgmentInput
from domain.framework_catalogue import SCCIF
from domain.grades import GOOD, INADEQUATE, OUTSTANDING
from domain.grades import REQUIRES_IMPROVEMENT as RI
from domain.inspection import DEMONSTRATION, inspection_id
from domain.services import Ledger
from domain.setting import SettingDetails

SEEDER = Actor("demo-seeder", "administrator", "LEDGER")
INSPECTOR = Actor("ofsted.inspector", "inspector", "OFSTED")
BARKING, BARNET, CAMDEN, CROYDON = "E09000002", "E09000003", "E09000007", "E09000008"
SOURCE = "ledger seed-demo (demonstration data)"
# URN, name, type, council area, the council that runs it or a private provider
DEMO_SETTINGS = (
    ("SC900001", "Willow Lodge", "childrens_home", BARNET, BARNET, ""),
    ("SC900002", "Harbour View", "secure_childrens_home", CAMDEN, CAMDEN, ""),
    ("SC900003", "Northfield Fostering", "independent_fostering_agency", BARKING, "",
     "Northfield Care Ltd"),
    ("SC900004", "St Aidan's School", "residential_special_school", CROYDON, "",
     "St Aidan's Trust"),
)  # fmt: skip
# URN, start, publication, grades of experiences, helped and protected, leaders, overall
DEMO_INSPECTIONS = (
    ("SC900001", date(2023, 3, 6), date(2023, 4, 17), (GOOD, GOOD, GOOD, GOOD)),
    ("SC900001", date(2025, 5, 12), date(2025, 6, 23), (INADEQUATE,) * 4),
    ("SC900002", date(2024, 9, 9), date(2024, 10, 21), (OUTSTANDING,) * 4),
    ("SC900003", date(2022, 11, 7), date(2022, 12, 19), (RI, GOOD, RI, RI)),
)


def seed_settings(ledger: Ledger) -> Iterator[str]:
    """Register the demonstration settings and their inspections, unless they are there; one is
    Inadequate in Barnet, whose own rating it leaves alone."""
    registered = sum(
        ledger.register_setting(
            SEEDER, urn, SettingDetails(*details), demonstration=True, source=SOURCE
        )[1]
        for urn, *details in DEMO_SETTINGS
    )
    recorded = 0
    for urn, starts, published, grades in DEMO_INSPECTIONS:
        judgments = [
            JudgmentInput(area, grade)
            for area, grade in zip(SCCIF.area_keys(), grades, strict=True)
        ]
        council = ledger.setting(urn).council
        recorded += ledger.import_published(
            SEEDER, council, "sccif_full", starts, published, judgments, "sccif", "", SOURCE, urn
        )[1]
    starts = ledger.today() + timedelta(weeks=3)
    if not ledger.exists(inspection_id("SC900004", "sccif_full", starts)) and registered:
        ledger.schedule_inspection(
            INSPECTOR, "", "sccif_full", starts, setting_urn="SC900004", source=DEMONSTRATION
        )
        recorded += 1
    yield (
        f"Settings: {registered} demonstration settings registered, "
        f"{recorded} SCCIF inspections recorded"
    )
