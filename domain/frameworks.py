"""Every framework the ledger knows, and how one is chosen (DOMAIN.md §3).

A framework is data: its type and checks are in `domain.framework_model`, the entries in
`domain.framework_catalogue` (Ofsted's) and `domain.partner_frameworks` (other inspectorates');
a new framework is a new entry there."""

from __future__ import annotations

from datetime import date

from domain.errors import InvalidInput, NoFrameworkApplies
from domain.framework_catalogue import OFSTED_FRAMEWORKS
from domain.framework_model import Framework, JudgmentArea
from domain.partner_frameworks import PARTNER_FRAMEWORKS

__all__ = [
    "FRAMEWORKS",
    "Framework",
    "JudgmentArea",
    "check_framework_fits",
    "framework",
    "framework_for",
]

FRAMEWORKS: dict[str, Framework] = {f.key: f for f in (*OFSTED_FRAMEWORKS, *PARTNER_FRAMEWORKS)}


def framework(key: str) -> Framework:
    """Return the framework with this key, or refuse an unknown one."""
    try:
        return FRAMEWORKS[key]
    except KeyError:
        raise InvalidInput(f"Unknown framework '{key}' (known: {', '.join(FRAMEWORKS)})") from None


def framework_for(type_key: str, starts_on: date) -> Framework:
    """Choose the framework in force (before one whose type ran on past its end) for this type."""
    running = [f for f in FRAMEWORKS.values() if f.runs(type_key, starts_on)]
    running.sort(key=lambda f: not f.applies_on(starts_on))
    if running:
        return running[0]
    raise NoFrameworkApplies(
        f"No framework runs a '{type_key}' inspection starting on {starts_on.isoformat()}"
    )


def check_framework_fits(chosen: Framework, type_key: str, starts_on: date) -> None:
    """Refuse a framework that does not run this type of inspection on this day."""
    if type_key not in chosen.types:
        raise NoFrameworkApplies(f"{chosen.title} does not run '{type_key}' inspections")
    if not chosen.runs(type_key, starts_on):
        last = chosen.continued_to.get(type_key, chosen.applies_to)
        raise NoFrameworkApplies(
            f"{chosen.title} did not apply on {starts_on.isoformat()} "
            f"(it applies from {chosen.applies_from.isoformat()}"
            + (f" to {last.isoformat()})" if last else ")")
        )
