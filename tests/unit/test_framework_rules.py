"""Every framework rule of DOMAIN.md §3, kept and broken, as tables."""

from __future__ import annotations

from datetime import date

import pytest

from domain.errors import (
    GradeNotOnScale,
    JudgmentRequired,
    JudgmentsIncomplete,
    LimitingJudgmentBroken,
    NoFrameworkApplies,
    NoOverallJudgmentInFramework,
    OverallBetterThanCap,
    OverallOutsideKeyJudgments,
    UngradedInspection,
    UnknownJudgmentArea,
)
from domain.frameworks import (
    FRAMEWORKS,
    ILACS_2018,
    ILACS_2023,
    ILACS_2026,
    JTAI,
    SCCIF,
    SIF,
    check_framework_fits,
    framework_for,
)

GRADE = {
    "O": "Outstanding",
    "G": "Good",
    "RI": "Requires improvement to be good",
    "I": "Inadequate",
    "-": "Not judged",
}
ILACS_AREAS = ("leaders", "help_and_protection", "children_in_care")


def graded(areas: tuple[str, ...], spec: str, **others: str) -> dict[str, str]:
    """Expand a spec such as 'RI G G G' into a grade for each area, in order."""
    letters = dict(zip(areas, spec.split(), strict=True)) | others
    return {area: GRADE[letter] for area, letter in letters.items()}


def sif(spec: str, adoption: str = "G", care_leavers: str = "G", lscb: str = "G") -> dict[str, str]:
    """Help and protection, looked after, leadership, overall; then sub-judgments and LSCB."""
    keys = ("help_and_protection", "looked_after", "leadership", "overall")
    return graded(keys, spec, adoption_performance=adoption, care_leavers=care_leavers, lscb=lscb)


def ilacs_2018(spec: str) -> dict[str, str]:
    return graded((*ILACS_AREAS, "overall"), spec)


def ilacs_2023(spec: str) -> dict[str, str]:
    return graded((*ILACS_AREAS, "care_leavers", "overall"), spec)


def ilacs_2026(spec: str) -> dict[str, str]:
    return graded((*ILACS_AREAS, "care_leavers"), spec)


def sccif(spec: str) -> dict[str, str]:
    keys = ("experiences_and_progress", "helped_and_protected", "leaders_and_managers", "overall")
    return graded(keys, spec)


def cases(*rows: tuple) -> list:
    """Turn rows whose first item is a sentence into test cases with that sentence as id."""
    return [pytest.param(*values, id=name) for name, *values in rows]


def assert_refused(call, error, *mentions):
    """Check the refusal is exactly `error`, with its own rule, and names each mention."""
    with pytest.raises(error) as refusal:
        call()
    assert type(refusal.value) is error
    assert refusal.value.rule == error.rule != "framework-rule"
    for mention in mentions:
        assert mention in refusal.value.message


# fmt: off
KEPT = cases(
    ("SIF all Good judged Good overall", SIF, sif("G G G G")),
    ("SIF RI Good Good may be judged Good overall", SIF, sif("RI G G G")),
    ("SIF RI Good Good may be judged RI overall", SIF, sif("RI G G RI")),
    ("SIF an Inadequate key judgment with Inadequate overall", SIF, sif("I RI RI I")),
    ("SIF adoption sub-judgment does not limit", SIF, sif("G G G G", adoption="I")),
    ("SIF care leavers sub-judgment does not limit", SIF, sif("G G G G", care_leavers="I")),
    ("SIF LSCB review is not part of overall", SIF, sif("G G G G", lscb="I")),
    ("ILACS 2018 Inadequate leaders with RI overall", ILACS_2018, ilacs_2018("I RI RI RI")),
    ("ILACS 2018 overall inside the range", ILACS_2018, ilacs_2018("G RI O G")),
    ("ILACS 2018 overall at the best key judgment", ILACS_2018, ilacs_2018("G RI O O")),
    ("ILACS 2023 Inadequate leaders with RI overall", ILACS_2023, ilacs_2023("I RI RI RI RI")),
    ("ILACS 2023 care leavers widen the range", ILACS_2023, ilacs_2023("G G G I I")),
    ("ILACS 2026 areas without an overall judgment", ILACS_2026, ilacs_2026("G RI I G")),
    ("SCCIF helped and protected Inadequate, overall Inadequate", SCCIF, sccif("G I G I")),
    ("SCCIF Inadequate leaders with RI overall", SCCIF, sccif("G G I RI")),
    ("SCCIF Inadequate leaders with Inadequate overall", SCCIF, sccif("G G I I")),
    ("SCCIF all Good judged Good overall", SCCIF, sccif("G G G G")),
)
# fmt: on


