"""A JTAI's partner inspectorates asked for their findings when fieldwork begins, and again
when the lead finishes it while theirs are still awaited: each partner's own staff, once."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.actors import Actor
from domain.events import Narrative
from tests.integration.conftest import BASE, notify_once
from tests.scenarios import BARKING, INSPECTOR, register_councils

STARTS = date(2026, 3, 2)
PARTNERS = {  # each partner's staff: inspectors and moderators, and an auditor never told
    "CQC": ("cai@cqc.example", "cora@cqc.example"),
    "HMICFRS": ("hal@hmicfrs.example",),
    "HMIP": ("pia@hmip.example",),
}
OFSTED_STAFF = ("ian@ofsted.example", "mo@ofsted.example")
COUNCIL = ("olu@barking.example", "bola@barking.example")


@pytest.fixture
def partner_staff(identity):
    for username, role, organisation in (
        ("cora.moderator", "moderator", "CQC"),
        ("hal.inspector", "inspector", "HMICFRS"),
        ("pia.inspector", "inspector", "HMIP"),
        ("aud.auditor", "auditor", "HMIP"),
    ):
        email = f"{username.split('.')[0]}@{organisation.lower()}.example"
        identity.add(username, username, role, organisation, "a long password", email)


def jtai_on_site(ledger, clock):
    register_councils(ledger)
    clock.advance_to(STARTS - timedelta(days=28))
    jtai = ledger.schedule_inspection(
        INSPECTOR, BARKING, "jtai", STARTS, theme="children at risk of exploitation"
    )
    clock.advance_to(STARTS)
    ledger.start_on_site(INSPECTOR, jtai)
    return jtai


def asked(inbox, address: str) -> list[str]:
    return [s for s in inbox.subjects(address) if "findings" in s]


def test_each_partner_is_asked_for_its_findings_when_fieldwork_begins(
    ledger, clock, notifier, inbox, partner_staff
):
    jtai = jtai_on_site(ledger, clock)

    notify_once(notifier, ledger)
    again = notify_once(notifier, ledger)

    names = {
        "CQC": "Care Quality Commission",
        "HMICFRS": "HM Inspectorate of Constabulary and Fire & Rescue Services",
        "HMIP": "HM Inspectorate of Probation",
    }
    for agency, addresses in PARTNERS.items():
        for address in addresses:
            assert asked(inbox, address) == [
                f"Barking and Dagenham: {names[agency]}'s findings needed for the joint letter"
            ]
    body = inbox.to("hal@hmicfrs.example")[0].get_content()
    assert "began on 2 March 2026" in body and "led by Ofsted" in body
    assert f"{BASE}/inspections/{jtai}/findings/new" in body
    for address in (*OFSTED_STAFF, *COUNCIL, "aud@hmip.example", "ben@barnet.example"):
        assert asked(inbox, address) == []
    assert again.written == 0 and again.delivered.sent == []


def test_a_partner_that_recorded_its_findings_is_not_asked_and_the_rest_are_reminded(
    ledger, clock, notifier, inbox, partner_staff
):
    jtai = jtai_on_site(ledger, clock)
    cqc = Actor("cai.inspector", "inspector", "CQC")
    ledger.record_finding(cqc, jtai, "CQC", "Health visiting is stretched", Narrative())
    notify_once(notifier, ledger)  # CQC's request was withdrawn before it was sent
    assert all(asked(inbox, a) == [] for a in PARTNERS["CQC"])
    assert len(asked(inbox, "hal@hmicfrs.example")) == 1
    hmicfrs = Actor("hal.inspector", "inspector", "HMICFRS")
    ledger.record_finding(hmicfrs, jtai, "HMICFRS", "Missing episodes", Narrative())
    clock.advance_to(STARTS + timedelta(days=9))

    ledger.complete_judgments(INSPECTOR, jtai)
    notify_once(notifier, ledger)
    notify_once(notifier, ledger)

    assert asked(inbox, "pia@hmip.example") == [
        "Barking and Dagenham: HM Inspectorate of Probation's findings needed for the joint letter",
        "Barking and Dagenham: the joint letter awaits HM Inspectorate of Probation's findings",
    ]
    body = inbox.to("pia@hmip.example")[1].get_content()
    assert "Ofsted finished the fieldwork" in body and "on 11 March 2026" in body
    assert len(asked(inbox, "hal@hmicfrs.example")) == 1  # asked once, then it recorded them
    assert all(asked(inbox, a) == [] for a in (*PARTNERS["CQC"], *OFSTED_STAFF, *COUNCIL))


def test_an_inspection_that_is_not_joint_asks_no_partner(
    ledger, clock, notifier, inbox, partner_staff
):
    register_councils(ledger)
    clock.advance_to(STARTS - timedelta(days=28))
    inspection = ledger.schedule_inspection(
        INSPECTOR, BARKING, "standard", STARTS, agencies=("OFSTED", "CQC")
    )
    clock.advance_to(STARTS)
    ledger.start_on_site(INSPECTOR, inspection)

    notify_once(notifier, ledger)

    assert all(asked(inbox, a) == [] for addresses in PARTNERS.values() for a in addresses)
    assert len(inbox.to(COUNCIL[0])) == 1  # the notice
