"""Import published inspection outcomes from a CSV file whose header says which format it is.

Formats: ``ofsted_ilacs`` (Ofsted's ILACS outcomes, a graded inspection a row),
``ofsted_visits`` (Ofsted's inspections and visits of a year; focused and monitoring visits
have a ``Visit Theme`` and no grades) and ``generic``, one row per judgment:

- ``council_code``: ONS code as Ofsted uses it, the 2024 ONS code or the DfE code
- ``framework``: ``sif``, ``ilacs_2018``, ``ilacs_2023``, ``ilacs_2026``, ``jtai``, ``sccif``;
  empty to choose by type and start date
- ``inspection_type``: ``standard``, ``short``, ``focused_visit``, ``monitoring_visit``,
  ``jtai``, ``sccif_full`` (Ofsted's labels are accepted too)
- ``start_date``, ``publication_date``: ``YYYY-MM-DD``
- ``judgment_area``: an area key of the framework, or ``overall``; empty when ungraded
- ``grade``: exactly as published (``Requires improvement to be good``); empty when ungraded;
  ``-`` or empty beside an area: Ofsted made no judgment there (recorded as not judged, for the
  areas a framework lets go unjudged, e.g. SIF's children looked after, adoption, care leavers)
- ``theme`` (optional): the theme of a visit or JTAI
- ``setting_urn`` (optional): the Ofsted URN of the regulated setting an SCCIF inspection is of
  (``council_code`` is then the council whose area it is in); a URN not yet registered is
  registered from ``setting_name``, ``setting_type`` and one of ``provider_council`` (the
  council that runs it) or ``provider`` (a private provider's name)

Rows sharing council, setting, framework, type and start date are one inspection; an ungraded
one is one row with empty area and grade. docs/import-formats.md has examples and every area key.
Each inspection goes through ``Ledger.import_published``, so through its framework's rules; a
refused row is reported with its line and reason, and nothing of its inspection is stored.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from uuid import UUID

from adapters.reference_data import IMPORTER, CouncilIndex, council_index
from domain import limits
from domain.actors import Actor
from domain.errors import ConflictingChange, InvalidInput, LedgerError
from domain.events import JudgmentInput
from domain.frameworks import framework, framework_for
from domain.grades import NOT_JUDGED
from domain.inspection import Inspection
from domain.inspection_types import INSPECTION_TYPES
from domain.rules import OVERALL
from domain.services import Ledger
from domain.setting import SettingDetails, SettingRefused

Progress = Callable[[int], None]
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


@dataclass
class ImportReport:
    """What an import did: counts, refused rows with reasons, and notes on odd rows."""

    format: str
    source: str
    rows_read: int = 0
    created: int = 0
    already_present: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.rejected

    def summary(self) -> str:
        """Return one line that says what happened."""
        return (
            f"{self.source} ({self.format}): {self.rows_read} rows, {self.created} "
            f"inspections created, {self.already_present} already present, "
            f"{len(self.rejected)} rows refused"
        )


@dataclass
class Candidate:
    """One inspection read from the file, with the lines it came from."""

    lines: list[int]
    council: str
    type_key: str
    starts_on: date
    published_on: date
    framework_key: str | None = None
    theme: str = ""
    judgments: list[JudgmentInput] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    setting_urn: str = ""
    setting: SettingDetails | None = None  # registers the setting if its URN is not yet known


Read = Candidate | tuple[int, str]  # an inspection, or a refused line with its reason


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
    return len(_read(Path(path))[1])


def _read(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
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


def import_csv(
    ledger: Ledger,
    path: Path | str,
    actor: Actor = IMPORTER,
    councils: CouncilIndex | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import every inspection in a CSV file; refuse bad rows and carry on with the rest."""
    path = Path(path)
    header, rows = _read(path)
    chosen = recognise(header)
    councils = council_index(ledger) if councils is None else councils
    report = ImportReport(chosen.name, path.name, rows_read=len(rows))
    done = 0
    for item in _candidates(chosen, rows, councils):
        done += 1 if isinstance(item, tuple) else len(item.lines)
        _store(ledger, actor, item, path.name, councils, report)
        if progress:
            progress(done)
    report.rejected.sort()
    return report


def _store(
    ledger: Ledger,
    actor: Actor,
    item: Read,
    source: str,
    councils: CouncilIndex,
    report: ImportReport,
) -> None:
    if isinstance(item, tuple):
        report.rejected.append(item)
        return
    try:
        councils.check_existed_on(item.council, item.starts_on)
        recorded, created = ledger.import_published(
            actor,
            item.council,
            item.type_key,
            item.starts_on,
            item.published_on,
            item.judgments,
            item.framework_key,
            item.theme,
            f"{source} line {item.lines[0]}",
            item.setting_urn,
            item.setting,
        )
        if not created:
            _check_same_as_recorded(ledger, recorded, item)
    except LedgerError as refused:
        report.rejected.extend((line, _naming_column(refused)) for line in item.lines)
        return
    report.created += created
    report.already_present += not created
    report.notes.extend((item.lines[0], note) for note in item.notes)


def _naming_column(refused: LedgerError) -> str:
    """Return the refusal's message, led by the column at fault where it names a field."""
    column = SETTING_COLUMNS.get(getattr(refused, "field", ""), "")
    return f"{column}: {refused.message}" if column else refused.message


