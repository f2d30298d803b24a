"""Headline grades by framework rule: filters, statistics, monitoring and plans agree."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from domain.events import JudgmentInput
from projections.action_plans import plans
from projections.queries import ratings
from projections.schedule import schedule
from projections.statistics import NO_HEADLINE, national_statistics
from tests.scenarios import (
    ADMIN,
    BARKING,
    BARNET,
    CAMDEN,
    GOOD,
    INADEQUATE,
    MODERATOR,
    OAK_HOUSE,
    RI,
    ilacs_2023,
    register_councils,
    run_to_final_report,
)

ILACS_2026_AREAS = ("leaders", "help_and_protection", "children_in_care", "care_leavers")
SCCIF_AREAS = ("experiences_and_progress", "helped_and_protected", "leaders_and_managers")


@pytest.fixture
def models(read_models, ledger):
    register_councils(ledger)
    return read_models


def judged(areas: tuple[str, ...], *grades: str) -> list[JudgmentInput]:
    return [JudgmentInput(a, g) for a, g in zip(areas, grades, strict=True)]


def imported_2026(ledger, council: str, *grades: str) -> None:
    starts, published = date(2026, 5, 4), date(2026, 6, 15)
    judgments = judged(ILACS_2026_AREAS, *grades)
    ledger.import_published(ADMIN, council, "standard", starts, published, judgments)


def test_an_ilacs_2026_council_with_two_inadequate_judgments_is_listed_and_counted_inadequate(
    ledger, clock, models
):
    clock.advance_to(date(2026, 7, 1))
    imported_2026(ledger, BARKING, INADEQUATE, GOOD, INADEQUATE, RI)
    imported_2026(ledger, BARNET, GOOD, GOOD, RI, GOOD)
    with models.engine.connect() as conn:
        inadequate = ratings(conn, grade=INADEQUATE)
        figures = national_statistics(conn, date(2026, 7, 1))
        entries = {e["council"]: e for e in schedule(conn, clock.day, ledger.policy)}
    assert [r.council for r in inadequate] == [BARKING]
    assert figures["headline"] == {INADEQUATE: 1, NO_HEADLINE: 1}
    assert figures["share_inadequate"] == 0.5
    assert entries[BARKING]["monitoring_visits"] != []
    assert entries[BARNET]["monitoring_visits"] == []


def test_an_ilacs_2026_council_is_not_inadequate_when_the_policy_setting_is_off(
    ledger, clock, models
):
    clock.advance_to(date(2026, 7, 1))
    imported_2026(ledger, BARKING, INADEQUATE, GOOD, INADEQUATE, RI)
    lenient = ledger.policy.with_overrides(
        {"ilacs_2026_inadequate_when_any_judgment_inadequate": False}
    )
    with models.engine.connect() as conn:
        listed = ratings(conn, grade=INADEQUATE, policy=lenient)
        figures = national_statistics(conn, date(2026, 7, 1), lenient)
    assert listed == []
    assert figures["headline"] == {NO_HEADLINE: 1}


def test_publishing_an_ilacs_2026_report_with_an_inadequate_judgment_opens_an_inadequate_plan(
    ledger, clock, models
):
    judgments = judged(ILACS_2026_AREAS, RI, INADEQUATE, RI, RI)
    inspection = run_to_final_report(ledger, clock, CAMDEN, date(2026, 5, 4), judgments)
    clock.advance_to(date(2026, 6, 15))
    plan = ledger.publish(MODERATOR, inspection)
    with models.engine.connect() as conn:
        row = conn.execute(select(plans).where(plans.c.id == str(plan))).mappings().one()
    assert row["inadequate"] is True


def test_an_sccif_inspection_never_touches_its_councils_rating(ledger, clock, models):
    clock.advance_to(date(2024, 3, 1))
    good = ilacs_2023(GOOD, GOOD, GOOD, GOOD, GOOD)
    ledger.import_published(ADMIN, BARNET, "standard", date(2023, 6, 5), date(2023, 7, 10), good)
    home = judged((*SCCIF_AREAS, "overall"), *[INADEQUATE] * 4)
    ledger.register_setting(ADMIN, "SC999001", OAK_HOUSE)
    ledger.import_published(
        ADMIN,
        BARNET,
        "sccif_full",
        date(2024, 1, 8),
        date(2024, 2, 12),
        home,
        setting_urn="SC999001",
    )
    with models.engine.connect() as conn:
        barnet = next(r for r in ratings(conn) if r.council == BARNET)
        figures = national_statistics(conn, date(2024, 3, 1))
        entry = next(e for e in schedule(conn, clock.day, ledger.policy) if e["council"] == BARNET)
    assert (barnet.framework, barnet.headline) == ("ilacs_2023", GOOD)
    assert figures["headline"] == {GOOD: 1}
    assert entry["monitoring_visits"] == []
