"""Stories told through the application's commands, shared by projection and web tests."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from uuid import UUID

from domain.actors import Actor
from domain.events import JudgmentInput, Narrative
from domain.services import Ledger
from domain.setting import SettingDetails

GOOD, RI, INADEQUATE, OUTSTANDING = (
    "Good",
    "Requires improvement to be good",
    "Inadequate",
    "Outstanding",
)
ADMIN = Actor("ada.admin", "administrator", "LEDGER")
INSPECTOR = Actor("ian.inspector", "inspector", "OFSTED")
MODERATOR = Actor("mo.moderator", "moderator", "OFSTED")
BARKING, BARNET, CAMDEN = "E09000002", "E09000003", "E09000007"
COUNCILS = {
    BARKING: ("Barking and Dagenham", "London", "London Borough"),
    BARNET: ("Barnet", "London", "London Borough"),
    CAMDEN: ("Camden", "London", "London Borough"),
}


def officer(council: str) -> Actor:
    return Actor(f"officer.{council}", "council_officer", council)


def ilacs_2023(
    leaders: str, help_: str, care: str, leavers: str, overall: str
) -> list[JudgmentInput]:
    grades = {
        "leaders": leaders,
        "help_and_protection": help_,
        "children_in_care": care,
        "care_leavers": leavers,
        "overall": overall,
    }
    return [
        JudgmentInput(a, g, Narrative(recommendations=[f"Strengthen {a}"]))
        for a, g in grades.items()
    ]


def ilacs_2018(leaders: str, help_: str, care: str, overall: str) -> list[JudgmentInput]:
    grades = {
        "leaders": leaders,
        "help_and_protection": help_,
        "children_in_care": care,
        "overall": overall,
    }
    return [JudgmentInput(a, g) for a, g in grades.items()]


def register_councils(ledger: Ledger) -> None:
    for code, (name, region, kind) in COUNCILS.items():
        ledger.register_council(ADMIN, code, name, {"region_name": region, "council_type": kind})


def run_to_final_report(
    ledger: Ledger,
    clock,
    council: str,
    starts_on: date,
    judgments: list[JudgmentInput],
    judge: Actor = INSPECTOR,
    source: str = "",
) -> UUID:
    """Schedule, inspect, judge (as `judge`), draft and issue the final report; return its id."""
    clock.advance_to(starts_on - timedelta(days=21))
    inspection = ledger.schedule_inspection(
        INSPECTOR, council, "standard", starts_on, source=source
    )
    clock.advance_to(starts_on)
    ledger.start_on_site(INSPECTOR, inspection)
    ledger.record_finding(
        INSPECTOR,
        inspection,
        "OFSTED",
        "Practice is inconsistent",
        Narrative(areas_for_improvement=["Supervision"], recommendations=["Audit"]),
    )
    ledger.record_judgments(judge, inspection, judgments)
    ledger.complete_judgments(INSPECTOR, inspection)
    clock.advance_to(starts_on + timedelta(days=21))
    ledger.issue_draft(INSPECTOR, inspection)
    ledger.comment_on_draft(officer(council), inspection, "No further comments", complete=True)
    ledger.issue_final_report(MODERATOR, inspection)
    return inspection


def challengeable_report(ledger: Ledger, clock) -> UUID:
    """A Barking final report of the 2023 era: publication waits for the challenge window."""
    judgments = ilacs_2023(RI, RI, INADEQUATE, RI, INADEQUATE)
    return run_to_final_report(ledger, clock, BARKING, date(2026, 1, 12), judgments)


@dataclass
class Story:
    history: dict[str, UUID]
    revised: UUID
    withdrawn: UUID
    plain: UUID
    challenge_revised: UUID
    challenge_withdrawn: UUID
    home_inspections: tuple[UUID, ...] = ()


HOME, AGENCY = "SC999001", "SC999002"  # a council-run children's home, a private agency
OAK_HOUSE = SettingDetails("Oak House", "childrens_home", BARNET, BARNET)
SCCIF_AREAS = ("experiences_and_progress", "helped_and_protected", "leaders_and_managers")


def sccif(*grades: str) -> list[JudgmentInput]:
    """SCCIF judgments: its three areas, then overall."""
    return [JudgmentInput(a, g) for a, g in zip((*SCCIF_AREAS, "overall"), grades, strict=True)]


def register_settings(ledger: Ledger) -> tuple[UUID, ...]:
    """Barnet's own children's home, judged Good then Inadequate; a private agency in Camden,
    renamed, never inspected. Neither touches its council's rating."""
    ledger.register_setting(ADMIN, HOME, OAK_HOUSE)
    agency = SettingDetails(
        "Bright Futures Fostering",
        "independent_fostering_agency",
        CAMDEN,
        provider="Bright Futures Ltd",
    )
    ledger.register_setting(ADMIN, AGENCY, agency)
    ledger.change_setting(ADMIN, AGENCY, replace(agency, name="Bright Futures Fostering London"))
    inspections = []
    for starts, grades in (
        (date(2023, 5, 8), sccif(GOOD, GOOD, GOOD, GOOD)),
        (date(2025, 6, 2), sccif(INADEQUATE, INADEQUATE, INADEQUATE, INADEQUATE)),
    ):
        found, _ = ledger.import_published(
            ADMIN,
            BARNET,
            "sccif_full",
            starts,
            starts + timedelta(days=35),
            grades,
            setting_urn=HOME,
        )
        inspections.append(found)
    return tuple(inspections)


