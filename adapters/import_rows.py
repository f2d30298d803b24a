"""Inspections read from a CSV file's rows: one per Ofsted row, or a group of generic rows
(one per judgment) sharing council, setting, framework, type and start date."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date

from adapters.csv_formats import (
    AREA_COLUMNS,
    NO_JUDGMENT,
    SETTING_COLUMNS,
    TYPE_LABELS,
    CsvFormat,
)
from adapters.reference_data import CouncilIndex
from domain import limits
from domain.errors import InvalidInput, LedgerError
from domain.events import JudgmentInput
from domain.frameworks import framework, framework_for
from domain.grades import NOT_JUDGED
from domain.inspection_types import INSPECTION_TYPES
from domain.setting import SettingDetails, SettingRefused


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


def naming_column(refused: LedgerError) -> str:
    """Return the refusal's message, led by the column at fault where it names a field."""
    column = SETTING_COLUMNS.get(getattr(refused, "field", ""), "")
    return f"{column}: {refused.message}" if column else refused.message


def candidates(
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
            yield line, naming_column(refused)
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
