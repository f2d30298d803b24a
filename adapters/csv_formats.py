"""The CSV formats the importer recognises by their header, and reading their rows."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from domain.errors import InvalidInput
from domain.rules import OVERALL

TYPE_LABELS = {
    "ILACS Standard Inspection": "standard",
    "ILACS Short Inspection": "short",
    "ILACS Focused Visit": "focused_visit",
    "LA Monitoring visit": "monitoring_visit",
}
AREA_COLUMNS = {
    "Overall effectiveness": OVERALL,
    "The impact of leaders on social work practice with children and families": "leaders",
    "The experiences and progress of children who need help and protection": "help_and_protection",
    "The experiences and progress of children in care": "children_in_care",
    "The experiences and progress of care leavers": "care_leavers",
}
NO_JUDGMENT = ("", "-")  # how Ofsted's tables show a judgment it did not make
GENERIC_COLUMNS = (
    "council_code",
    "framework",
    "inspection_type",
    "start_date",
    "publication_date",
    "judgment_area",
    "grade",
)
SETTING_COLUMNS = {  # the field a refusal names -> the generic format's column
    "setting_urn": "setting_urn",
    "setting_name": "setting_name",
    "setting_type": "setting_type",
    "provider_council": "provider_council",
    "provider": "provider",
    "council": "council_code",
}


class UnrecognisedFormat(InvalidInput):
    """The file's header matches none of the formats the importer knows."""

    rule = "unrecognised-import-format"


@dataclass(frozen=True)
class CsvFormat:
    """A file format, known by the columns its header must have."""

    name: str
    required: tuple[str, ...]
    start: str = ""  # an Ofsted format's start date column; empty: one row per judgment
    type: str = ""
    theme: str = ""

    def fits(self, header: Iterable[str]) -> bool:
        """Say whether a header has every column this format needs."""
        return set(self.required) <= set(header)


OFSTED_ILACS = CsvFormat(
    "ofsted_ilacs",
    (
        "Local authority area code",
        "Inspection date",
        "Publication date",
        "Inspection type",
        *AREA_COLUMNS,
    ),
    "Inspection date",
    "Inspection type",
)
OFSTED_VISITS = CsvFormat(
    "ofsted_visits",
    (
        "Local authority area code",
        "Inspection/Visit date",
        "Publication date",
        "Inspection/Visit type",
        "Visit Theme",
        *AREA_COLUMNS,
    ),
    "Inspection/Visit date",
    "Inspection/Visit type",
    "Visit Theme",
)
GENERIC = CsvFormat("generic", GENERIC_COLUMNS)
FORMATS = (OFSTED_VISITS, OFSTED_ILACS, GENERIC)


def recognise(header: Iterable[str]) -> CsvFormat:
    """Return the format a header belongs to, or refuse an unknown one."""
    names = [h.strip() for h in header]
    for candidate in FORMATS:
        if candidate.fits(names):
            return candidate
    raise UnrecognisedFormat(
        "Unrecognised CSV header (" + ", ".join(names[:8]) + "); expected Ofsted's ILACS "
        "outcomes, Ofsted's inspections and visits, or the generic format with columns "
        + ", ".join(GENERIC_COLUMNS)
        + " (see docs/import-formats.md)"
    )


def count_rows(path: Path | str) -> int:
    """Count a file's data rows, for a progress bar."""
    return len(read_rows(Path(path))[1])


def read_rows(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    try:
        return _rows(path)
    except UnicodeDecodeError:
        raise InvalidInput(f"{path.name} is not UTF-8 text; save it as CSV (UTF-8)") from None


def _rows(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    with path.open(newline="", encoding="utf-8-sig") as file:
        reader = csv.DictReader(file)
        header = [h.strip() for h in reader.fieldnames or []]
        rows, line = [], reader.line_num + 1
        for raw in _records(reader):
            row = {
                (k or "").strip(): (v or "").strip()
                for k, v in raw.items()
                if not isinstance(v, list)
            }
            if any(row.values()):
                rows.append((line, row))
            line = reader.line_num + 1
    return header, rows


def _records(reader: csv.DictReader[str]) -> Iterator[dict[str, str]]:
    """Yield the reader's rows; one it cannot read (a field over its limit) is refused."""
    try:
        yield from reader
    except csv.Error as error:
        raise InvalidInput(f"line {reader.line_num + 1}: {error}") from None  # the one it read