@pytest.mark.parametrize(("framework", "grades"), KEPT)
def test_a_complete_set_of_judgments_within_the_rules_is_accepted(framework, grades):
    framework.check_complete(grades)


LIMITING = "limiting judgment"
# fmt: off
BROKEN = cases(
    ("SIF help and protection Inadequate forces overall Inadequate", SIF, sif("I G G RI"),
     LimitingJudgmentBroken, ("Children who need help and protection", LIMITING)),
    ("SIF looked after Inadequate forces overall Inadequate", SIF, sif("G I G G"),
     LimitingJudgmentBroken, ("Children looked after and achieving permanence", LIMITING)),
    ("SIF leadership Inadequate forces overall Inadequate", SIF, sif("RI RI I RI"),
     LimitingJudgmentBroken, ("Leadership, management and governance", LIMITING)),
    ("SIF overall better than every key judgment", SIF, sif("G G G O"),
     OverallOutsideKeyJudgments, ("Outstanding", "best ('Good')")),
    ("SIF sub-judgments and LSCB do not widen the range", SIF,
     sif("G G G O", adoption="O", care_leavers="O", lscb="O"),
     OverallOutsideKeyJudgments, ("Overall effectiveness",)),
    ("SIF overall worse than every key judgment", SIF, sif("RI RI RI I"),
     OverallOutsideKeyJudgments, ("worst ('Requires improvement to be good')",)),
    ("ILACS 2018 overall below the range", ILACS_2018, ilacs_2018("G G G RI"),
     OverallOutsideKeyJudgments, ("Overall effectiveness", "key judgments")),
    ("ILACS 2018 overall above the range", ILACS_2018, ilacs_2018("I RI RI G"),
     OverallOutsideKeyJudgments, ("best ('Requires improvement to be good')",)),
    ("ILACS 2023 overall above the range", ILACS_2023, ilacs_2023("RI RI RI RI G"),
     OverallOutsideKeyJudgments, ("Overall effectiveness 'Good'",)),
    ("ILACS 2023 overall below the range", ILACS_2023, ilacs_2023("G G G G I"),
     OverallOutsideKeyJudgments, ("worst ('Good')",)),
    ("ILACS 2026 refuses an overall judgment", ILACS_2026, ilacs_2023("G G G G G"),
     NoOverallJudgmentInFramework, ("ILACS 2026", "no overall effectiveness judgment")),
    ("JTAI refuses any grade", JTAI, {"leaders": "Good"},
     UngradedInspection, ("JTAI", "no graded judgments")),
    ("SCCIF helped and protected Inadequate forces overall Inadequate", SCCIF, sccif("G I G RI"),
     LimitingJudgmentBroken, ("How well children and young people are helped and protected",)),
    ("SCCIF helped and protected Inadequate limits even Outstanding areas", SCCIF,
     sccif("O I O G"), LimitingJudgmentBroken, (LIMITING,)),
    ("SCCIF Inadequate leaders cap overall at RI", SCCIF, sccif("G G I G"),
     OverallBetterThanCap, ("The effectiveness of leaders and managers", "no better than")),
    ("SCCIF Inadequate leaders refuse an Outstanding overall", SCCIF, sccif("O O I O"),
     OverallBetterThanCap, ("not 'Outstanding'",)),
)
# fmt: on


@pytest.mark.parametrize(("framework", "grades", "error", "mentions"), BROKEN)
def test_judgments_that_break_a_framework_rule_are_refused_naming_it(
    framework, grades, error, mentions
):
    assert_refused(lambda: framework.check_grades(grades), error, *mentions)


# fmt: off
UNKNOWN = cases(
    ("ILACS has no LSCB review", ILACS_2023, "lscb", "Good",
     UnknownJudgmentArea, ("lscb", "ILACS 2023")),
    ("ILACS 2018 judges care leavers with children in care", ILACS_2018, "care_leavers", "Good",
     UnknownJudgmentArea, ("care_leavers",)),
    ("SCCIF names its own areas", SCCIF, "leaders", "Good",
     UnknownJudgmentArea, ("SCCIF", "leaders_and_managers")),
    ("Adequate belongs only to older history", ILACS_2023, "leaders", "Adequate",
     GradeNotOnScale, ("'Adequate'", "four-point")),
    ("a grade of another scale", SIF, "overall", "Satisfactory",
     GradeNotOnScale, ("'Satisfactory'",)),
    ("grades are spelt as published", ILACS_2026, "leaders", "good", GradeNotOnScale, ("'good'",)),
)
# fmt: on