def _check_same_as_recorded(ledger: Ledger, id: UUID, item: Candidate) -> None:
    """Refuse a row that disagrees with the inspection already recorded under its key."""
    original: dict[str, str] = {}
    current: dict[str, str] = {}
    published = None
    for event in ledger.events_of(id):
        if isinstance(event, Inspection.JudgmentRecorded):
            original[event.area] = current[event.area] = event.grade
        elif isinstance(event, Inspection.JudgmentRevised):
            current[event.area] = event.grade
        elif isinstance(event, Inspection.Published):
            published = event.on
    given = {j.area: j.grade for j in item.judgments}
    if given not in (original, current):
        differ = sorted(a for a in {*given, *current} if given.get(a) != current.get(a))
        raise ConflictingChange(
            "Already recorded with different grades: "
            + "; ".join(f"{a} is '{current.get(a, '')}', not '{given.get(a, '')}'" for a in differ)
        )
    if published != item.published_on:
        raise ConflictingChange(
            f"Already recorded as published on {published}, not {item.published_on.isoformat()}"
        )


def _candidates(
    chosen: CsvFormat, rows: list[tuple[int, dict[str, str]]], councils: CouncilIndex
) -> Iterator[Read]:
    if not chosen.start:
        yield from _generic_candidates(rows, councils)
        return
    for line, row in rows:
        try:
            yield _ofsted_candidate(chosen, line, row, councils)
        except LedgerError as refused:
            yield line, refused.message


def _ofsted_candidate(
    chosen: CsvFormat, line: int, row: dict[str, str], councils: CouncilIndex
) -> Candidate:
    code, notes = councils.resolve(row["Local authority area code"])
    judgments = [
        JudgmentInput(area, row[column]) for column, area in AREA_COLUMNS.items() if row[column]
    ]
    return Candidate(
        [line],
        code,
        _type_key(row[chosen.type]),
        _date(row[chosen.start], chosen.start),
        _date(row["Publication date"], "Publication date"),
        theme=row.get(chosen.theme, ""),
        judgments=judgments,
        notes=notes,
    )


def _generic_candidates(
    rows: list[tuple[int, dict[str, str]]], councils: CouncilIndex
) -> Iterator[Read]:
    groups: dict[tuple[str, str, str, str, date], Candidate] = {}
    refusals: dict[tuple[str, str, str, str, date], list[tuple[int, str]]] = {}
    for line, row in rows:
        try:
            candidate = _generic_row(line, row, councils)
        except LedgerError as refused:
            yield line, _naming_column(refused)
            continue
        key = (
            candidate.council,
            candidate.setting_urn,
            candidate.framework_key or "",
            candidate.type_key,
            candidate.starts_on,
        )
        problem = _join(
            groups.setdefault(key, replace(candidate, lines=[], judgments=[])), candidate
        )
        if problem:
            refusals.setdefault(key, []).append((line, problem))
    for key, group in groups.items():
        yield from _refuse_group(group, refusals[key]) if key in refusals else [group]


def _join(group: Candidate, row: Candidate) -> str | None:
    """Add a row to its inspection; return why the row is refused, if it is."""
    group.lines.append(row.lines[0])
    group.theme, chosen = group.theme or row.theme, framework(row.framework_key or "")
    try:
        for judgment in row.judgments:
            chosen.check_grade(judgment.area, judgment.grade)
            if judgment.area in {j.area for j in group.judgments}:
                raise InvalidInput(f"'{judgment.area}' is graded twice for this inspection")
    except LedgerError as refused:
        return refused.message
    if row.published_on != group.published_on:
        return (
            f"publication_date {row.published_on.isoformat()} differs from line "
            f"{group.lines[0]} ({group.published_on.isoformat()})"
        )
    group.judgments.extend(row.judgments)
    return None


def _refuse_group(group: Candidate, refused: list[tuple[int, str]]) -> Iterator[Read]:
    bad = dict(refused)
    yield from refused
    yield from (
        (line, f"Not imported: line {min(bad)} of the same inspection was refused")
        for line in group.lines
        if line not in bad
    )


def _generic_row(line: int, row: dict[str, str], councils: CouncilIndex) -> Candidate:
    code, notes = councils.resolve(row["council_code"])
    type_key = _type_key(row["inspection_type"])
    starts_on = _date(row["start_date"], "start_date")
    key = (
        framework(row["framework"].lower()).key
        if row["framework"]
        else framework_for(type_key, starts_on).key
    )
    area, grade = row["judgment_area"], row["grade"]
    if grade and not area:
        raise InvalidInput("A grade needs its judgment_area")
    grade = grade if grade not in NO_JUDGMENT else NOT_JUDGED
    urn = row.get("setting_urn", "")
    if urn:
        limits.SETTING_URN.checked(urn)
    return Candidate(
        [line],
        code,
        type_key,
        starts_on,
        _date(row["publication_date"], "publication_date"),
        key,
        row.get("theme", ""),
        [JudgmentInput(area, grade)] if area else [],
        notes,
        urn,
        _setting_details(row, code, councils) if urn else None,
    )


def _setting_details(
    row: dict[str, str], area: str, councils: CouncilIndex
) -> SettingDetails | None:
    """Return what registers the row's setting, if the row says (its name, at least)."""
    if not row.get("setting_name"):
        return None
    runner = row.get("provider_council", "")
    try:
        runner = councils.resolve(runner)[0] if runner else ""
    except InvalidInput as unknown:
        raise SettingRefused("provider_council", unknown.message) from None
    return SettingDetails(
        row["setting_name"], row.get("setting_type", ""), area, runner, row.get("provider", "")
    )


def _type_key(label: str) -> str:
    key = TYPE_LABELS.get(label, label.strip().lower())
    if key not in INSPECTION_TYPES:
        raise InvalidInput(
            f"Unknown inspection type '{label}' (known: "
            + ", ".join([*TYPE_LABELS, *INSPECTION_TYPES])
            + ")"
        )
    return key


def _date(text: str, column: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{column} '{text}' is not a date (expected YYYY-MM-DD)") from None
