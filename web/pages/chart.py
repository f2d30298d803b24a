"""A council's headline grade over time, drawn as an SVG line chart with a table beside it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.grades import FOUR_POINT, FOUR_POINT_BEFORE_2013
from domain.rules import OVERALL

SCALE = FOUR_POINT.grades
WIDTH, HEIGHT, LEFT, TOP, BOTTOM, RIGHT = 720, 260, 230, 20, 40, 20


@dataclass(frozen=True)
class Point:
    on: date
    grade: str
    x: float = 0
    y: float = 0


def _rank(grade: str) -> int:
    if grade in SCALE:
        return SCALE.index(grade)
    return (
        FOUR_POINT_BEFORE_2013.grades.index(grade) if grade in FOUR_POINT_BEFORE_2013.grades else 2
    )


def headline_points(history: list[dict[str, Any]]) -> list[Point]:
    """Return the headline grade (overall, else the worst area) at each date it changed."""
    standing: dict[str, dict[str, str]] = {}
    points: dict[date, str] = {}
    for change in history:
        if change["withdrawn_on"]:
            continue
        grades = standing.setdefault(change["inspection_id"], {})
        grades[change["area"]] = change["grade"]
        headline = grades.get(OVERALL) or max(grades.values(), key=_rank)
        points[change["effective_on"]] = headline
    return [Point(on, grade) for on, grade in sorted(points.items())]


def placed(points: list[Point]) -> dict[str, Any]:
    """Return the points with their coordinates, the axis labels and the polyline."""
    if not points:
        return {"points": [], "line": "", "ticks": [], "years": []}
    first, last = points[0].on.toordinal(), points[-1].on.toordinal()
    span = max(last - first, 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(on: date) -> float:
        return (
            LEFT + (on.toordinal() - first) / span * plot_w
            if len(points) > 1
            else LEFT + plot_w / 2
        )

    def y(grade: str) -> float:
        return TOP + _rank(grade) / (len(SCALE) - 1) * plot_h

    done = [Point(p.on, p.grade, round(x(p.on), 1), round(y(p.grade), 1)) for p in points]
    years = range(points[0].on.year + 1, points[-1].on.year + 1)  # 1 January of each year
    return {
        "points": done,
        "line": " ".join(f"{p.x},{p.y}" for p in done),
        "ticks": [{"grade": g, "y": round(y(g), 1)} for g in SCALE],
        "years": [{"year": yr, "x": round(x(date(yr, 1, 1)), 1)} for yr in years]
        if len(points) > 1
        else [],
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "bottom": HEIGHT - BOTTOM,
    }
