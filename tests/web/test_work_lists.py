"""Work lists: what needs the reader's action apart from what waits for others, by deadline."""

from __future__ import annotations

from datetime import date

from projections.worklists import by_turn
from tests.scenarios import BARNET
from tests.web.conftest import drafted_inspection, live_inspection


def _parts(page: str) -> tuple[str, str]:
    yours, others = page.split('id="needs-action"')[1].split('id="waiting"')
    return yours, others


def test_an_inspectorate_sees_its_own_steps_apart_from_the_councils(pages):
    on_site = live_inspection(pages, BARNET)
    drafted = drafted_inspection(pages)
    pages.sign_in("inspector")
    yours, others = _parts(pages.get("/work").text)
    assert f"/inspections/{on_site}" in yours and "Record findings and judgments" in yours
    assert f"/inspections/{drafted}" in others
    assert "The council&#39;s factual accuracy comments" in others
    assert f"/inspections/{drafted}" not in yours


def test_a_council_sees_its_comments_to_send_and_its_next_inspection_window(pages):
    drafted = drafted_inspection(pages)
    pages.sign_in("officer")
    page = pages.get("/work").text
    yours, _ = _parts(page)
    assert f"/inspections/{drafted}" in yours and "Send factual accuracy comments" in yours
    window = page.split('id="next-inspection"')[1].split("</div>")[0]
    assert "is due between" in window or "Arranged:" in window


def test_items_are_sorted_soonest_deadline_first_and_undated_last():
    items = [
        {"step": "b", "due": None, "yours": True},
        {"step": "c", "due": date(2026, 3, 1), "yours": True},
        {"step": "a", "due": date(2026, 1, 1), "yours": True},
        {"step": "d", "due": date(2025, 1, 1), "yours": False},
    ]
    split = by_turn(items)
    assert [i["step"] for i in split["yours"]] == ["a", "c", "b"]
    assert [i["step"] for i in split["others"]] == ["d"]
