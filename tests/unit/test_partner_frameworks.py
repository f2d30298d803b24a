"""Partner-led frameworks (DOMAIN.md §3): HMI Probation's youth justice inspections and the
area SEND inspections of Ofsted and CQC, their rules kept and broken, as tables."""

from __future__ import annotations

from datetime import date

import pytest

from domain.actors import Actor
from domain.errors import (
    GradeNotOnScale,
    JudgmentsIncomplete,
    NoFrameworkApplies,
    NoOverallJudgmentInFramework,
    OverallDoesNotFollowFromScores,
    PermissionDenied,
    UnknownJudgmentArea,
)
from domain.events import JudgmentInput
from domain.frameworks import framework_for
from domain.inspection import Inspection
from domain.partner_frameworks import (
    AREA_SEND,
    INCONSISTENT,
    SYSTEMIC_FAILINGS,
    TYPICALLY_POSITIVE,
    YOUTH_JUSTICE_2018,
    YOUTH_JUSTICE_2021,
)
from domain.policy import DEFAULT_POLICY
from tests.unit.builders import COUNCIL, INSPECTOR

RATING = {"O": "Outstanding", "G": "Good", "RI": "Requires improvement", "I": "Inadequate"}
HMIP_INSPECTOR = Actor("harri.inspector", "inspector", "HMIP")
HMIP_MODERATOR = Actor("hemi.moderator", "moderator", "HMIP")


def rated(framework, counts: str, overall: str | None) -> dict[str, str]:
    """Rate the standards in order by counts such as '6O 6G', then give the overall rating."""
    letters: list[str] = []
    for part in counts.split():
        letter = part.lstrip("0123456789")
        letters += [letter] * int(part.removesuffix(letter))
    keys = [a.key for a in framework.areas]
    grades = {key: RATING[letter] for key, letter in zip(keys, letters, strict=True)}
    return grades | ({"overall": RATING[overall]} if overall else {})


def cases(*rows: tuple) -> list:
    return [pytest.param(*values, id=name) for name, *values in rows]


YJS_18, YJS_21 = YOUTH_JUSTICE_2018, YOUTH_JUSTICE_2021

# fmt: off
SCORED = cases(
    ("2018 all Good scores 24 of 36: Good", YJS_18, "12G", "G"),
    ("2018 a score of 6 is Inadequate", YJS_18, "6RI 6I", "I"),
    ("2018 a score of 7 is Requires improvement", YJS_18, "7RI 5I", "RI"),
    ("2018 a score of 18 is Requires improvement", YJS_18, "6G 6RI", "RI"),
    ("2018 a score of 19 is Good", YJS_18, "7G 5RI", "G"),
    ("2018 a score of 30 is Good", YJS_18, "6O 6G", "G"),
    ("2018 a score of 31 is Outstanding", YJS_18, "7O 5G", "O"),
    ("2018 an Inadequate standard need not make the service Inadequate", YJS_18, "1I 11G", "G"),
    ("2021 thirteen standards score 19: Requires improvement", YJS_21, "6G 7RI", "RI"),
    ("2021 thirteen standards score 20: Good", YJS_21, "7G 6RI", "G"),
    ("2021 thirteen standards score 31: Good", YJS_21, "5O 8G", "G"),
    ("2021 thirteen standards score 32: Outstanding", YJS_21, "6O 7G", "O"),
    ("2021 all Inadequate scores 0", YJS_21, "13I", "I"),
)
MISRATED = cases(
    ("2018 a score of 18 is not Good", YJS_18, "6G 6RI", "G", ("score 18 of 36", "'Requires improvement'")),
    ("2018 a score of 31 is not merely Good", YJS_18, "7O 5G", "G", ("score 31 of 36", "'Outstanding'")),
    ("2018 a score of 6 is not Requires improvement", YJS_18, "6RI 6I", "RI", ("'Inadequate'",)),
    ("2021 a score of 31 of 39 is not Outstanding", YJS_21, "5O 8G", "O", ("score 31 of 39", "'Good'")),
    ("2021 a score of 20 is not Requires improvement", YJS_21, "7G 6RI", "RI", ("'Good'",)),
)
REFUSED = cases(
    ("Ofsted's wording is not HMI Probation's scale", YJS_21,
     {"1_1": "Requires improvement to be good"}, GradeNotOnScale, ("HMI Probation",)),
    ("resettlement is not a standard before 2021", YJS_18, {"4_1": "Good"},
     UnknownJudgmentArea, ("4_1",)),
    ("an area SEND inspection gives no grade", AREA_SEND, {"outcome": "Good"},
     GradeNotOnScale, ("area SEND outcomes", TYPICALLY_POSITIVE)),
    ("an area SEND inspection makes no overall judgment", AREA_SEND, {"overall": INCONSISTENT},
     NoOverallJudgmentInFramework, ("Area SEND",)),
    ("an area SEND inspection has one outcome, not judgment areas", AREA_SEND,
     {"leaders": TYPICALLY_POSITIVE}, UnknownJudgmentArea, ("outcome",)),
)
# fmt: on


@pytest.mark.parametrize(("framework", "counts", "overall"), SCORED)
def test_the_overall_rating_follows_from_the_standards_by_hmi_probation_s_scoring_rule(
    framework, counts, overall
):
    framework.check_complete(rated(framework, counts, overall))


