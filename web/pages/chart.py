"""A council's headline grade over time: an SVG step chart to today, with a table beside it.

A grade holds until the next one takes effect, so the line is drawn in steps, never slopes; each
point is dated; the headline follows each framework's own rule, and where a framework gives no
single headline grade (ILACS 2026 with no Inadequate judgment) the line stops and says so."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.frameworks import framework as framework_named
from domain.grades import FOUR_POINT, FOUR_POINT_BEFORE_2013
from domain.policy import Policy

SCALE = FOUR_POINT.grades
# Grade labels sit above their gridlines inside the plot, so a phone keeps them readable.
WIDTH, HEIGHT, LEFT, TOP, BOTTOM, RIGHT = 720, 300, 16, 40, 44, 16


@dataclass(frozen=True)
class Point:
    on: date
    grade: str | None  # None: no single headline grade from this date
    x: float = 0
    y: float = 0


def _rank(grade: str) -> int:
    if grade in SCALE:
        return SCALE.index(grade)
    return (
        FOUR_POINT_BEFORE_2013.grades.index(grade) if grade in FOUR_POINT_BEFORE_2013.grades else 2
    )


def headline_points(history: list[dict[str, Any]], policy: Policy) -> list[Point]:
    """Return the headline grade, by each framework's rule, at each date it changed."""
    standing: dict[str, dict[str, str]] = {}
    points: dict[date, str | None] = {}
    for change in history:
        if change["withdrawn_on"]:
            continue
        grades = standing.setdefault(change["inspection_id"], {})
        grades[change["area"]] = change["grade"]
        rule = framework_named(change["framework"])
        points[change["effective_on"]] = rule.headline(grades, policy)
    return [Point(on, grade) for on, grade in sorted(points.items())]


def _years(first: date, today: date) -> list[int]:
    years = list(range(first.year + 1, today.year + 1))  # 1 January of each year
    step = 1 if len(years) <= 8 else 2
    return years[::-1][::step][::-1]


def placed(points: list[Point], today: date) -> dict[str, Any]:
    """Return the points placed, the steps of the line to today, and the axes' labels."""
    if not points:
        return {"points": [], "steps": [], "ticks": [], "years": []}
    first = points[0].on
    span = max(today.toordinal() - first.toordinal(), 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(on: date) -> float:
        return round(LEFT + (on.toordinal() - first.toordinal()) / span * plot_w, 1)

    def y(grade: str) -> float:
        return round(TOP + _rank(grade) / (len(SCALE) - 1) * plot_h, 1)

    done = [Point(p.on, p.grade, x(p.on), y(p.grade) if p.grade else 0) for p in points]
    ends = [*(p.x for p in done[1:]), x(today)]
    steps = [
        {"x1": p.x, "x2": end, "y": p.y, "next_y": nxt.y if nxt.grade else None}
        for p, end, nxt in zip(done, ends, [*done[1:], done[-1]], strict=True)
        if p.grade
    ]
    return {
        "points": [p for p in done if p.grade],
        "gaps": [p for p in done if not p.grade],
        "steps": steps,
        "ticks": [{"grade": g, "y": y(g)} for g in SCALE],
        "years": [
            {"year": yr, "x": x(date(yr, 1, 1))}
            for yr in _years(first, today)
            if LEFT + 30 <= x(date(yr, 1, 1)) <= WIDTH - RIGHT - 30  # whole labels only
        ],
        "today": x(today),
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "bottom": HEIGHT - BOTTOM,
    }
