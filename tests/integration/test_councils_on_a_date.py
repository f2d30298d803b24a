"""Statistics and ratings as of a date count the councils that existed on it (DOMAIN.md §3,
"Councils over time"): predecessors until their abolition, successors from then."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from adapters.importers import import_csv
from adapters.reference_data import data_dir, load_reference_data
from projections.queries import council_rows, ratings
from projections.statistics import national_statistics

ILACS = "ofsted_ilacs_inspections_2018_2025.csv"
BOURNEMOUTH, POOLE, DORSET_CC = "E06000028", "E06000029", "E10000009"
BCP, DORSET = "E06000058", "E06000059"
NORTHAMPTONSHIRE, NORTH_NORTHANTS, WEST_NORTHANTS = "E10000021", "E06000061", "E06000062"
CUMBRIA, CUMBERLAND, WESTMORLAND = "E10000006", "E06000063", "E06000064"
NORTH_YORKSHIRE, SOMERSET = "E06000065", "E06000066"  # new ONS codes in 2023, same councils
REORGANISED = (
    BOURNEMOUTH, POOLE, DORSET_CC, BCP, DORSET, NORTHAMPTONSHIRE, NORTH_NORTHANTS,
    WEST_NORTHANTS, CUMBRIA, CUMBERLAND, WESTMORLAND, NORTH_YORKSHIRE, SOMERSET,
)  # fmt: skip

# day, councils in existence, councils that did not exist, how many existed
EITHER_SIDE = [
    (date(2015, 1, 23), {BOURNEMOUTH, POOLE, DORSET_CC, NORTHAMPTONSHIRE, CUMBRIA},
     {BCP, DORSET, NORTH_NORTHANTS, WEST_NORTHANTS, CUMBERLAND, WESTMORLAND}, 152),
    (date(2019, 3, 31), {BOURNEMOUTH, POOLE, DORSET_CC}, {BCP, DORSET}, 152),
    (date(2019, 4, 1), {BCP, DORSET}, {BOURNEMOUTH, POOLE, DORSET_CC}, 151),
    (date(2021, 3, 31), {NORTHAMPTONSHIRE}, {NORTH_NORTHANTS, WEST_NORTHANTS}, 151),
    (date(2021, 4, 1), {NORTH_NORTHANTS, WEST_NORTHANTS}, {NORTHAMPTONSHIRE}, 152),
    (date(2023, 3, 31), {CUMBRIA, NORTH_YORKSHIRE, SOMERSET}, {CUMBERLAND, WESTMORLAND}, 152),
    (date(2023, 4, 1), {CUMBERLAND, WESTMORLAND, NORTH_YORKSHIRE, SOMERSET}, {CUMBRIA}, 153),
]  # fmt: skip

# day, the reorganised councils rated on it (their real published grades)
RATED = [
    (date(2019, 3, 31), {BOURNEMOUTH: "Requires improvement to be good", NORTH_YORKSHIRE: "Outstanding"}),
    (date(2019, 4, 1), {NORTH_YORKSHIRE: "Outstanding"}),
    (date(2021, 3, 31), {NORTHAMPTONSHIRE: "Inadequate", NORTH_YORKSHIRE: "Outstanding"}),
    (date(2021, 4, 1), {NORTH_YORKSHIRE: "Outstanding"}),
    (date(2023, 3, 31), {BCP: "Inadequate", DORSET: "Good", NORTH_NORTHANTS: "Requires improvement to be good",
                         WEST_NORTHANTS: "Requires improvement to be good",
                         CUMBRIA: "Requires improvement to be good", NORTH_YORKSHIRE: "Outstanding",
                         SOMERSET: "Good"}),
    (date(2023, 4, 1), {BCP: "Inadequate", DORSET: "Good", NORTH_NORTHANTS: "Requires improvement to be good",
                        WEST_NORTHANTS: "Requires improvement to be good", NORTH_YORKSHIRE: "Outstanding",
                        SOMERSET: "Good"}),
]  # fmt: skip


@pytest.fixture
def reorganised(ledger, read_models, tmp_path: Path):
    """Every council, and the real ILACS rows of the councils reorganisation touched."""
    load_reference_data(ledger, directory=data_dir())
    with (data_dir() / ILACS).open(newline="", encoding="utf-8-sig") as source:
        reader = csv.DictReader(source)
        rows = [r for r in reader if r["Local authority area code"] in REORGANISED]
        fields = list(reader.fieldnames or [])
    chosen = tmp_path / ILACS
    with chosen.open("w", newline="", encoding="utf-8") as target:
        writer = csv.DictWriter(target, fields)
        writer.writeheader()
        writer.writerows(rows)
    assert import_csv(ledger, chosen).ok
    read_models.catch_up(ledger)
    return read_models


def test_the_councils_of_a_day_are_predecessors_before_a_reorganisation_and_successors_after(
    reorganised,
):
    for day, existing, absent, count in EITHER_SIDE:  # one database for the whole table
        with reorganised.engine.connect() as conn:
            found = set(council_rows(conn, day))
            figures = national_statistics(conn, day)
        assert existing <= found and not absent & found, day
        assert len(found) == count and figures["councils"] == count, day


def test_ratings_on_a_day_are_those_of_the_councils_that_existed_on_it(reorganised):
    for day, rated in RATED:
        with reorganised.engine.connect() as conn:
            found = {r.council: r.overall for r in ratings(conn, as_of=day)}
            figures = national_statistics(conn, day)
        assert found == rated, day
        assert figures["councils_rated"] == len(rated), day


def test_current_ratings_and_councils_are_todays_councils(reorganised):
    with reorganised.engine.connect() as conn:
        assert len(council_rows(conn)) == 153
        assert {BOURNEMOUTH, POOLE, DORSET_CC, NORTHAMPTONSHIRE, CUMBRIA}.isdisjoint(
            r.council for r in ratings(conn)
        )
