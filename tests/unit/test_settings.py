"""Regulated settings (DOMAIN.md §1): registered by URN, inspected under SCCIF, never a council."""

from __future__ import annotations

from datetime import date

import pytest

from domain.actors import Actor
from domain.errors import LifecycleError, PermissionDenied
from domain.frameworks import FRAMEWORKS
from domain.inspection import Inspection
from domain.limits import SETTING_URN, TextRefused
from domain.policy import DEFAULT_POLICY
from domain.setting import SETTING_TYPES, Setting, SettingDetails, SettingRefused, check_subject
from tests.unit.builders import COUNCIL, INSPECTOR, cases

ADMIN = Actor("ada.admin", "administrator", "LEDGER")
URN = "SC999001"
STARTS, TODAY = date(2026, 11, 16), date(2026, 10, 1)


def home(urn: str = URN, **changes: str) -> Setting:
    details = {"name": "Oak House", "type": "childrens_home", "council": COUNCIL}
    details |= {"provider_council": COUNCIL} if "provider" not in changes else {}
    return Setting.register(ADMIN, urn, SettingDetails(**(details | changes)))


@pytest.mark.parametrize(
    "urn, accepted",
    cases(
        ("SC and six digits", "SC999001", True),
        ("another URN", "SC123456", True),
        ("lower-case letters", "sc999001", False),
        ("five digits", "SC99900", False),
        ("seven digits", "SC9990011", False),
        ("no letters", "99900123", False),
        ("empty", "", False),
        ("Arabic-Indic digits", "SC٩٩٩٠٠١", False),
        ("a NUL inside", "SC\x0099901", False),
    ),
)
def test_a_setting_urn_is_sc_followed_by_six_digits(urn, accepted):
    assert (SETTING_URN.problem(urn) is None) is accepted


def test_registering_a_setting_records_its_urn_name_type_area_and_provider():
    setting = home()
    event = setting.collect_events()[0]
    assert isinstance(event, Setting.Registered)
    assert (event.urn, event.name, event.type, event.council) == (
        URN,
        "Oak House",
        "childrens_home",
        COUNCIL,
    )
    assert (event.provider_council, event.provider, event.demonstration) == (COUNCIL, "", False)


def test_a_private_provider_is_named_instead_of_a_council():
    setting = home(provider="Acme Care Ltd")
    assert (setting.provider_council, setting.provider, setting.provider_label) == (
        "",
        "Acme Care Ltd",
        "Acme Care Ltd",
    )


@pytest.mark.parametrize(
    "changes, field",
    cases(
        ("a URN of the wrong form", {"urn": "SC1"}, "setting_urn"),
        ("no name", {"name": "  "}, "setting_name"),
        ("a name over its limit", {"name": "x" * 201}, "setting_name"),
        ("an unknown type", {"type": "zoo"}, "setting_type"),
        (
            "both a council and a private provider",
            {"provider": "Acme", "provider_council": COUNCIL},
            "provider",
        ),
        ("neither provider", {"provider": ""}, "provider"),
        ("a provider with a control character", {"provider": "Acme\x07"}, "provider"),
    ),
)
def test_a_setting_with_bad_details_is_refused_naming_the_field(changes, field):
    with pytest.raises((SettingRefused, TextRefused)) as refused:
        home(**changes)
    assert refused.value.field == field


def test_only_an_administrator_registers_a_setting():
    with pytest.raises(PermissionDenied):
        Setting.register(
            INSPECTOR, URN, SettingDetails("Oak House", "childrens_home", COUNCIL, COUNCIL)
        )


def test_every_kind_of_regulated_setting_is_known():
    assert set(SETTING_TYPES) == {
        "childrens_home",
        "secure_childrens_home",
        "residential_special_school",
        "boarding_school",
        "independent_fostering_agency",
        "adoption_agency",
    }


def test_changed_details_are_a_new_event_and_the_registration_stays():
    setting = home()
    setting.change_details(
        ADMIN, SettingDetails("Oak House North", "secure_childrens_home", COUNCIL, provider="Acme")
    )
    registered, changed = setting.collect_events()
    assert isinstance(changed, Setting.DetailsChanged)
    assert (registered.name, setting.name, setting.type, setting.provider) == (
        "Oak House",
        "Oak House North",
        "secure_childrens_home",
        "Acme",
    )


def test_a_closed_setting_cannot_close_again():
    setting = home()
    setting.close(ADMIN, date(2026, 1, 5), "Deregistered by the provider")
    with pytest.raises(LifecycleError):
        setting.close(ADMIN, date(2026, 2, 5), "Again")


# (framework, setting URN given, whether it is accepted)
SUBJECTS = [
    (key, urn, (urn != "") == f.inspects_settings)
    for key, f in FRAMEWORKS.items()
    for urn in ("", URN)
]


@pytest.mark.parametrize("framework_key, urn, accepted", SUBJECTS)
def test_only_a_framework_that_rates_settings_inspects_a_setting(framework_key, urn, accepted):
    if accepted:
        check_subject(FRAMEWORKS[framework_key], urn)
        return
    with pytest.raises(SettingRefused) as refused:
        check_subject(FRAMEWORKS[framework_key], urn)
    assert refused.value.field == "setting_urn"


def test_an_sccif_inspection_names_its_setting_in_the_scheduled_event():
    inspection = Inspection.schedule(
        INSPECTOR, COUNCIL, "sccif_full", "sccif", STARTS, TODAY, DEFAULT_POLICY, setting_urn=URN
    )
    event = inspection.collect_events()[0]
    assert (event.setting_urn, event.council, inspection.setting_urn) == (URN, COUNCIL, URN)


def test_two_settings_in_one_area_may_be_inspected_on_the_same_day():
    first, second = (
        Inspection.schedule(
            INSPECTOR,
            COUNCIL,
            "sccif_full",
            "sccif",
            STARTS,
            TODAY,
            DEFAULT_POLICY,
            setting_urn=urn,
        )
        for urn in ("SC999001", "SC999002")
    )
    assert first.id != second.id


def test_an_sccif_inspection_without_a_setting_is_refused_naming_setting_urn():
    with pytest.raises(SettingRefused) as refused:
        Inspection.schedule(
            INSPECTOR, COUNCIL, "sccif_full", "sccif", STARTS, TODAY, DEFAULT_POLICY
        )
    assert refused.value.field == "setting_urn"


def test_a_scheduled_event_of_version_two_reads_with_no_setting():
    state = {"reason": ""}
    Inspection.Scheduled.upcast_v2_v3(state)
    assert state == {"reason": "", "setting_urn": ""}
