"""Work lists: what needs the reader's action apart from what waits for others, by deadline."""

from __future__ import annotations

from datetime import date, timedelta

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


def test_a_concern_to_acknowledge_is_on_the_inspectorates_list_with_its_deadline(pages):
    from tests.web.test_concern_pages import ANSWERS, raise_one

    reference = raise_one(pages)
    pages.sign_in("inspector")
    yours, others = _parts(pages.get("/work").text)
    row = yours.split(reference)[1].split("</tr>")[0]
    assert "Acknowledge the concern" in row and "Overdue" not in row
    assert reference not in others and ANSWERS["name"] not in yours
    pages.clock.advance_to(pages.clock() + timedelta(days=10))
    yours, _ = _parts(pages.get("/work").text)
    assert "Overdue" in yours.split(reference)[1].split("</tr>")[0]


def test_a_concern_is_on_no_council_or_partner_work_list(pages):
    from tests.web.test_concern_pages import raise_one

    reference = raise_one(pages)
    for role in ("officer", "cqc_inspector"):
        pages.sign_in(role)
        assert reference not in pages.get("/work").text


def test_concern_steps_after_acknowledgement_have_no_deadline():
    from projections.worklists import inspectorate_turns

    base = {"acknowledge_by": date(2026, 1, 5), "acknowledged_on": None, "risk": ""}
    concerns = [
        base | {"id": "a"},
        base | {"id": "b", "acknowledged_on": date(2026, 1, 2)},
        base | {"id": "c", "acknowledged_on": date(2026, 1, 2), "risk": "low"},
    ]
    work = {"inspections": [], "challenges": [], "concerns": concerns}
    steps = [
        (i["row"]["id"], i["step"], i["due"])
        for i in inspectorate_turns(work, date.today())["yours"]
    ]
    assert steps == [
        ("a", "Acknowledge the concern", date(2026, 1, 5)),
        ("b", "Assess the risk", None),
        ("c", "Link or close the concern", None),
    ]
