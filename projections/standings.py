"""Which inspection's grades stand for a council on a date, as known at a time (pure folds)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass
class Standing:
    """The inspection whose grades stand for a council, and those grades."""

    council: str
    inspection_id: str
    framework: str
    type: str
    starts_on: date
    published_on: date
    grades: dict[str, str] = field(default_factory=dict)
    revised_by: dict[str, str] = field(default_factory=dict)  # area -> challenge id


def _published(row: Mapping[str, Any], on: date | None, known_at: datetime | None) -> bool:
    if row["published_on"] is None or (on and row["published_on"] > on):
        return False
    if known_at and row["published_at"] > known_at:
        return False
    withdrawn = row["withdrawn_on"] is not None and (on is None or row["withdrawn_on"] <= on)
    return not (withdrawn and (known_at is None or row["withdrawn_at"] <= known_at))


def grades_as_of(
    changes: Iterable[Mapping[str, Any]], on: date | None, known_at: datetime | None
) -> tuple[dict[str, str], dict[str, str]]:
    """Fold an inspection's grade changes (in version order) up to a date and a recording time."""
    grades: dict[str, str] = {}
    revised: dict[str, str] = {}
    for change in changes:
        if known_at and change["recorded_at"] > known_at:
            continue
        if on and change["effective_on"] is not None and change["effective_on"] > on:
            continue
        grades[change["area"]] = change["grade"]
        if change["challenge_id"]:
            revised[change["area"]] = change["challenge_id"]
    return grades, revised


def latest_publications(
    publication_rows: Iterable[Mapping[str, Any]], on: date | None, known_at: datetime | None
) -> dict[str, Mapping[str, Any]]:
    """Return, per council, the row of its latest published graded inspection."""
    latest: dict[str, Mapping[str, Any]] = {}
    for row in publication_rows:
        if row["graded"] and _published(row, on, known_at):
            best = latest.get(row["council"])
            if best is None or (row["published_on"], row["starts_on"]) > (
                best["published_on"],
                best["starts_on"],
            ):
                latest[row["council"]] = row
    return latest


def standings(
    publication_rows: Iterable[Mapping[str, Any]],
    change_rows: Iterable[Mapping[str, Any]],
    on: date | None = None,
    known_at: datetime | None = None,
) -> dict[str, Standing]:
    """Return, per council, the latest published graded inspection as of `on` and `known_at`."""
    latest = latest_publications(publication_rows, on, known_at)
    by_inspection: dict[str, list[Mapping[str, Any]]] = {}
    for change in sorted(change_rows, key=lambda c: (c["inspection_id"], c["version"])):
        by_inspection.setdefault(change["inspection_id"], []).append(change)
    return {
        council: standing_of(
            row, *grades_as_of(by_inspection.get(row["inspection_id"], []), on, known_at)
        )
        for council, row in latest.items()
    }


def standing_of(
    publication: Mapping[str, Any], grades: dict[str, str], revised: dict[str, str]
) -> Standing:
    """Return the standing of a council's publication with these grades."""
    return Standing(
        publication["council"],
        publication["inspection_id"],
        publication["framework"],
        publication["type"],
        publication["starts_on"],
        publication["published_on"],
        grades,
        revised,
    )