@pytest.mark.parametrize(("framework", "area", "grade", "error", "mentions"), UNKNOWN)
def test_an_area_or_grade_the_framework_does_not_know_is_refused(
    framework, area, grade, error, mentions
):
    assert_refused(lambda: framework.check_grades({area: grade}), error, *mentions)


def without(grades: dict[str, str], area: str) -> dict[str, str]:
    return {key: grade for key, grade in grades.items() if key != area}


# fmt: off
INCOMPLETE = cases(
    ("ILACS 2023 without care leavers", ILACS_2023,
     without(ilacs_2023("G G G G G"), "care_leavers"),
     ("The experiences and progress of care leavers",)),
    ("ILACS 2018 without overall", ILACS_2018, without(ilacs_2018("G G G G"), "overall"),
     ("Overall effectiveness",)),
    ("SIF without adoption performance", SIF, without(sif("G G G G"), "adoption_performance"),
     ("Adoption performance",)),
    ("SCCIF with only overall", SCCIF, {"overall": "Good"},
     ("helped and protected", "leaders and managers")),
    ("ILACS 2026 with nothing", ILACS_2026, {}, ("impact of leaders", "care leavers")),
)
# fmt: on


@pytest.mark.parametrize(("framework", "grades", "mentions"), INCOMPLETE)
def test_a_set_of_judgments_with_an_area_ungraded_is_incomplete(framework, grades, mentions):
    assert_refused(lambda: framework.check_complete(grades), JudgmentsIncomplete, *mentions)


# fmt: off
NOT_JUDGED_KEPT = cases(
    ("the Isles of Scilly: nothing looked after to judge", SIF,
     sif("G - G G", adoption="-", care_leavers="-")),
    ("the City of London: no adoption performance", SIF, sif("G G O G", adoption="-")),
    ("overall at the best of the key judgments made", SIF,
     sif("O - G O", adoption="-", care_leavers="-")),
)
NOT_JUDGED_BROKEN = cases(
    ("overall outside the key judgments made", SIF,
     sif("G - G O", adoption="-", care_leavers="-"), OverallOutsideKeyJudgments,
     ("Overall effectiveness 'Outstanding'", "('Good')")),
    ("a limiting judgment among those made", SIF, sif("I - G G", adoption="-"),
     LimitingJudgmentBroken, ("Children who need help and protection",)),
    ("SIF help and protection not judged", SIF, sif("- G G G"), JudgmentRequired,
     ("'Children who need help and protection' must be judged",)),
    ("SIF overall not judged", SIF, sif("G G G -"), JudgmentRequired,
     ("'Overall effectiveness' must be judged",)),
    ("ILACS 2023 care leavers not judged", ILACS_2023, ilacs_2023("G G G - G"),
     JudgmentRequired, ("care leavers' must be judged under ILACS 2023",)),
)
# fmt: on


@pytest.mark.parametrize(("framework", "grades"), NOT_JUDGED_KEPT)
def test_an_area_the_framework_lets_go_unjudged_may_be_not_judged(framework, grades):
    framework.check_complete(grades)


@pytest.mark.parametrize(("framework", "grades", "error", "mentions"), NOT_JUDGED_BROKEN)
def test_not_judged_is_refused_where_a_judgment_is_required_or_rules_break(
    framework, grades, error, mentions
):
    assert_refused(lambda: framework.check_complete(grades), error, *mentions)


def test_a_sif_set_is_complete_without_the_separately_graded_lscb_review():
    SIF.check_complete(without(sif("G G G G"), "lscb"))


def test_a_jtai_is_complete_without_any_grade():
    JTAI.check_complete({})
    assert JTAI.area_keys() == ()


def test_an_overall_given_before_every_key_judgment_waits_for_the_rest():
    ILACS_2023.check_grades(graded(("leaders", "overall"), "G RI"))
    ILACS_2023.check_complete(ilacs_2023("G RI G G RI"))
    assert_refused(
        lambda: ILACS_2023.check_complete(ilacs_2023("G G G G RI")),
        OverallOutsideKeyJudgments,
        "Overall effectiveness",
    )


def test_a_limiting_judgment_is_refused_as_soon_as_it_is_given():
    assert_refused(
        lambda: SIF.check_grades(graded(("overall", "leadership"), "G I")),
        LimitingJudgmentBroken,
        "Leadership, management and governance",
    )


