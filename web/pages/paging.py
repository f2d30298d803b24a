"""Long lists a page at a time, with GOV.UK pagination links that keep the other filters."""

from __future__ import annotations

from typing import Any, TypeVar

from flask import request, url_for

T = TypeVar("T")


def _number(raw: str | None, last: int) -> int:
    """Read a page number; anything that is not one (or out of range) is the nearest page."""
    try:
        wanted = int(raw or 1)
    except ValueError:
        wanted = 1
    return min(max(wanted, 1), last)


def _link(number: int) -> str:
    args = {k: v for k, v in request.args.items() if k != "page"}
    return url_for(request.endpoint or "", **(request.view_args or {}), **args, page=number)


def paged(rows: list[T], size: int, raw: str | None) -> tuple[list[T], dict[str, Any] | None]:
    """Return the rows of the page asked for, and GOV.UK pagination params (None: one page)."""
    last = max(1, -(-len(rows) // size))
    number = _number(raw, last)
    shown = rows[(number - 1) * size : number * size]
    if last == 1:
        return shown, None
    params: dict[str, Any] = {
        "items": [
            {"number": n, "href": _link(n), "current": n == number} for n in range(1, last + 1)
        ],
        "landmarkLabel": "Pages of results",
    }
    if number > 1:
        params["previous"] = {"href": _link(number - 1)}
    if number < last:
        params["next"] = {"href": _link(number + 1)}
    return shown, params
