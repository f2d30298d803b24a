"""Importing councils and published outcomes from CSV, on every backend."""

from __future__ import annotations

import csv
import time
from datetime import date
from pathlib import Path

import pytest

from adapters.csv_formats import (
    AREA_COLUMNS,
    GENERIC_COLUMNS,
    TYPE_LABELS,
    UnrecognisedFormat,
    count_rows,
)
from adapters.importers import (
    import_csv,
)
from adapters.reference_data import (
    DEFAULT_DATA_DIR,
    council_index,
    data_dir,
    load_reference_data,
    read_councils,
)
from domain.inspection import Inspection

DATA = data_dir()
ILACS = DATA / "ofsted_ilacs_inspections_2018_2025.csv"
VISITS = DATA / "ofsted_inspections_and_visits_2024_25.csv"
GOOD, RI, INADEQUATE = "Good", "Requires improvement to be good", "Inadequate"
SIF_AREAS = (
    "help_and_protection",
    "looked_after",
    "adoption_performance",
    "care_leavers",
    "leadership",
    "lscb",
    "overall",
)


def rows_of(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as file:
        return list(csv.DictReader(file))


def key_of(row: dict[str, str]) -> tuple[str, str, str]:
    """Council, type and start date: what makes two rows the same inspection."""
    start = row.get("Inspection date") or row["Inspection/Visit date"]
    kind = row.get("Inspection type") or row["Inspection/Visit type"]
    return row["Local authority area code"], TYPE_LABELS[kind], start


def grades_in(row: dict[str, str]) -> dict[str, str]:
    return {area: row[column] for column, area in AREA_COLUMNS.items() if row[column]}


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def inspection_count(ledger) -> int:
    return sum(1 for _ in ledger.events_of_type(Inspection.Scheduled))


def as_generic(row: dict[str, str]) -> list[list[str]]:
    """One Ofsted ILACS row as generic rows, one per judgment."""
    code, type_key, start = key_of(row)
    return [
        [code, "", type_key, start, row["Publication date"], area, grade]
        for area, grade in grades_in(row).items()
    ]


def sif_rows(code: str, start: str, grades: dict[str, str]) -> list[list[str]]:
    return [
        [code, "sif", "standard", start, "2016-05-04", area, grades[area]] for area in SIF_AREAS
    ]


@pytest.fixture
def councils(ledger):
    return load_reference_data(ledger)


def test_reference_data_registers_153_councils_and_abolishes_the_5_former_ones(ledger):
    load_reference_data(ledger)
    load_reference_data(ledger)  # a second run changes nothing

    registered = ledger.councils()
    abolished = {c.code: c for c in registered if c.abolished_on}
    assert len(registered) == 158
    assert len(abolished) == 5
    cumbria = abolished["E10000006"]
    assert cumbria.abolished_on == date(2023, 4, 1)
    assert cumbria.successors == ["E06000063", "E06000064"]
    assert cumbria.details["region"] == ledger.council("E06000063").details["region"]
    barnsley = ledger.council("E08000016")
    assert barnsley.details["ons_code_2024"] == "E08000038"
    assert barnsley.details["dfe_code"] == "370"
    assert barnsley.details["council_type"] == "Metropolitan District"


def test_a_council_is_found_by_its_ofsted_code_its_2024_code_or_its_dfe_code(ledger, councils):
    index = council_index(ledger)

    assert len(index) == 158
    assert index.find("E08000016").council.name == "Barnsley"
    assert index.find("E08000038").council.code == "E08000016"
    assert index.find("E08000038").alias == "ONS code from 2024"
    assert index.find("370").council.code == "E08000016"
    assert index.find("928").council.name == "Northamptonshire"
    assert index.find("E99999999") is None
    for record in read_councils():
        for code in (record.code, record.details["ons_code_2024"], record.details["dfe_code"]):
            assert index.find(code).council.code == record.code


def test_every_published_inspection_and_visit_imports_once_without_a_refused_row(ledger, councils):
    ilacs_keys = {key_of(r) for r in rows_of(ILACS)}
    visit_keys = {key_of(r) for r in rows_of(VISITS)}
    started = time.perf_counter()

    ilacs = import_csv(ledger, ILACS, councils=councils)
    visits = import_csv(ledger, VISITS, councils=councils)

    assert time.perf_counter() - started < 30
    assert (ilacs.format, ilacs.rows_read, ilacs.rejected) == ("ofsted_ilacs", 271, [])
    assert ilacs.created == len(ilacs_keys) == 271
    assert (visits.format, visits.rows_read, visits.rejected) == ("ofsted_visits", 112, [])
    assert visits.already_present == len(ilacs_keys & visit_keys) == 52
    assert visits.created == len(visit_keys - ilacs_keys)
    assert inspection_count(ledger) == len(ilacs_keys | visit_keys)


def test_reimporting_a_file_adds_nothing(ledger, councils):
    first = import_csv(ledger, ILACS, councils=councils)
    again = import_csv(ledger, ILACS)

    assert (again.created, again.already_present, again.rejected) == (0, first.created, [])
    assert inspection_count(ledger) == first.created


@pytest.mark.parametrize(
    "code", ["E09000003", "E08000016", "E06000028", "E10000006", "E10000021", "E09000002"]
)
def test_imported_grades_dates_and_themes_equal_the_files(ledger, councils, admin, code):
    import_csv(ledger, ILACS, councils=councils)
    import_csv(ledger, VISITS, councils=councils)
    expected = {
        key_of(r)[1:]: (r["Publication date"], grades_in(r), r.get("Visit Theme", ""))
        for path in (ILACS, VISITS)
        for r in rows_of(path)
        if r["Local authority area code"] == code
    }

    recorded = {
        (i.type, i.starts_on.isoformat()): (i.published_on.isoformat(), i.grades(), i.theme)
        for i in ledger.inspections_of(admin, code)
    }

    assert expected
    assert recorded == expected


def test_inspections_of_abolished_councils_import_and_are_noted(ledger, councils, admin):
    report = import_csv(ledger, ILACS, councils=councils)

    noted = {note.split(" was abolished")[0] for _, note in report.notes}
    assert noted == {
        "Bournemouth (E06000028)",
        "Cumbria (E10000006)",
        "Northamptonshire (E10000021)",
    }
    for code in ("E06000028", "E10000006", "E10000021"):
        assert ledger.inspections_of(admin, code)


def test_a_file_with_bad_rows_reports_each_line_and_reason_and_stores_only_the_good_rows(
    ledger, councils, admin, tmp_path
):
    header = next(csv.reader(ILACS.open(encoding="utf-8-sig")))

    def row(code, start, published, overall=RI, kind="ILACS Standard Inspection", area=RI):
        return ["", code, "", "", "", start, published, kind, overall, area, area, area, ""]

    path = write_csv(
        tmp_path / "bad.csv",
        header,
        [
            row("E09000002", "2019-02-18", "2019-04-01"),
            row("E99999999", "2019-02-18", "2019-04-01"),
            row("E09000003", "2019-13-45", "2019-07-01"),
            row("E09000004", "2019-05-13", "2019-07-01", overall="Very good"),
            row("E09000005", "2019-05-13", "2019-07-01", overall="Outstanding"),
            row("E09000006", "2019-05-13", "2019-07-01", kind="ILACS Mega Inspection"),
            row("E09000007", "2019-05-13", "2019-04-01"),
            row("E06000028", "2020-01-06", "2020-03-01"),
            row("E09000008", "2019-05-13", "2019-07-01", GOOD, "ILACS Short Inspection", GOOD),
        ],
    )

    report = import_csv(ledger, path, councils=councils)

    reasons = dict(report.rejected)
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8, 9]
    assert "Unknown council code 'E99999999'" in reasons[3]
    assert "'2019-13-45' is not a date" in reasons[4]
    assert "'Very good' is not a grade" in reasons[5]
    assert "must lie between the best" in reasons[6]
    assert "Unknown inspection type 'ILACS Mega Inspection'" in reasons[7]
    assert "before the start" in reasons[8]
    assert "Bournemouth (E06000028) was abolished on 2019-04-01" in reasons[9]
    assert (report.rows_read, report.created) == (9, 2)
    assert inspection_count(ledger) == 2
    for code in ("E09000004", "E09000005", "E09000007", "E06000028"):
        assert ledger.inspections_of(admin, code) == []


