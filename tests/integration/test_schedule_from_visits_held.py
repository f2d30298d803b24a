"""The schedule runs from the visits actually held, checked against Ofsted's published record."""

from __future__ import annotations

from datetime import date

import pytest

from adapters.importers import import_csv
from adapters.reference_data import data_dir, load_reference_data
from projections.runner import ReadModels
from projections.schedule import schedule

FILES = ("ofsted_ilacs_inspections_2018_2025.csv", "ofsted_inspections_and_visits_2024_25.csv")
END_OF_RECORD = date(2025, 3, 31)  # the visits file covers the year to 31 March 2025
NORTH_EAST_LINCOLNSHIRE, NOTTINGHAM, HEREFORDSHIRE = "E06000012", "E06000018", "E06000019"


@pytest.fixture
def record(ledger, database_url):
    load_reference_data(ledger, directory=data_dir())
    for name in FILES:
        assert import_csv(ledger, data_dir() / name).ok
    models = ReadModels(database_url)
    models.catch_up(ledger)
    with models.engine.connect() as conn:
        yield {r["council"]: r for r in schedule(conn, END_OF_RECORD, ledger.policy)}
    models.close()


def visits(entry):
    return [(v["due_on"], v["held_on"], v["overdue"]) for v in entry["monitoring_visits"]]


def test_the_schedule_at_the_end_of_the_published_record_runs_from_the_visits_held(record):
    # North East Lincolnshire, Inadequate from November 2021, visited on 17 September 2024:
    # nothing of 2022 is overdue; the next visit is due a quarter after the one held
    assert visits(record[NORTH_EAST_LINCOLNSHIRE]) == [
        (date(2022, 4, 6), date(2024, 9, 17), False),
        (date(2024, 12, 17), None, True),
    ]
    assert [held for _, held, _ in visits(record[NOTTINGHAM])] == [
        date(2024, 4, 3), date(2024, 7, 31), date(2024, 11, 12), None
    ]  # fmt: skip
    assert visits(record[HEREFORDSHIRE])[-1] == (date(2025, 5, 18), None, False)  # held 18 Feb
    # of 153 councils: 7 Inadequate ones past their re-inspection, 9 with a visit overdue
    overdue = [r for r in record.values() if r["overdue"]]
    assert len(record) == 153 and len(overdue) == 11
    assert sum(r["graded_overdue"] for r in record.values()) == 7
    assert sum(any(v["overdue"] for v in r["monitoring_visits"]) for r in record.values()) == 9
