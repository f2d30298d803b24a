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

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from uuid import UUID

from adapters.csv_formats import (
    read_rows,
    recognise,
)
from adapters.import_rows import Candidate, Read, candidates, naming_column
from adapters.reference_data import IMPORTER, CouncilIndex, council_index
from domain.actors import Actor
from domain.errors import ConflictingChange, LedgerError
from domain.inspection import Inspection
from domain.services import Ledger

Progress = Callable[[int], None]


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


def import_csv(
    ledger: Ledger,
    path: Path | str,
    actor: Actor = IMPORTER,
    councils: CouncilIndex | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import every inspection in a CSV file; refuse bad rows and carry on with the rest."""
    path = Path(path)
    header, rows = read_rows(path)
    chosen = recognise(header)
    councils = council_index(ledger) if councils is None else councils
    report = ImportReport(chosen.name, path.name, rows_read=len(rows))
    done = 0
    for item in candidates(chosen, rows, councils):
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
        report.rejected.extend((line, naming_column(refused)) for line in item.lines)
        return
    report.created += created
    report.already_present += not created
    report.notes.extend((item.lines[0], note) for note in item.notes)


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
