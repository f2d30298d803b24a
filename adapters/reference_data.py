"""Councils from Ofsted's reference data, and an index that finds one by any code it has had.

The files are Ofsted's official statistics: "Contains public sector information licensed under
the Open Government Licence v3.0".
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Protocol

from domain.actors import ADMIN_ORGANISATION, Actor
from domain.errors import InvalidInput
from domain.services import Ledger

ATTRIBUTION = "Contains public sector information licensed under the Open Government Licence v3.0"
DATA_DIR_VARIABLE = "LEDGER_DATA_DIR"
DEFAULT_DATA_DIR = Path(__file__).resolve().parents[1] / "data"  # the copy kept in the repository
COUNCILS_FILE, FORMER_COUNCILS_FILE = "councils.csv", "former_councils.csv"
IMPORTER = Actor("importer", "administrator", ADMIN_ORGANISATION)

# details key -> column of councils.csv
DETAIL_COLUMNS = {
    "ons_code_2024": "la_code_ons_2024plus",
    "dfe_code": "old_la_code_dfe",
    "ons_name": "la_name_ons",
    "region": "ofsted_region",
    "region_code": "region_code",
    "region_name": "region_name",
    "council_type": "la_type",
    "urn": "ofsted_urn",
}
# Ofsted's page of a local authority's reports, by the URN councils.csv gives (the ILACS and
# visits files' "Web link" column is this page: "Ofsted Local Authority Webpage").
OFSTED_REPORTS_PAGE = "https://reports.ofsted.gov.uk/provider/44/{urn}"
ALIAS_KINDS = {"ons_code_2024": "ONS code from 2024", "dfe_code": "DfE code"}


@dataclass(frozen=True)
class CouncilRecord:
    """One council as the reference files describe it."""

    code: str
    name: str
    details: dict[str, str]
    abolished_on: date | None = None
    successors: list[str] = field(default_factory=list)


class KnownCouncil(Protocol):
    """Anything shaped like a council: a reference record or the Council aggregate."""

    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def details(self) -> dict[str, str]: ...
    @property
    def abolished_on(self) -> date | None: ...
    @property
    def successors(self) -> list[str]: ...


@dataclass(frozen=True)
class Match:
    """The council a code names, and which kind of code it was if not the Ofsted ONS code."""

    council: KnownCouncil
    alias: str | None = None  # e.g. "ONS code from 2024"


class CouncilIndex:
    """Find a council by its Ofsted ONS code, its 2024 ONS code or its DfE code."""

    def __init__(self, councils: Iterable[KnownCouncil]) -> None:
        self.by_code: dict[str, KnownCouncil] = {c.code: c for c in councils}
        self.aliases: dict[str, tuple[str, str]] = {}
        for council in self.by_code.values():
            for key, kind in ALIAS_KINDS.items():
                alias = council.details.get(key, "").strip().upper()
                if alias and alias not in self.by_code:
                    self.aliases.setdefault(alias, (council.code, kind))

    def __len__(self) -> int:
        return len(self.by_code)

    def find(self, code: str) -> Match | None:
        """Return the council a code names, or None if no council has had it."""
        wanted = code.strip().upper()
        if wanted in self.by_code:
            return Match(self.by_code[wanted])
        if wanted in self.aliases:
            target, kind = self.aliases[wanted]
            return Match(self.by_code[target], kind)
        return None

    def resolve(self, code: str) -> tuple[str, list[str]]:
        """Return the Ofsted ONS code a code stands for, with notes on an alias or abolition."""
        match = self.find(code)
        if match is None:
            raise InvalidInput(f"Unknown council code '{code}'")
        council, notes = match.council, []
        if match.alias:
            notes.append(f"'{code}' is the {match.alias} of {self.name_of(council.code)}")
        if council.abolished_on is not None:
            successors = ", ".join(self.name_of(s) for s in council.successors)
            notes.append(
                f"{self.name_of(council.code)} was abolished on "
                f"{council.abolished_on.isoformat()}; successors: {successors}"
            )
        return council.code, notes

    def check_existed_on(self, code: str, day: date) -> None:
        """Refuse a day on or after the council's abolition."""
        abolished_on = self.by_code[code].abolished_on
        if abolished_on is not None and day >= abolished_on:
            raise InvalidInput(
                f"{self.name_of(code)} was abolished on {abolished_on.isoformat()}, "
                f"before this inspection started"
            )

    def name_of(self, code: str) -> str:
        """Return a council's name with its code, for messages."""
        council = self.by_code.get(code)
        return f"{council.name} ({code})" if council else code


