"""The report as pages, the API and the PDF read it: one version (or the working copy) of an
inspection's report, with its digest and its place in the hash chain."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from adapters.audit import chain_links
from domain.actors import Actor
from domain.commands.reports import may_read_working_copy
from domain.errors import NotFound
from domain.inspection import Inspection
from domain.inspection.document import Change, Version, differences
from domain.services import Ledger


@dataclass(frozen=True)
class ReportView:
    """One version of a report as a reader sees it; `version` None is the working copy."""

    inspection: Inspection
    version: Version | None
    content: dict[str, Any]
    chain_position: int | None
    chain_hash: str | None

    @property
    def sha256(self) -> str | None:
        return self.version.sha256 if self.version else None

    @property
    def versions(self) -> list[Version]:
        return list(self.inspection.report_versions)


def report_view(
    ledger: Ledger, who: Actor, id: UUID, number: int | None = None, published_only: bool = False
) -> ReportView:
    """Return the version asked for (the latest issued if none), or the working copy to those
    who may read it before issue; anything else is not found, as a hidden record is."""
    inspection = ledger.inspection(who, id)
    if published_only and inspection.published_on is None:
        raise NotFound(f"No published report {id}")
    version = inspection.report_version(number)
    if number is not None and version is None:
        raise NotFound(f"The report of inspection {id} has no version {number}")
    if version is None:
        if published_only or not may_read_working_copy(who, inspection):
            raise NotFound(f"No report of inspection {id} has been issued")
        return ReportView(inspection, None, inspection.working_copy(), None, None)
    link = chain_links(ledger.recorder, str(id)).get(version.event_version)  # type: ignore[arg-type]
    return ReportView(
        inspection,
        version,
        version.content,
        link.seq if link else None,
        link.event_hash if link else None,
    )


def changes_between(
    ledger: Ledger, who: Actor, id: UUID, first: int, second: int, published_only: bool = False
) -> tuple[ReportView, ReportView, list[Change]]:
    """Return two versions of a report and what differs from the first to the second."""
    before = report_view(ledger, who, id, first, published_only)
    after = report_view(ledger, who, id, second, published_only)
    return before, after, differences(before.content, after.content)


def publication_index(ledger: Ledger, id: UUID) -> int:
    """Return the log index (leaf) of the event that published the inspection's report; an
    inspection never published is not found, as an absent one is."""
    published = [
        e.originator_version
        for e in ledger.recorder.select_events(id)
        if e.topic.rpartition(".")[2] == "Published"
    ]
    link = chain_links(ledger.recorder, str(id)).get(published[-1]) if published else None  # type: ignore[arg-type]
    if link is None:
        raise NotFound(f"No published report {id}")
    return int(link.seq) - 1
