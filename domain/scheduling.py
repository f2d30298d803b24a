"""Proportionate scheduling (DOMAIN.md §4, §7): the type of inspection a council's history calls
for is the default; any other type needs a reason. The history arrives as the council's previous
headline grade (the read side's proposal), so the domain does no I/O."""

from __future__ import annotations

from domain import limits
from domain.errors import InvalidInput
from domain.grades import GOOD, INADEQUATE, OUTSTANDING


class ReasonRequired(InvalidInput):
    """A type other than the one the council's history calls for was chosen without a reason."""

    rule = "reason-required"


def called_for(previous_grade: str | None) -> str:
    """The graded inspection a council's previous headline calls for: short after Good or
    Outstanding, standard after anything else (or nothing)."""
    return "short" if previous_grade in (GOOD, OUTSTANDING) else "standard"


def departure(type_key: str, previous_grade: str | None) -> str | None:
    """Return why `type_key` is not what the history calls for, or None when it is."""
    shown = previous_grade or "no graded inspection"
    if type_key in ("standard", "short") and type_key != called_for(previous_grade):
        return (
            f"the council's previous grade ({shown}) calls for a "
            f"{called_for(previous_grade)} inspection"
        )
    if type_key == "focused_visit" and previous_grade == INADEQUATE:
        return "focused visits are for councils not judged Inadequate"
    if type_key == "monitoring_visit" and previous_grade != INADEQUATE:
        return f"monitoring visits are for councils judged Inadequate (this one: {shown})"
    return None


def check_proportionate(type_key: str, previous_grade: str | None, reason: str) -> str:
    """Return the reason (checked against its limits), refusing a departure without one."""
    limits.SCHEDULING_REASON.checked(reason)
    why_not = departure(type_key, previous_grade)
    if why_not and not reason.strip():
        raise ReasonRequired(f"Give a reason for this type of inspection: {why_not}")
    return reason.strip()
