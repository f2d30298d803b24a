"""The demo's live work has reports at every stage, Barking and Dagenham's draft in full."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from domain.inspection import DEMONSTRATION
from domain.inspection.document import differences
from web import create_app
from web.demo import BARKING, BARNET, CAMDEN, SEEDER, seed

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    url = f"sqlite:///{Path(tmp_path_factory.mktemp('demo')) / 'ledger.sqlite'}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LEDGER_INLINE_PROJECTIONS", "1")
        app = create_app({"DATABASE_URL": url, "TESTING": True, "SECRET_KEY": "t"})
        list(seed(app.extensions["ledger"], identity=app.extensions["identity"]))
        yield app.extensions["ledger"]
        for name in ("api_tokens", "api_idempotency", "identity", "ledger_services"):
            app.extensions[name].close()


def live(ledger, council: str):
    return next(i for i in ledger.inspections_of(SEEDER, council) if i.source == DEMONSTRATION)


def test_barking_and_dagenham_s_draft_carries_several_paragraphs_per_judgment(demo) -> None:
    draft = live(demo, BARKING).report_version()
    assert (draft.number, draft.stage) == (1, "draft")
    areas = [s for s in draft.content["sections"] if s["key"].startswith("area:")]
    assert len(areas) == 4 and all(s["grade"] for s in areas)
    for section in areas:
        paragraphs = [p for part in section["parts"].values() for p in part.split("\n\n")]
        assert len(paragraphs) >= 3, section["key"]


def test_barnet_s_final_report_changed_where_its_comment_was_accepted(demo) -> None:
    inspection = live(demo, BARNET)
    draft, final = inspection.report_version(1), inspection.report_version(2)
    assert final.stage == "final" and inspection.comments[0]["answer"]["accepted"]
    changes = differences(draft.content, final.content)
    assert [(c.section, c.part) for c in changes] == [("area:children_in_care", "working_well")]


def test_camden_s_report_is_begun_on_site_and_not_yet_issued(demo) -> None:
    inspection = live(demo, CAMDEN)
    assert inspection.report_versions == [] and inspection.working_section("headline")["text"]


def test_only_the_demos_own_work_is_marked_as_demonstration(demo) -> None:
    mine = demo.inspections_of(SEEDER, BARKING)
    marked = [i for i in mine if i.source == DEMONSTRATION]
    assert len(marked) == 1 and marked[0].published_on is None
    assert all(i.source and i not in marked for i in mine if i.source != DEMONSTRATION)
