"""Ofsted's SIF record as it really ran: re-inspections into 2018, judgments not made."""

from __future__ import annotations

import pytest

from adapters.csv_formats import GENERIC_COLUMNS
from adapters.importers import import_csv
from adapters.reference_data import data_dir, load_reference_data

SIF_SAMPLE = data_dir() / "ofsted_sif_sample.csv"
GOOD, RI, INADEQUATE, NOT_JUDGED = (
    "Good",
    "Requires improvement to be good",
    "Inadequate",
    "Not judged",
)


@pytest.fixture
def councils(ledger):
    return load_reference_data(ledger)


def test_the_sif_sample_imports_with_no_refused_row(ledger, councils, admin):
    report = import_csv(ledger, SIF_SAMPLE, councils=councils)

    assert (report.format, report.rejected, report.created) == ("generic", [], 4)
    scilly = ledger.inspections_of(admin, "E06000053")[0].grades()
    assert [scilly[a] for a in ("looked_after", "adoption_performance", "care_leavers")] == [
        NOT_JUDGED
    ] * 3
    assert ledger.inspections_of(admin, "E09000001")[0].grades()["adoption_performance"] == (
        NOT_JUDGED
    )


def test_a_sif_re_inspection_in_2018_is_recorded_under_sif(ledger, councils, admin):
    import_csv(ledger, SIF_SAMPLE, councils=councils)

    lambeth = ledger.inspections_of(admin, "E09000022")
    assert [(i.framework_key, str(i.starts_on), i.grades()["overall"]) for i in lambeth] == [
        ("sif", "2015-03-17", INADEQUATE),
        ("sif", "2018-03-14", RI),
    ]


@pytest.mark.parametrize(
    ("area", "grade", "refusal"),
    [
        pytest.param("help_and_protection", "-", "must be judged", id="a key judgment left out"),
        pytest.param("overall", "", "must be judged", id="overall left empty"),
        pytest.param("looked_after", "-", "must lie between", id="overall outside those made"),
    ],
)
def test_a_judgment_not_made_where_one_is_required_or_rules_break_is_refused(
    ledger, councils, tmp_path, area, grade, refusal
):
    grades = {
        "help_and_protection": GOOD,
        "looked_after": INADEQUATE,
        "leadership": GOOD,
        "overall": INADEQUATE,
        "adoption_performance": "-",
        "care_leavers": "-",
    } | {area: grade}
    rows = [
        ",".join(["E09000002", "sif", "standard", "2016-03-07", "2016-05-04", a, g])
        for a, g in grades.items()
    ]
    path = tmp_path / "generic.csv"
    path.write_text("\n".join([",".join(GENERIC_COLUMNS), *rows]) + "\n", encoding="utf-8")

    report = import_csv(ledger, path, councils=councils)

    assert report.created == 0
    assert any(refusal in reason for _, reason in report.rejected)
