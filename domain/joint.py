"""Joint inspections: the joint letter waits for a finding from every partner (DOMAIN.md §3)."""

from __future__ import annotations

from collections.abc import Iterable

from domain.actors import agency_name
from domain.errors import FindingsMissing
from domain.frameworks import Framework


def partners_without_findings(taking_part: Iterable[str], found_by: Iterable[str]) -> list[str]:
    """Return the agencies taking part that have recorded no finding yet."""
    found = set(found_by)
    return sorted(a for a in taking_part if a not in found)


def check_every_partner_found(
    chosen: Framework, taking_part: Iterable[str], found_by: Iterable[str]
) -> None:
    """Refuse the joint letter while a partner of a joint framework has recorded no finding."""
    missing = partners_without_findings(taking_part, found_by)
    if chosen.finding_from_every_partner and missing:
        raise FindingsMissing(
            f"The joint letter of a {chosen.title} needs a finding from every partner; "
            "still to record theirs: " + ", ".join(map(agency_name, missing))
        )