def data_dir(directory: Path | str | None = None, environ: Mapping[str, str] | None = None) -> Path:
    """Return the reference data folder: the argument, else LEDGER_DATA_DIR, else the
    repository's data/."""
    environ = os.environ if environ is None else environ
    chosen = directory or environ.get(DATA_DIR_VARIABLE, "").strip() or DEFAULT_DATA_DIR
    return Path(chosen)


def _rows(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        raise InvalidInput(f"Reference data file {path} is missing (set {DATA_DIR_VARIABLE})")
    with path.open(newline="", encoding="utf-8-sig") as file:
        return [
            {k.strip(): (v or "").strip() for k, v in row.items()} for row in csv.DictReader(file)
        ]


def read_councils(directory: Path | str | None = None) -> list[CouncilRecord]:
    """Read the 153 current councils."""
    return [
        CouncilRecord(
            row["la_code_ons_as_used_by_ofsted_2025"],
            row["la_name_ofsted"],
            {key: row[column] for key, column in DETAIL_COLUMNS.items()},
        )
        for row in _rows(data_dir(directory) / COUNCILS_FILE)
    ]


def read_former_councils(
    directory: Path | str | None = None, current: Iterable[CouncilRecord] = ()
) -> list[CouncilRecord]:
    """Read the councils abolished by reorganisation; region comes from their successors."""
    regions = {c.code: c.details for c in current}
    records = []
    for row in _rows(data_dir(directory) / FORMER_COUNCILS_FILE):
        successors = [s.strip() for s in row["successor_codes"].split(";") if s.strip()]
        inherited = regions.get(successors[0], {}) if successors else {}
        details = {key: "" for key in DETAIL_COLUMNS}
        details.update({k: inherited.get(k, "") for k in ("region", "region_code", "region_name")})
        details.update(
            ons_code_2024=row["la_code_ons"],
            dfe_code=row["old_la_code_dfe"],
            ons_name=row["la_name"],
        )
        records.append(
            CouncilRecord(
                row["la_code_ons"],
                row["la_name"],
                details,
                date.fromisoformat(row["abolished_on"]),
                successors,
            )
        )
    return records


def read_all_councils(directory: Path | str | None = None) -> list[CouncilRecord]:
    """Read current and former councils together."""
    current = read_councils(directory)
    return [*current, *read_former_councils(directory, current)]


def load_reference_data(
    ledger: Ledger, actor: Actor = IMPORTER, directory: Path | str | None = None
) -> CouncilIndex:
    """Register every council (and abolish the former ones); safe to run again."""
    records = read_all_councils(directory)
    for record in records:
        ledger.register_council(actor, record.code, record.name, record.details)
    for record in records:
        if record.abolished_on and ledger.council(record.code).abolished_on is None:
            ledger.abolish_council(actor, record.code, record.abolished_on, record.successors)
    return CouncilIndex(records)


def council_index(ledger: Ledger) -> CouncilIndex:
    """Index the councils the ledger has registered."""
    return CouncilIndex(ledger.councils())


def ofsted_reports_page(details: Mapping[str, str]) -> str | None:
    """Return the address of Ofsted's reports on a council, where its URN is known."""
    urn = str(details.get("urn", "")).strip()
    return OFSTED_REPORTS_PAGE.format(urn=urn) if urn.isdigit() and len(urn) < 10 else None
