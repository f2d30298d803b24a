"""Who may do what: every command against every role and organisation, as a table."""

from __future__ import annotations

from datetime import date

import pytest

from domain import permissions as can
from domain.action_plan import ActionPlan
from domain.actors import AGENCIES, Actor
from domain.challenge import NOT_UPHELD, Challenge
from domain.council import Council
from domain.errors import InvalidInput, PermissionDenied
from domain.events import LedgerAggregate, Narrative
from domain.inspection import (
    DRAFT_ISSUED,
    FINAL_ISSUED,
    JUDGMENTS_MADE,
    ON_SITE,
    SCHEDULED,
    Inspection,
)
from domain.policy import DEFAULT_POLICY
from tests.unit.builders import (
    COUNCIL,
    INSPECTOR,
    LATE,
    MODERATOR,
    OFFICER,
    STARTS_2025,
    every_area,
    inspection_at,
    jtai_on_site,
)

ADMIN = Actor("ada.admin", "administrator", "LEDGER")
ACTORS = {
    "inspector of the lead agency": INSPECTOR,
    "inspector of another agency": Actor("cara.inspector", "inspector", "CQC"),
    "moderator of the lead agency": MODERATOR,
    "officer of the council": OFFICER,
    "officer of another council": Actor("oti.officer", "council_officer", "E08000025"),
    "auditor": Actor("aud.itor", "auditor", "AUDIT"),
    "administrator": ADMIN,
}
LEAD = {"inspector of the lead agency", "moderator of the lead agency"}
MODERATION = {"moderator of the lead agency"}
OWN_COUNCIL = {"officer of the council"}
ADMINISTRATION = {"administrator"}
ERA = DEFAULT_POLICY.challenge_eras[-1]
MAY = {True: "may", False: "may not"}


def cleared(aggregate):
    """Forget the events of the set-up, so only the command's own remain."""
    aggregate.collect_events()
    return aggregate


def nothing() -> None:
    return None


def judged() -> Inspection:
    inspection = inspection_at(ON_SITE)
    inspection.record_judgments(INSPECTOR, every_area("ilacs_2023"))
    return cleared(inspection)


def lodged() -> tuple[Inspection, Challenge]:
    inspection = inspection_at(FINAL_ISSUED)
    day = inspection.final_report_on
    challenge = Challenge.lodge(
        OFFICER, inspection, "judgment", "leaders", "Unfair", [], day, DEFAULT_POLICY
    )
    return inspection, cleared(challenge)


def decided() -> tuple[Inspection, Challenge]:
    inspection, challenge = lodged()
    challenge.decide(MODERATOR, inspection, NOT_UPHELD, "Sound", [], LATE)
    return inspection, cleared(challenge)


def with_adjudicator() -> tuple[Inspection, Challenge]:
    inspection, challenge = decided()
    challenge.escalate(OFFICER, "Unhappy", LATE, ERA)
    return inspection, cleared(challenge)


def plan(action: str = "") -> ActionPlan:
    """An open action plan; with an action 'added' or 'done' if asked."""
    inspection_id, published_on = inspection_at(SCHEDULED).id, date(2025, 5, 1)
    opened = ActionPlan.open(
        MODERATOR, inspection_id, COUNCIL, "inspection", published_on, [], False, DEFAULT_POLICY
    )
    if action:
        opened.submit(OFFICER, "Plan", date(2025, 5, 2))
        opened.add_action(OFFICER, "leaders", "", "Do it", "Director", LATE, date(2025, 5, 2))
    if action == "done":
        opened.complete_action(OFFICER, "A1", [], date(2025, 6, 2))
    return cleared(opened)


def council() -> Council:
    return cleared(Council.register(ADMIN, COUNCIL, "Barking and Dagenham", {}))


def at(stage: str):
    return lambda: inspection_at(stage)


