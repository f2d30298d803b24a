"""A council's judgments over time, read from its inspections, for the CLI and the pages."""

from __future__ import annotations

from typing import Any

from domain.actors import Actor
from domain.council import Council
from domain.errors import NotFound
from domain.inspection_types import inspection_type
from domain.services import Ledger

READER = Actor("ledger-reader", "auditor", "AUDIT")  # reads as an auditor: every record


def find_council(ledger: Ledger, text: str) -> Council:
    """Return the council a code (ONS as Ofsted uses it, ONS 2024, DfE) or a name names."""
    wanted = text.strip().lower()
    for council in ledger.councils():
        codes = {
            council.code,
            council.details.get("ons_code_2024", ""),
            council.details.get("dfe_code", ""),
        }
        if wanted in {c.lower() for c in codes if c} or wanted == council.name.lower():
            return council
    raise NotFound(f"No council is known by '{text}' (give an ONS or DfE code, or the name)")


def council_history(ledger: Ledger, code: str) -> list[dict[str, Any]]:
    """Return each published inspection of the council with the grades that stand, oldest first."""
    rows = []
    for inspection in ledger.inspections_of(READER, code):
        if inspection.setting_urn:
            continue  # a regulated setting's, on its own page: never the council's history
        titles = inspection.framework.titles()
        rows.append(
            {
                "id": str(inspection.id),
                "starts_on": inspection.starts_on,
                "published_on": inspection.published_on,
                "status": inspection.status,
                "type": inspection.type,
                "framework": inspection.framework_key,
                "theme": inspection.theme,
                "judgments": {
                    titles.get(area, area): grade for area, grade in inspection.grades().items()
                },
            }
        )
    return rows


def format_history(council: Council, rows: list[dict[str, Any]]) -> str:
    """Return the history as text for a terminal."""
    region = council.details.get("region_name") or council.details.get("region", "")
    lines = [f"{council.name} ({council.code}){' - ' + region if region else ''}"]
    if council.abolished_on:
        lines.append(
            f"Abolished {council.abolished_on.isoformat()}; succeeded by "
            + ", ".join(council.successors)
        )
    if not rows:
        lines.append("No inspections recorded.")
    for row in rows:
        published = row["published_on"]
        state = f"published {published.isoformat()}" if published else row["status"]
        label = inspection_type(row["type"]).label
        lines.append(
            f"{row['starts_on'].isoformat()}  {label} ({row['framework']}), {state}"
            + (f" - theme: {row['theme']}" if row["theme"] else "")
        )
        lines.extend(f"    {area}: {grade}" for area, grade in row["judgments"].items())
    return "\n".join(lines)