# fmt: off
CHOSEN = cases(
    ("SIF from November 2013", "standard", date(2013, 11, 1), "sif"),
    ("SIF on its last day", "standard", date(2017, 12, 31), "sif"),
    ("SIF monitoring visits", "monitoring_visit", date(2017, 12, 31), "sif"),
    ("ILACS 2018 on its first day", "standard", date(2018, 1, 1), "ilacs_2018"),
    ("ILACS 2018 for new inspections while SIF re-inspections go on", "standard",
     date(2018, 6, 30), "ilacs_2018"),
    ("ILACS 2018 short inspections", "short", date(2018, 1, 1), "ilacs_2018"),
    ("ILACS 2018 on its last day", "focused_visit", date(2022, 12, 31), "ilacs_2018"),
    ("ILACS 2023 on its first day", "standard", date(2023, 1, 1), "ilacs_2023"),
    ("ILACS 2023 on its last day", "short", date(2026, 3, 31), "ilacs_2023"),
    ("ILACS 2026 on its first day", "standard", date(2026, 4, 1), "ilacs_2026"),
    ("JTAI from April 2015", "jtai", date(2015, 4, 1), "jtai"),
    ("JTAI with no end date", "jtai", date(2030, 1, 1), "jtai"),
    ("SCCIF from April 2017", "sccif_full", date(2017, 4, 1), "sccif"),
)
NONE_APPLIES = cases(
    ("a standard inspection before SIF", "standard", date(2013, 10, 31)),
    ("a short inspection under SIF", "short", date(2017, 12, 31)),
    ("a focused visit before ILACS", "focused_visit", date(2017, 12, 31)),
    ("a monitoring visit between SIF and ILACS", "monitoring_visit", date(2013, 10, 31)),
    ("a JTAI before April 2015", "jtai", date(2015, 3, 31)),
    ("a SCCIF inspection before April 2017", "sccif_full", date(2017, 3, 31)),
    ("a type no framework runs", "peel", date(2020, 1, 1)),
)
MISFITS = cases(
    ("SIF re-inspections after their last start", SIF, "standard", date(2018, 7, 1),
     ("SIF", "did not apply on 2018-07-01", "to 2018-06-30)")),
    ("SIF monitoring visits after it ended", SIF, "monitoring_visit", date(2018, 1, 1),
     ("SIF", "did not apply on 2018-01-01", "to 2017-12-31)")),
    ("ILACS 2026 before it began", ILACS_2026, "standard", date(2026, 3, 31),
     ("applies from 2026-04-01)",)),
    ("ILACS runs no JTAI", ILACS_2023, "jtai", date(2024, 5, 1), ("does not run 'jtai'",)),
)
# fmt: on


@pytest.mark.parametrize(("type_key", "starts_on", "expected"), CHOSEN)
def test_the_framework_is_chosen_by_inspection_type_and_start_date(type_key, starts_on, expected):
    assert framework_for(type_key, starts_on).key == expected


@pytest.mark.parametrize(("type_key", "starts_on"), NONE_APPLIES)
def test_no_framework_applies_outside_every_framework_s_dates_or_types(type_key, starts_on):
    mentions = (f"'{type_key}'", starts_on.isoformat())
    assert_refused(lambda: framework_for(type_key, starts_on), NoFrameworkApplies, *mentions)


SIF_CONTINUED = cases(
    ("a SIF re-inspection in 2018", "standard", date(2018, 3, 14)),
    ("the last SIF re-inspection start", "standard", date(2018, 6, 30)),
    ("SIF in force", "monitoring_visit", date(2017, 12, 31)),
)


@pytest.mark.parametrize(("type_key", "starts_on"), SIF_CONTINUED)
def test_sif_re_inspections_run_into_2018_when_sif_is_named(type_key, starts_on):
    check_framework_fits(SIF, type_key, starts_on)


@pytest.mark.parametrize(("chosen", "type_key", "starts_on", "mentions"), MISFITS)
def test_a_framework_named_for_the_wrong_type_or_date_is_refused(
    chosen, type_key, starts_on, mentions
):
    assert_refused(
        lambda: check_framework_fits(chosen, type_key, starts_on), NoFrameworkApplies, *mentions
    )


@pytest.mark.parametrize("chosen", list(FRAMEWORKS.values()), ids=lambda f: f.key)
def test_every_rule_of_every_framework_says_itself_in_plain_english(chosen):
    for rule in chosen.rules:
        said = rule.describe(chosen.titles())
        assert said.endswith(".") and "`" not in said and "_" not in said
