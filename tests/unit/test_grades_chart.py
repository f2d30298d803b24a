"""The grades-over-time chart: steps to today, dated points, each framework's headline rule."""

from __future__ import annotations

from datetime import date

from domain.policy import DEFAULT_POLICY
from web.pages.chart import headline_points, placed


def change(inspection, framework, area, grade, on, withdrawn=None):
    return {
        "inspection_id": inspection,
        "framework": framework,
        "area": area,
        "grade": grade,
        "effective_on": on,
        "withdrawn_on": withdrawn,
    }


BIRMINGHAM = [
    change("a", "ilacs_2018", "overall", "Requires improvement to be good", date(2019, 2, 1)),
    change("b", "ilacs_2023", "overall", "Good", date(2023, 4, 3)),
]


def test_a_grade_holds_flat_until_the_next_one_and_the_line_runs_to_today():
    chart = placed(headline_points(BIRMINGHAM, DEFAULT_POLICY), date(2026, 12, 2))
    first, second = chart["steps"]
    assert first["x2"] == second["x1"]  # RI holds until April 2023, then steps to Good
    assert first["next_y"] == second["y"] != first["y"]
    assert second["x2"] == chart["today"] == chart["right"]


def test_every_point_is_dated():
    points = headline_points(BIRMINGHAM, DEFAULT_POLICY)
    assert [(p.on, p.grade) for p in points] == [
        (date(2019, 2, 1), "Requires improvement to be good"),
        (date(2023, 4, 3), "Good"),
    ]


def test_ilacs_2026_without_an_inadequate_judgment_gives_no_single_headline_and_stops_the_line():
    history = [
        *BIRMINGHAM,
        change("c", "ilacs_2026", "leaders", "Good", date(2026, 6, 1)),
        change(
            "c",
            "ilacs_2026",
            "children_in_care",
            "Requires improvement to be good",
            date(2026, 6, 1),
        ),
    ]
    chart = placed(headline_points(history, DEFAULT_POLICY), date(2026, 12, 2))
    assert [p.on for p in chart["gaps"]] == [date(2026, 6, 1)]
    assert chart["steps"][-1]["next_y"] is None  # Good stops where the 2026 inspection starts


def test_ilacs_2026_with_an_inadequate_judgment_is_headline_inadequate():
    history = [
        change("c", "ilacs_2026", "leaders", "Inadequate", date(2026, 6, 1)),
        change("c", "ilacs_2026", "children_in_care", "Good", date(2026, 6, 1)),
    ]
    assert [p.grade for p in headline_points(history, DEFAULT_POLICY)] == ["Inadequate"]


def test_a_withdrawn_reports_grades_are_not_drawn():
    history = [*BIRMINGHAM[:1], {**BIRMINGHAM[1], "withdrawn_on": date(2023, 5, 1)}]
    assert len(headline_points(history, DEFAULT_POLICY)) == 1
