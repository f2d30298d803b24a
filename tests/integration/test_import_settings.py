"""The generic import names a regulated setting by `setting_urn`; an unknown URN registers it."""

from __future__ import annotations

import pytest

from adapters.csv_formats import GENERIC_COLUMNS
from adapters.importers import import_csv
from adapters.reference_data import load_reference_data
from domain.inspection import Inspection
from domain.setting import Setting
from tests.integration.test_import import write_csv

HEADER = [
    *GENERIC_COLUMNS,
    "setting_urn",
    "setting_name",
    "setting_type",
    "provider_council",
    "provider",
]
AREAS = ("experiences_and_progress", "helped_and_protected", "leaders_and_managers", "overall")
BARNET = "E09000003"


def home_rows(
    urn: str = "SC999001", start: str = "2024-01-08", grade: str = "Inadequate", **details: str
) -> list[list[str]]:
    """An SCCIF inspection of Barnet's own children's home, one row per judgment."""
    setting = {
        "setting_name": "Oak House",
        "setting_type": "childrens_home",
        "provider_council": BARNET,
        "provider": "",
    } | details
    return [
        [BARNET, "sccif", "sccif_full", start, "2024-02-12", area, grade, urn, *setting.values()]
        for area in AREAS
    ]


@pytest.fixture
def councils(ledger):
    return load_reference_data(ledger)


def test_an_unknown_urn_registers_the_setting_from_the_row(ledger, councils, tmp_path):
    path = write_csv(tmp_path / "homes.csv", HEADER, home_rows())

    report = import_csv(ledger, path, councils=councils)

    assert (report.created, report.rejected) == (1, [])
    home = ledger.setting("SC999001")
    assert (home.name, home.type, home.council, home.provider_council) == (
        "Oak House",
        "childrens_home",
        BARNET,
        BARNET,
    )
    inspection = next(ledger.events_of_type(Inspection.Scheduled))
    assert (inspection.setting_urn, inspection.council) == ("SC999001", BARNET)


def test_a_known_urn_is_inspected_again_without_registering_it_twice(ledger, councils, tmp_path):
    rows = [*home_rows(start="2023-01-09", grade="Good"), *home_rows()]
    path = write_csv(tmp_path / "homes.csv", HEADER, rows)

    report = import_csv(ledger, path, councils=councils)

    assert (report.created, report.rejected) == (2, [])
    assert len(list(ledger.events_of_type(Setting.Registered))) == 1


def test_a_private_provider_is_named_by_the_provider_column(ledger, councils, tmp_path):
    rows = home_rows(provider_council="", provider="Acme Care Ltd")
    report = import_csv(ledger, write_csv(tmp_path / "h.csv", HEADER, rows), councils=councils)
    assert report.rejected == []
    assert ledger.setting("SC999001").provider == "Acme Care Ltd"


@pytest.mark.parametrize(
    "change, column",
    [
        ({"urn": "SC99"}, "setting_urn"),
        ({"setting_type": "zoo"}, "setting_type"),
        ({"setting_name": "x" * 201}, "setting_name"),
        ({"provider_council": "E99999999"}, "provider_council"),
        ({"provider": "Acme Care Ltd"}, "provider"),  # and a council: both
        ({"provider_council": ""}, "provider"),  # neither
        ({"setting_name": ""}, "setting_urn"),  # unknown and nothing to register it from
    ],
)
def test_a_bad_setting_row_is_refused_with_a_line_naming_its_column_and_nothing_stored(
    ledger, councils, tmp_path, change, column
):
    details = {k: v for k, v in change.items() if k != "urn"}
    path = write_csv(
        tmp_path / "homes.csv", HEADER, home_rows(change.get("urn", "SC999001"), **details)
    )

    report = import_csv(ledger, path, councils=councils)

    assert report.created == 0
    assert report.rejected[0][0] == 2
    assert report.rejected[0][1].startswith(f"{column}: ")
    assert list(ledger.events_of_type(Setting.Registered)) == []


def test_an_sccif_row_without_a_setting_is_refused_naming_setting_urn(ledger, councils, tmp_path):
    rows = [row[:7] for row in home_rows()]
    path = write_csv(tmp_path / "homes.csv", list(GENERIC_COLUMNS), rows)

    report = import_csv(ledger, path, councils=councils)

    assert report.rejected[0][1].startswith("setting_urn: ")
    assert report.created == 0


def test_a_setting_in_another_councils_area_is_refused_naming_council_code(
    ledger, councils, tmp_path
):
    import_csv(ledger, write_csv(tmp_path / "a.csv", HEADER, home_rows()), councils=councils)
    moved = home_rows(start="2025-01-06")
    for row in moved:
        row[0] = "E09000007"
    report = import_csv(ledger, write_csv(tmp_path / "b.csv", HEADER, moved), councils=councils)
    assert report.rejected[0][1].startswith("council_code: ")
