"""Importing partner-led inspections through the generic CSV (docs/import-formats.md)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from adapters.csv_formats import GENERIC_COLUMNS
from adapters.importers import import_csv
from adapters.reference_data import load_reference_data
from domain.partner_frameworks import INCONSISTENT, YOUTH_JUSTICE_2021

STANDARDS = [a.key for a in YOUTH_JUSTICE_2021.areas]


@pytest.fixture
def councils(ledger):
    return load_reference_data(ledger)


def youth_justice(code: str, start: str, rating: str, overall: str) -> list[list[str]]:
    return [
        [code, "yjs_2021", "youth_justice", start, "2024-05-20", area, grade]
        for area, grade in [*((s, rating) for s in STANDARDS), ("overall", overall)]
    ]


def write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(GENERIC_COLUMNS)
        writer.writerows(rows)
    return path


def test_youth_justice_and_area_send_inspections_import_under_their_own_rules(
    ledger, councils, admin, tmp_path
):
    send = [["E09000003", "area_send", "area_send", "2024-03-04", "2024-05-20", "outcome",
             INCONSISTENT]]  # fmt: skip
    rows = [
        *youth_justice("E09000002", "2024-03-04", "Good", "Good"),  # 26 of 39: Good
        *youth_justice("E09000007", "2024-03-04", "Good", "Outstanding"),  # not what it scores
        *send,
    ]

    report = import_csv(ledger, write(tmp_path / "partners.csv", rows), councils=councils)

    assert report.created == 2
    refused = dict(report.rejected)
    assert len(refused) == len(STANDARDS) + 1
    assert any("score 26 of 39" in reason for reason in refused.values())
    (yjs,) = ledger.inspections_of(admin, "E09000002")
    assert (yjs.lead_agency, yjs.grades()["overall"]) == ("HMIP", "Good")
    (area_send,) = ledger.inspections_of(admin, "E09000003")
    assert area_send.grades() == {"outcome": INCONSISTENT}
