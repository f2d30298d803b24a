"""Imports obey the same limits as live work: no future publication, no text a field cannot hold."""

from __future__ import annotations

from adapters.csv_formats import GENERIC_COLUMNS
from adapters.importers import import_csv
from adapters.reference_data import load_reference_data
from tests.integration.test_import import GOOD, inspection_count, write_csv

FOCUSED = ["E09000002", "", "focused_visit", "2024-03-04"]


def test_an_inspection_published_after_today_is_refused_with_its_line(ledger, tmp_path) -> None:
    councils = load_reference_data(ledger)
    rows = [FOCUSED + ["2026-11-03", "", "", "theme"]]  # the clock says 2026-11-02
    path = write_csv(tmp_path / "future.csv", [*GENERIC_COLUMNS, "theme"], rows)

    report = import_csv(ledger, path, councils=councils)

    assert [line for line, _ in report.rejected] == [2]
    assert "is after today (2026-11-02)" in report.rejected[0][1]
    assert inspection_count(ledger) == 0


def test_a_graded_inspection_published_9999_12_31_is_refused(ledger, tmp_path) -> None:
    councils = load_reference_data(ledger)
    rows = [
        ["E09000002", "", "standard", "2025-03-03", "9999-12-31", area, GOOD]
        for area in (
            "leaders",
            "help_and_protection",
            "children_in_care",
            "care_leavers",
            "overall",
        )
    ]
    path = write_csv(tmp_path / "far.csv", list(GENERIC_COLUMNS), rows)

    report = import_csv(ledger, path, councils=councils)

    assert report.created == 0 and len(report.rejected) == len(rows)
    assert inspection_count(ledger) == 0


def test_a_theme_holding_a_nul_character_is_refused_with_its_line(ledger, tmp_path) -> None:
    councils = load_reference_data(ledger)
    rows = [FOCUSED + ["2024-04-02", "", "", "nul\x00theme"]]
    path = write_csv(tmp_path / "nul.csv", [*GENERIC_COLUMNS, "theme"], rows)

    report = import_csv(ledger, path, councils=councils)

    assert report.rejected == [(2, "Theme must not contain the character U+0000")]
    assert inspection_count(ledger) == 0