def publish_after_window(ledger: Ledger, clock, inspection: UUID) -> None:
    clock.advance_to(clock.day + timedelta(days=7))
    ledger.publish(MODERATOR, inspection)


def tell_story(ledger: Ledger, clock) -> Story:
    """History, a live inspection revised on challenge, one withdrawn, one plain, plans, visits."""
    register_councils(ledger)
    history = {}
    for council, grade, starts in (
        (BARKING, RI, date(2019, 2, 18)),
        (BARNET, GOOD, date(2019, 5, 13)),
        (CAMDEN, OUTSTANDING, date(2019, 9, 9)),
    ):
        judgments = [
            JudgmentInput(a, grade)
            for a in ("leaders", "help_and_protection", "children_in_care", "overall")
        ]
        history[council], _ = ledger.import_published(
            ADMIN, council, "standard", starts, starts + timedelta(days=42), judgments
        )

    # Before 2023: published at once, challenged within 10 working days, withdrawn on appeal.
    withdrawn = run_to_final_report(
        ledger, clock, BARNET, date(2022, 6, 13), ilacs_2018(GOOD, GOOD, RI, GOOD)
    )
    ledger.publish(MODERATOR, withdrawn)
    challenge_withdrawn = ledger.lodge_challenge(
        officer(BARNET), withdrawn, "report", "", "The team did not see our early help service", []
    )
    clock.advance_to(clock.day + timedelta(days=14))
    ledger.decide_challenge(
        Actor("mo.second", "moderator", "OFSTED"),
        challenge_withdrawn,
        "upheld",
        "Fieldwork missed a service",
        [],
        withdraw_report=True,
    )

    revised = run_to_final_report(
        ledger, clock, BARKING, date(2025, 3, 17), ilacs_2023(RI, RI, INADEQUATE, RI, INADEQUATE)
    )
    challenge_revised = ledger.lodge_challenge(
        officer(BARKING),
        revised,
        "judgment",
        "children_in_care",
        "Evidence on placements was misread",
        ["Placement audit"],
    )
    clock.advance_to(clock.day + timedelta(days=10))
    ledger.decide_challenge(
        Actor("mo.second", "moderator", "OFSTED"),
        challenge_revised,
        "upheld",
        "The placement data supports RI",
        ["Re-read audit"],
        revisions={"children_in_care": RI, "overall": RI},
    )
    publish_after_window(ledger, clock, revised)
    ledger.submit_action_plan(officer(BARKING), revised, "Our plan for children in care")
    action = ledger.add_action(
        officer(BARKING),
        revised,
        "children_in_care",
        "Strengthen children_in_care",
        "Review every placement",
        "Director of children's services",
        clock.day + timedelta(days=60),
    )
    ledger.update_action_progress(officer(BARKING), revised, action, "Half reviewed", ["Tracker"])

    plain = run_to_final_report(
        ledger, clock, CAMDEN, date(2025, 9, 15), ilacs_2023(GOOD, OUTSTANDING, GOOD, GOOD, GOOD)
    )
    publish_after_window(ledger, clock, plain)
    ledger.record_intervention(
        ADMIN, BARKING, "improvement_adviser_appointed", clock.day, "Adviser named"
    )
    homes = register_settings(ledger)
    return Story(history, revised, withdrawn, plain, challenge_revised, challenge_withdrawn, homes)


NORTHAMPTONSHIRE, NORTH_NORTHANTS = "E10000021", "E06000061"


def reorganise_northamptonshire(ledger: Ledger) -> None:
    """Northamptonshire, judged Inadequate in 2019, abolished on 1 April 2021 for its successor."""
    for code, name in (
        (NORTHAMPTONSHIRE, "Northamptonshire"),
        (NORTH_NORTHANTS, "North Northamptonshire"),
    ):
        ledger.register_council(
            ADMIN, code, name, {"region_name": "East Midlands", "council_type": "County"}
        )
    judgments = [
        JudgmentInput(a, INADEQUATE)
        for a in ("leaders", "help_and_protection", "children_in_care", "overall")
    ]
    ledger.import_published(
        ADMIN, NORTHAMPTONSHIRE, "standard", date(2019, 6, 17), date(2019, 7, 29), judgments
    )
    ledger.abolish_council(ADMIN, NORTHAMPTONSHIRE, date(2021, 4, 1), [NORTH_NORTHANTS])
