"""After importing Ofsted's published record, the read models agree with it."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date

import pytest

from adapters.csv_formats import AREA_COLUMNS
from adapters.importers import import_csv
from adapters.reference_data import data_dir, load_reference_data
from domain.grades import FOUR_POINT
from projections.queries import ratings
from projections.runner import ReadModels
from projections.statistics import national_statistics

DATA = data_dir()
FILES = ("ofsted_ilacs_inspections_2018_2025.csv", "ofsted_inspections_and_visits_2024_25.csv")
OVERALL_COLUMN = "Overall effectiveness"


def published_rows() -> list[dict[str, str]]:
    """Every graded row of both files, once each (council, start), with its grades."""
    seen: dict[tuple[str, str], dict[str, str]] = {}
    for name in FILES:
        with (DATA / name).open(newline="", encoding="utf-8-sig") as handle:
            for row in csv.DictReader(handle):
                if row[OVERALL_COLUMN]:
                    start = row.get("Inspection date") or row["Inspection/Visit date"]
                    seen[(row["Local authority area code"], start)] = row
    return list(seen.values())


def current_councils() -> set[str]:
    with (DATA / "councils.csv").open(newline="", encoding="utf-8-sig") as handle:
        return {r["la_code_ons_as_used_by_ofsted_2025"] for r in csv.DictReader(handle)}


def existing_on(on: date) -> set[str]:
    """Current councils plus former ones not yet abolished on the day."""
    with (DATA / "former_councils.csv").open(newline="", encoding="utf-8-sig") as handle:
        former = {
            r["la_code_ons"] for r in csv.DictReader(handle) if r["abolished_on"] > on.isoformat()
        }
    return current_councils() | former


def latest_by_council(on: date, councils: set[str]) -> dict[str, dict[str, str]]:
    latest: dict[str, dict[str, str]] = {}
    for row in sorted(published_rows(), key=lambda r: r["Publication date"]):
        if (
            row["Local authority area code"] in councils
            and row["Publication date"] <= on.isoformat()
        ):
            latest[row["Local authority area code"]] = row
    return latest


@pytest.fixture
def imported(ledger, database_url):
    load_reference_data(ledger, directory=DATA)
    for name in FILES:
        assert import_csv(ledger, DATA / name).ok
    models = ReadModels(database_url)
    models.catch_up(ledger)
    yield models
    models.close()


def test_current_ratings_equal_each_councils_latest_published_grades(imported):
    expected = latest_by_council(date(2026, 1, 1), current_councils())
    with imported.engine.connect() as conn:
        found = {r.council: r for r in ratings(conn)}
    assert set(found) == set(expected) and len(found) == 153
    for code, row in expected.items():
        assert found[code].overall == row[OVERALL_COLUMN]
        wanted = {area: row[column] for column, area in AREA_COLUMNS.items() if row.get(column)}
        assert found[code].grades == wanted
        assert found[code].published_on.isoformat() == row["Publication date"]


def test_statistics_as_of_each_year_end_agree_with_the_published_files(imported):
    for on in (date(2019, 3, 31), date(2021, 3, 31), date(2023, 3, 31), date(2025, 3, 31)):
        with imported.engine.connect() as conn:
            figures = national_statistics(conn, on)
        expected = latest_by_council(on, existing_on(on))
        overall = Counter(r[OVERALL_COLUMN] for r in expected.values())
        assert figures["overall"] == dict(overall), on
        assert figures["share_inadequate"] == round(
            overall["Inadequate"] / sum(overall.values()), 4
        )


def test_movements_agree_with_each_councils_successive_published_grades(imported):
    by_council: dict[str, list[tuple[str, int]]] = {}
    for row in published_rows():
        rank = FOUR_POINT.rank(row[OVERALL_COLUMN])
        by_council.setdefault(row["Local authority area code"], []).append(
            (row["Publication date"], rank)
        )
    expected = Counter({"improved": 0, "declined": 0, "unchanged": 0})
    for series in by_council.values():
        ranks = [rank for _, rank in sorted(series)]
        for before, after in zip(ranks, ranks[1:], strict=False):
            expected[
                "improved" if after < before else "declined" if after > before else "unchanged"
            ] += 1
    with imported.engine.connect() as conn:
        figures = national_statistics(conn, date(2025, 12, 31))
    assert figures["movements"] == dict(expected)


def test_the_record_holds_271_ilacs_inspections_of_153_councils(imported):
    with imported.engine.connect() as conn:
        assert len(ratings(conn)) == 153
    assert (
        len(
            {
                (
                    r["Local authority area code"],
                    r.get("Inspection date") or r["Inspection/Visit date"],
                )
                for r in published_rows()
            }
        )
        == 271
    )