# Each command: who may run it, the set-up it needs, and the call made with the acting person.
# fmt: off
COMMANDS = {
    "schedule an inspection": (LEAD, nothing, lambda a, _: Inspection.schedule(
        a, COUNCIL, "standard", "ilacs_2023", STARTS_2025, date(2025, 2, 3), DEFAULT_POLICY)),
    "start fieldwork": (LEAD, at(SCHEDULED), lambda a, i: i.start_on_site(a, STARTS_2025)),
    "record a finding": (LEAD, at(ON_SITE),
                         lambda a, i: i.record_finding(a, "OFSTED", "Strong", Narrative())),
    "record judgments": (LEAD, at(ON_SITE),
                         lambda a, i: i.record_judgments(a, every_area("ilacs_2023"))),
    "complete the judgments": (LEAD, judged, lambda a, i: i.complete_judgments(a, LATE)),
    "issue the draft": (LEAD, at(JUDGMENTS_MADE),
                        lambda a, i: i.issue_draft(a, LATE, DEFAULT_POLICY)),
    "comment on the draft": (OWN_COUNCIL, at(DRAFT_ISSUED),
                             lambda a, i: i.comment_on_draft(a, "Typo", i.draft_issued_on)),
    "issue the final report": (MODERATION, at(DRAFT_ISSUED),
                               lambda a, i: i.issue_final_report(a, LATE, DEFAULT_POLICY)),
    "publish": (MODERATION, at(FINAL_ISSUED), lambda a, i: i.publish(a, LATE)),
    "cancel": (MODERATION, at(ON_SITE), lambda a, i: i.cancel(a, "Snow", LATE)),
    "withdraw": (MODERATION, at(FINAL_ISSUED), lambda a, i: i.withdraw(a, "Flawed", LATE)),
    "revise a judgment": (MODERATION, at(FINAL_ISSUED), lambda a, i: i.revise_judgments(
        a, {"leaders": "Outstanding"}, "c1", "Upheld", LATE)),
    "lodge a challenge": (OWN_COUNCIL, at(FINAL_ISSUED), lambda a, i: Challenge.lodge(
        a, i, "report", "", "Unfair", [], i.final_report_on, DEFAULT_POLICY)),
    "decide a challenge": (MODERATION, lodged,
                           lambda a, ic: ic[1].decide(a, ic[0], NOT_UPHELD, "Sound", [], LATE)),
    "escalate a challenge": (OWN_COUNCIL, decided,
                             lambda a, ic: ic[1].escalate(a, "No", LATE, ERA)),
    "record the adjudicator's finding": (MODERATION, with_adjudicator,
        lambda a, ic: ic[1].record_adjudicator_recommendation(a, ic[0], NOT_UPHELD, "None", LATE)),
    "submit the action plan": (OWN_COUNCIL, plan, lambda a, p: p.submit(a, "Plan", LATE)),
    "add an action": (OWN_COUNCIL, plan,
                      lambda a, p: p.add_action(a, "leaders", "", "Do it", "Director", LATE, LATE)),
    "update an action's progress": (OWN_COUNCIL, lambda: plan("added"),
                                    lambda a, p: p.update_progress(a, "A1", "Half done", [], LATE)),
    "complete an action": (OWN_COUNCIL, lambda: plan("added"),
                           lambda a, p: p.complete_action(a, "A1", [], LATE)),
    "complete the action plan": (OWN_COUNCIL, lambda: plan("done"),
                                 lambda a, p: p.complete(a, LATE)),
    "register a council": (ADMINISTRATION, nothing,
                           lambda a, _: Council.register(a, COUNCIL, "Barking and Dagenham", {})),
    "record an abolition": (ADMINISTRATION, council, lambda a, c: c.abolish(a, LATE, [])),
    "record a DfE intervention": (ADMINISTRATION | MODERATION, council,
        lambda a, c: c.record_intervention(a, "improvement_notice_issued", LATE, "Notice")),
    "import published history": (ADMINISTRATION, nothing, lambda a, _: Inspection.import_published(
        a, COUNCIL, "standard", "ilacs_2023", STARTS_2025, date(2025, 5, 1),
        every_area("ilacs_2023"), "", "ofsted.csv", LATE)),
}
# fmt: on


def run(command: str, actor: Actor) -> LedgerAggregate:
    """Set the command up, run it as the actor, and return the aggregate it changed or created."""
    _, set_up, call = COMMANDS[command]
    state = set_up()
    result = call(actor, state)
    if isinstance(result, LedgerAggregate):
        return result
    return state[1] if isinstance(state, tuple) else state


MATRIX = [
    pytest.param(command, who, who in allowed, id=f"{who} {MAY[who in allowed]} {command}")
    for command, (allowed, _, _) in COMMANDS.items()
    for who in ACTORS
]


@pytest.mark.parametrize(("command", "who", "allowed"), MATRIX)
def test_the_permission_matrix(command, who, allowed):
    actor = ACTORS[who]
    if allowed:
        events = run(command, actor).collect_events()
        assert events and all(event.actor == actor for event in events)
    else:
        with pytest.raises(PermissionDenied, match="may not|never write"):
            run(command, actor)