def test_a_visit_with_grades_is_refused_while_the_rest_of_the_file_imports(
    ledger, councils, tmp_path
):
    header = next(csv.reader(VISITS.open(encoding="utf-8-sig")))
    path = write_csv(
        tmp_path / "visits.csv",
        header,
        [
            [
                "",
                "E09000002",
                "",
                "",
                "2025-03-26",
                "2025-04-29",
                "ILACS Focused Visit",
                GOOD,
                "",
                "",
                "",
                "",
                "Front door",
            ],
            [
                "",
                "E09000003",
                "",
                "",
                "2025-03-26",
                "2025-04-29",
                "LA Monitoring visit",
                "",
                "",
                "",
                "",
                "",
                "Children in care",
            ],
        ],
    )

    report = import_csv(ledger, path, councils=councils)

    assert [line for line, _ in report.rejected] == [2]
    assert "has no grades" in report.rejected[0][1]
    assert report.created == 1


def test_a_row_using_a_2024_or_dfe_code_is_recorded_under_the_ofsted_code_and_noted(
    ledger, councils, admin, tmp_path
):
    path = write_csv(
        tmp_path / "codes.csv",
        [*GENERIC_COLUMNS, "theme"],
        [
            [
                "E08000038",
                "",
                "focused_visit",
                "2024-11-05",
                "2024-12-05",
                "",
                "",
                "Children in care",
            ],
            ["373", "", "monitoring_visit", "2024-11-05", "2024-12-05", "", "", "Front door"],
        ],
    )

    report = import_csv(ledger, path, councils=councils)

    assert (report.created, report.rejected) == (2, [])
    assert report.notes == [
        (2, "'E08000038' is the ONS code from 2024 of Barnsley (E08000016)"),
        (3, "'373' is the DfE code of Sheffield (E08000019)"),
    ]
    assert ledger.inspections_of(admin, "E08000016")[0].theme == "Children in care"


