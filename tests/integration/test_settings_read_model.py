"""The settings read model: details, history and the rating that stands, never a council's."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from domain.setting import SettingRefused
from projections.queries import ratings
from projections.setting_queries import NOT_RATED, setting_history, setting_row, setting_rows
from projections.settings import settings
from projections.statistics import national_statistics
from tests.integration.test_projections import snapshot
from tests.scenarios import (
    ADMIN,
    AGENCY,
    BARNET,
    CAMDEN,
    GOOD,
    HOME,
    INADEQUATE,
    INSPECTOR,
    OAK_HOUSE,
    tell_story,
)


def test_a_settings_rating_is_its_latest_published_inspection(ledger, clock, read_models):
    story = tell_story(ledger, clock)
    with read_models.engine.connect() as conn:
        home = setting_row(conn, HOME)
        history = setting_history(conn, HOME)
    assert home is not None
    assert (home["name"], home["council_name"], home["grade"]) == (
        "Oak House",
        "Barnet",
        INADEQUATE,
    )
    assert home["rated_by"] == str(story.home_inspections[1])
    assert [h["grade"] for h in history] == [INADEQUATE, GOOD]
    assert history[0]["grades"]["helped_and_protected"] == INADEQUATE


def test_an_inadequate_childrens_home_leaves_its_councils_rating_and_the_national_counts(
    ledger, clock, read_models
):
    tell_story(ledger, clock)
    with read_models.engine.connect() as conn:
        barnet = next(r for r in ratings(conn) if r.council == BARNET)
        figures = national_statistics(conn, date(2026, 11, 1))
    assert (barnet.framework, barnet.headline) == ("ilacs_2018", GOOD)  # 2019, still standing
    assert INADEQUATE not in figures["headline"] or figures["headline"][INADEQUATE] == 0


def test_changed_details_replace_the_old_ones_in_the_read_model(ledger, clock, read_models):
    tell_story(ledger, clock)
    with read_models.engine.connect() as conn:
        agency = setting_row(conn, AGENCY)
    assert agency is not None
    assert (agency["name"], agency["provider"], agency["grade"]) == (
        "Bright Futures Fostering London",
        "Bright Futures Ltd",
        None,
    )


@pytest.mark.parametrize(
    "filters, urns",
    [
        ({}, [AGENCY, HOME]),
        ({"type": "childrens_home"}, [HOME]),
        ({"grade": INADEQUATE}, [HOME]),
        ({"grade": GOOD}, []),
        ({"grade": NOT_RATED}, [AGENCY]),
        ({"council": CAMDEN}, [AGENCY]),
        ({"council": BARNET, "type": "childrens_home"}, [HOME]),
    ],
)
def test_settings_are_listed_by_type_grade_and_council(ledger, clock, read_models, filters, urns):
    tell_story(ledger, clock)
    with read_models.engine.connect() as conn:
        assert [r["urn"] for r in setting_rows(conn, **filters)] == urns


def test_the_rebuilt_settings_read_model_equals_the_live_one(ledger, clock, read_models):
    tell_story(ledger, clock)
    live = snapshot(read_models)
    assert live["rm_settings"] and live["rm_setting_inspections"]
    read_models.rebuild(ledger, ["settings"])
    assert snapshot(read_models) == live


def test_scheduling_an_sccif_inspection_of_an_unregistered_setting_is_refused(
    ledger, clock, read_models
):
    tell_story(ledger, clock)
    clock.advance_to(date(2026, 11, 2))
    with pytest.raises(SettingRefused) as refused:
        ledger.schedule_inspection(
            INSPECTOR, "", "sccif_full", date(2026, 12, 7), setting_urn="SC123456"
        )
    assert refused.value.field == "setting_urn"


def test_an_sccif_inspection_scheduled_by_urn_is_recorded_in_its_settings_area(
    ledger, clock, read_models
):
    tell_story(ledger, clock)
    clock.advance_to(date(2026, 11, 2))
    made = ledger.schedule_inspection(
        INSPECTOR, "", "sccif_full", date(2026, 12, 7), setting_urn=HOME
    )
    assert ledger.inspection(INSPECTOR, made).council == BARNET


def test_a_setting_in_another_area_than_the_council_named_is_refused_naming_council(
    ledger, clock, read_models
):
    tell_story(ledger, clock)
    with pytest.raises(SettingRefused) as refused:
        ledger.schedule_inspection(
            INSPECTOR, CAMDEN, "sccif_full", date(2026, 12, 7), setting_urn=HOME
        )
    assert refused.value.field == "council"


def test_a_council_level_inspection_naming_a_setting_is_refused(ledger, clock, read_models):
    tell_story(ledger, clock)
    with pytest.raises(SettingRefused) as refused:
        ledger.schedule_inspection(
            INSPECTOR, BARNET, "standard", date(2026, 12, 7), setting_urn=HOME
        )
    assert refused.value.field == "setting_urn"


def test_a_setting_registered_twice_is_stored_once(ledger, clock, read_models):
    tell_story(ledger, clock)
    _, created = ledger.register_setting(ADMIN, HOME, OAK_HOUSE)
    with read_models.engine.connect() as conn:
        assert created is False
        assert len(conn.execute(select(settings)).all()) == 2