@pytest.mark.parametrize("command", COMMANDS)
def test_an_auditor_never_writes(command):
    with pytest.raises(PermissionDenied, match="Auditors may read the ledger but never write"):
        run(command, ACTORS["auditor"])


ADMIN_COMMANDS = ["register a council", "record a DfE intervention", "import published history"]


@pytest.mark.parametrize("command", ADMIN_COMMANDS)
def test_an_administrator_outside_the_ledger_team_is_not_an_administrator(command):
    with pytest.raises(PermissionDenied, match="Only staff of LEDGER"):
        run(command, Actor("ada.admin", "administrator", COUNCIL))


# fmt: off
JTAI_FINDINGS = [
    pytest.param("OFSTED", "inspector", "OFSTED", True, id="Ofsted records its own findings"),
    pytest.param("CQC", "inspector", "CQC", True, id="CQC records its own findings"),
    pytest.param("HMICFRS", "moderator", "HMICFRS", True, id="HMICFRS records its own findings"),
    pytest.param("HMIP", "inspector", "HMIP", True, id="HMI Probation records its own findings"),
    pytest.param("CQC", "inspector", "OFSTED", False, id="CQC may not record Ofsted's findings"),
    pytest.param("OFSTED", "moderator", "CQC", False, id="Ofsted may not record CQC's findings"),
    pytest.param("HMIP", "inspector", "HMICFRS", False, id="HMIP may not record HMICFRS's"),
]
# fmt: on


@pytest.mark.parametrize(("agency", "role", "for_agency", "allowed"), JTAI_FINDINGS)
def test_in_a_jtai_every_partner_records_only_its_own_findings(agency, role, for_agency, allowed):
    jtai, actor = jtai_on_site(), Actor("pat.partner", role, agency)
    assert jtai.agencies == ["CQC", "HMICFRS", "HMIP", "OFSTED"]
    if allowed:
        jtai.record_finding(actor, for_agency, "Shared risk assessments", Narrative())
        assert jtai.findings["F1"]["agency"] == for_agency
    else:
        with pytest.raises(PermissionDenied, match=f"Only staff of {AGENCIES[for_agency]} may"):
            jtai.record_finding(actor, for_agency, "Shared risk assessments", Narrative())


def test_an_agency_not_taking_part_records_nothing():
    prisons = Actor("pris", "inspector", "HMIPRISONS")
    with pytest.raises(InvalidInput, match="HM Inspectorate of Prisons is not taking part"):
        jtai_on_site().record_finding(prisons, "HMIPRISONS", "x", Narrative())


def test_a_partner_agency_does_not_run_the_jtai():
    with pytest.raises(
        PermissionDenied, match=r"Only staff of Ofsted may .*Care Quality Commission"
    ):
        jtai_on_site().complete_judgments(Actor("cara", "inspector", "CQC"), LATE)


# fmt: off
READERS = [
    ("inspector of the lead agency", ["OFSTED"], False, True),
    ("inspector of another agency", ["OFSTED"], False, False),
    ("inspector of another agency", ["OFSTED"], True, True),
    ("inspector of another agency", ["CQC", "OFSTED"], False, True),
    ("moderator of the lead agency", ["OFSTED"], False, True),
    ("officer of the council", ["OFSTED"], False, True),
    ("officer of another council", ["OFSTED"], False, False),
    ("officer of another council", ["OFSTED"], True, True),  # published reports are public
    ("auditor", ["OFSTED"], False, True),
    ("administrator", ["OFSTED"], False, True),
]
# fmt: on


def reader_id(row: tuple) -> str:
    who, agencies, published, may_read = row
    state = "a published" if published else "an unpublished"
    return f"{who} {MAY[may_read]} see {state} inspection by {'+'.join(agencies)}"


@pytest.mark.parametrize(
    ("who", "agencies", "published", "may_read"), READERS, ids=map(reader_id, READERS)
)
def test_who_may_see_a_council_s_inspection(who, agencies, published, may_read):
    actor = ACTORS[who]
    assert can.may_read_inspection(actor, COUNCIL, agencies, published) is may_read


def test_only_a_moderator_or_administrator_opens_an_action_plan():
    from uuid import uuid4

    from domain.action_plan import ActionPlan
    from domain.policy import DEFAULT_POLICY

    def open_plan(actor):
        return ActionPlan.open(
            actor, uuid4(), COUNCIL, "inspection", date(2025, 3, 3), [], False, DEFAULT_POLICY
        )

    assert open_plan(MODERATOR).due_on > date(2025, 3, 3)
    with pytest.raises(PermissionDenied, match="Only a moderator may open an action plan"):
        open_plan(INSPECTOR)
