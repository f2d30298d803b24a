"""Concerns (issue 18): raised by anyone, triaged by the inspectorate, erased by key."""

from __future__ import annotations

from datetime import date

import pytest

from domain import permissions as can
from domain.actors import PUBLIC, Actor
from domain.concern import Concern, ConcernRefused, reference_of
from domain.errors import LifecycleError, PermissionDenied
from domain.personal_data import key_of
from domain.visibility import may_see
from tests.unit.builders import COUNCIL, INSPECTOR, MODERATOR, OFFICER, cases

KEY = "0" * 32
SEALED = {"name": f"enc:v1:{KEY}:bmFtZQ==", "email": "", "text": f"enc:v1:{KEY}:dGV4dA=="}
MONDAY = date(2026, 11, 2)
CQC = Actor("cai.cqc", "inspector", "CQC")
AUDITOR = Actor("aud.itor", "auditor", "AUDIT")
ADMIN = Actor("ada.admin", "administrator", "LEDGER")


def concern(relationship: str = "parent_or_carer", sealed: dict[str, str] = SEALED) -> Concern:
    return Concern.raise_concern(COUNCIL, "", relationship, sealed, KEY, "OFSTED", MONDAY, 3)


def test_a_raised_concern_is_recorded_by_the_public_with_only_sealed_personal_data():
    raised = concern().collect_events()[0]
    assert isinstance(raised, Concern.Raised)
    assert raised.actor == PUBLIC
    assert (raised.name, raised.text, raised.key_id) == (SEALED["name"], SEALED["text"], KEY)
    assert not raised.anonymous


def test_plain_text_personal_data_is_refused_before_any_event():
    with pytest.raises(ConcernRefused) as refused:
        concern(sealed=SEALED | {"name": "Jane Smith"})
    assert refused.value.field == "name"


def test_a_value_sealed_under_another_persons_key_is_refused():
    with pytest.raises(ConcernRefused):
        concern(sealed=SEALED | {"email": f"enc:v1:{'1' * 32}:eA=="})


def test_a_concern_with_neither_name_nor_email_is_anonymous():
    assert concern(sealed={"text": SEALED["text"]}).anonymous


def test_acknowledgement_is_due_three_working_days_after_raising():
    assert concern().acknowledge_by == date(2026, 11, 5)


def test_the_reference_is_short_and_comes_from_the_id():
    made = concern()
    assert reference_of(made.id) == "CN-" + made.id.hex[:8].upper()


@pytest.mark.parametrize(
    "actor, sees",
    cases(
        ("an Ofsted inspector", INSPECTOR, True),
        ("an Ofsted moderator", MODERATOR, True),
        ("the council's officer", OFFICER, False),
        ("a partner inspectorate's inspector", CQC, False),
        ("an auditor", AUDITOR, False),
        ("an administrator", ADMIN, False),
    ),
)
def test_only_the_triaging_inspectorate_may_see_a_concern(actor, sees):
    assert may_see(actor, concern(), lambda _: None) is sees  # type: ignore[arg-type,return-value]
    assert can.may_read_concern(actor, "OFSTED") is sees


def test_triage_records_acknowledgement_risk_link_and_outcome():
    made = concern()
    made.acknowledge(INSPECTOR, MONDAY)
    made.assess(INSPECTOR, "high")
    made.link(INSPECTOR, "")
    made.close(MODERATOR, date(2026, 11, 9), "no_further_action")
    kinds = [type(e).__name__ for e in made.collect_events()]
    assert kinds == ["Raised", "Acknowledged", "Assessed", "Linked", "Closed"]
    assert (made.risk, made.intelligence, made.outcome) == ("high", True, "no_further_action")


@pytest.mark.parametrize(
    "step",
    cases(
        ("an unknown risk", lambda c: c.assess(INSPECTOR, "extreme")),
        ("an unknown outcome", lambda c: c.close(INSPECTOR, MONDAY, "shrug")),
    ),
)
def test_unknown_risks_and_outcomes_are_refused_naming_the_field(step):
    made = concern()
    made.acknowledge(INSPECTOR, MONDAY)
    with pytest.raises(ConcernRefused):
        step(made)


def test_a_council_officer_or_partner_may_not_triage():
    for actor in (OFFICER, CQC):
        with pytest.raises(PermissionDenied):
            concern().acknowledge(actor, MONDAY)


def test_a_concern_is_acknowledged_before_it_is_closed():
    with pytest.raises(LifecycleError):
        concern().close(INSPECTOR, MONDAY, "no_further_action")


def test_erasure_is_a_moderators_or_an_administrators_and_names_the_key():
    made = concern()
    with pytest.raises(PermissionDenied):
        made.erase(INSPECTOR, MONDAY, "asked")
    made.erase(MODERATOR, MONDAY, "The person asked us to")
    erased = made.collect_events()[-1]
    assert isinstance(erased, Concern.Erased)
    assert (erased.key_id, erased.reason, erased.actor) == (
        KEY,
        "The person asked us to",
        MODERATOR,
    )
    with pytest.raises(LifecycleError):
        made.erase(ADMIN, MONDAY, "again")


def test_an_erased_concern_takes_no_more_triage():
    made = concern()
    made.erase(ADMIN, MONDAY, "retention")
    with pytest.raises(LifecycleError):
        made.acknowledge(INSPECTOR, MONDAY)


def test_key_of_reads_the_key_id_of_a_sealed_value():
    assert key_of(SEALED["name"]) == KEY and key_of("") == ""
    with pytest.raises(ValueError):
        key_of("Jane")


def test_the_public_is_no_accounts_role():
    from domain.actors import ACCOUNT_ROLES

    assert "public" not in ACCOUNT_ROLES