def test_a_generic_csv_round_trips_history_and_a_sif_inspection_but_refuses_a_limiting_breach(
    ledger, councils, admin, tmp_path
):
    ofsted_rows = rows_of(ILACS)
    sif = dict.fromkeys(SIF_AREAS, RI) | {"looked_after": GOOD, "adoption_performance": GOOD}
    limiting = dict.fromkeys(SIF_AREAS, RI) | {"help_and_protection": INADEQUATE}
    generic = [line for r in ofsted_rows for line in as_generic(r)]
    rows = [
        *generic,
        *sif_rows("E09000002", "2016-03-07", sif),
        *sif_rows("E09000003", "2016-03-07", limiting),
    ]
    path = write_csv(tmp_path / "generic.csv", list(GENERIC_COLUMNS), rows)

    report = import_csv(ledger, path, councils=councils)
    ofsted_again = import_csv(ledger, ILACS, councils=councils)

    refused_lines = list(range(len(generic) + 9, len(generic) + 16))
    assert report.format == "generic"
    assert [line for line, _ in report.rejected] == refused_lines
    assert all("limiting judgment" in reason for _, reason in report.rejected)
    assert report.created == len(ofsted_rows) + 1
    assert (ofsted_again.created, ofsted_again.already_present) == (0, len(ofsted_rows))
    assert ofsted_again.rejected == []  # same grades and dates as the generic file gave
    sif_inspection = ledger.inspections_of(admin, "E09000002")[0]
    assert (sif_inspection.framework_key, sif_inspection.grades()) == ("sif", sif)
    assert [i.framework_key for i in ledger.inspections_of(admin, "E09000003")] == [
        "ilacs_2018",
        "ilacs_2023",
    ]


def test_a_generic_inspection_with_one_bad_row_is_refused_whole(ledger, councils, tmp_path):
    good = dict.fromkeys(SIF_AREAS, GOOD)
    rows = sif_rows("E09000002", "2016-03-07", good)
    rows[2][5] = "adoption"
    path = write_csv(tmp_path / "generic.csv", list(GENERIC_COLUMNS), rows)

    report = import_csv(ledger, path, councils=councils)

    reasons = dict(report.rejected)
    assert sorted(reasons) == list(range(2, 9))
    assert "no judgment area 'adoption'" in reasons[4]
    assert reasons[2] == "Not imported: line 4 of the same inspection was refused"
    assert (report.created, inspection_count(ledger)) == (0, 0)


def test_a_second_copy_with_different_grades_is_refused_not_merged(ledger, councils, tmp_path):
    import_csv(ledger, ILACS, councils=councils)
    barnet = next(r for r in rows_of(ILACS) if key_of(r) == ("E09000003", "short", "2024-06-10"))
    rows = as_generic(barnet)
    rows[-1][6] = RI  # care leavers
    path = write_csv(tmp_path / "generic.csv", list(GENERIC_COLUMNS), rows)

    report = import_csv(ledger, path, councils=councils)

    assert report.created == report.already_present == 0
    assert [line for line, _ in report.rejected] == [2, 3, 4, 5, 6]
    assert "care_leavers is 'Good', not 'Requires improvement to be good'" in report.rejected[0][1]


def test_an_unrecognised_header_is_refused_and_nothing_is_stored(ledger, councils, tmp_path):
    path = write_csv(
        tmp_path / "other.csv", ["la", "date", "grade"], [["E09000002", "2019-02-18", GOOD]]
    )

    with pytest.raises(UnrecognisedFormat, match="Unrecognised CSV header") as refused:
        import_csv(ledger, path, councils=councils)

    assert "council_code" in refused.value.message
    assert inspection_count(ledger) == 0


def test_progress_is_reported_up_to_every_row_read(ledger, councils):
    done: list[int] = []

    report = import_csv(ledger, VISITS, councils=councils, progress=done.append)

    assert done == sorted(done)
    assert done[-1] == report.rows_read == count_rows(VISITS) == 112


def test_the_documented_generic_example_imports(ledger, councils, tmp_path):
    text = (Path(__file__).resolve().parents[2] / "docs" / "import-formats.md").read_text()
    example = text.split("```csv\n")[1].split("```")[0]
    path = tmp_path / "example.csv"
    path.write_text(example)

    report = import_csv(ledger, path, councils=councils)

    assert (report.created, report.rejected) == (3, [])
    assert report.notes == [(14, "'370' is the DfE code of Barnsley (E08000016)")]


def test_the_data_folder_is_the_argument_then_ledger_data_dir_then_shared_data(tmp_path):
    assert data_dir(tmp_path, {"LEDGER_DATA_DIR": "/elsewhere"}) == tmp_path
    assert data_dir(None, {"LEDGER_DATA_DIR": "/elsewhere"}) == Path("/elsewhere")
    assert data_dir(None, {}) == DEFAULT_DATA_DIR
    assert Path(__file__).resolve().parents[2] / "data" == DEFAULT_DATA_DIR  # in the repository
    assert (DEFAULT_DATA_DIR / "councils.csv").is_file()