@pytest.mark.parametrize(("framework", "counts", "overall", "mentions"), MISRATED)
def test_an_overall_rating_the_standards_do_not_score_is_refused_naming_the_rule(
    framework, counts, overall, mentions
):
    with pytest.raises(OverallDoesNotFollowFromScores) as refusal:
        framework.check_grades(rated(framework, counts, overall))
    assert refusal.value.rule == "overall-follows-from-scores"
    assert all(m in refusal.value.message for m in mentions), refusal.value.message


@pytest.mark.parametrize(("framework", "grades", "error", "mentions"), REFUSED)
def test_a_rating_or_outcome_the_framework_does_not_know_is_refused(
    framework, grades, error, mentions
):
    with pytest.raises(error) as refusal:
        framework.check_grades(grades)
    assert type(refusal.value) is error
    assert all(m in refusal.value.message for m in mentions), refusal.value.message


def test_the_overall_rating_waits_until_every_standard_is_rated():
    partial = {"1_1": "Inadequate", "overall": "Outstanding"}
    YJS_21.check_grades(partial)
    with pytest.raises(JudgmentsIncomplete, match="1.2 Staff"):
        YJS_21.check_complete(partial)


def test_youth_justice_standards_are_grouped_in_hmi_probation_s_domains():
    groups = [a.group for a in YJS_21.areas]
    assert sorted(set(groups)) == [
        "1. Organisational delivery",
        "2. Court disposals",
        "3. Out-of-court disposals",
        "4. Resettlement",
    ]
    assert YJS_18.title_of("3_4") == "3.4 Joint working"
    assert YJS_21.title_of("4_1") == "4.1 Resettlement policy and provision"
    assert YJS_21.title_of("overall") == "Overall rating"


@pytest.mark.parametrize("outcome", [TYPICALLY_POSITIVE, INCONSISTENT, SYSTEMIC_FAILINGS])
def test_an_area_send_inspection_ends_in_one_of_three_published_outcomes(outcome):
    AREA_SEND.check_complete({"outcome": outcome})


def test_an_area_send_inspection_without_its_outcome_is_incomplete():
    with pytest.raises(JudgmentsIncomplete, match="local area partnership"):
        AREA_SEND.check_complete({})


# fmt: off
CHOSEN = cases(
    ("youth justice in 2019 uses the 2018 standards", "youth_justice", date(2019, 5, 13), "yjs_2018"),
    ("youth justice from mid-2021 adds resettlement", "youth_justice", date(2022, 3, 7), "yjs_2021"),
    ("area SEND from 2023", "area_send", date(2023, 2, 6), "area_send"),
    ("an action-planning visit runs under ILACS", "action_planning_visit", date(2024, 5, 13),
     "ilacs_2023"),
)
NONE_APPLIES = cases(
    ("no youth justice standards before mid-2018", "youth_justice", date(2018, 1, 8)),
    ("no area SEND framework before 2023", "area_send", date(2022, 6, 6)),
    ("no action-planning visits under SIF", "action_planning_visit", date(2016, 5, 9)),
)
# fmt: on


@pytest.mark.parametrize(("type_key", "starts_on", "expected"), CHOSEN)
def test_the_partner_framework_is_chosen_by_type_and_date(type_key, starts_on, expected):
    assert framework_for(type_key, starts_on).key == expected


@pytest.mark.parametrize(("type_key", "starts_on"), NONE_APPLIES)
def test_no_partner_framework_applies_outside_its_dates(type_key, starts_on):
    with pytest.raises(NoFrameworkApplies):
        framework_for(type_key, starts_on)


def youth_justice(actor: Actor = HMIP_INSPECTOR) -> Inspection:
    starts = date(2026, 11, 16)
    return Inspection.schedule(
        actor, COUNCIL, "youth_justice", "yjs_2021", starts, date(2026, 10, 1), DEFAULT_POLICY
    )


def test_hmi_probation_leads_youth_justice_inspections_and_ofsted_may_not_schedule_them():
    inspection = youth_justice()
    assert (inspection.lead_agency, inspection.agencies) == ("HMIP", ["HMIP"])
    with pytest.raises(PermissionDenied, match="HM Inspectorate of Probation"):
        youth_justice(INSPECTOR)


def test_hmi_probation_rates_each_standard_and_the_service_and_ofsted_may_not():
    inspection = youth_justice()
    inspection.start_on_site(HMIP_MODERATOR, date(2026, 11, 16))
    ratings = rated(YJS_21, "7G 6RI", "G")
    judgments = [JudgmentInput(area, grade) for area, grade in ratings.items()]
    with pytest.raises(PermissionDenied):
        inspection.record_judgments(INSPECTOR, judgments)
    inspection.record_judgments(HMIP_INSPECTOR, judgments)
    inspection.complete_judgments(HMIP_MODERATOR, date(2026, 11, 20))
    assert inspection.grades()["overall"] == "Good" and inspection.graded
    assert not inspection.framework.rates_council  # it never becomes the council's rating


def test_an_area_send_inspection_is_joint_with_cqc():
    send = Inspection.schedule(
        INSPECTOR, COUNCIL, "area_send", "area_send", date(2026, 11, 16), date(2026, 11, 9),
        DEFAULT_POLICY,
    )  # fmt: skip
    assert send.agencies == ["CQC", "OFSTED"] and send.lead_agency == "OFSTED"
    assert send.framework.finding_from_every_partner and not send.framework.rates_council
