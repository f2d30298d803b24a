"""A JTAI's joint letter waits for a finding from every partner taking part."""

from __future__ import annotations

import pytest

from domain.actors import Actor
from domain.errors import FindingsMissing
from domain.events import Narrative
from domain.inspection import DRAFT_ISSUED
from domain.policy import DEFAULT_POLICY
from tests.unit.builders import INSPECTOR, LATE, cases, jtai_on_site

PARTNERS = ("OFSTED", "CQC", "HMICFRS", "HMIP")
NAMES = {
    "OFSTED": "Ofsted",
    "CQC": "Care Quality Commission",
    "HMICFRS": "HM Inspectorate of Constabulary and Fire & Rescue Services",
    "HMIP": "HM Inspectorate of Probation",
    "HMIPRISONS": "HM Inspectorate of Prisons",
}


def jtai_with_findings_from(found_by: tuple[str, ...], extra: tuple[str, ...] = ()):
    jtai = jtai_on_site(extra)
    for agency in found_by:
        jtai.record_finding(
            Actor(f"{agency.lower()}.inspector", "inspector", agency),
            agency,
            "Shared risk assessments",
            Narrative(),
        )
    jtai.complete_judgments(INSPECTOR, LATE)
    return jtai


# fmt: off
ISSUED = cases(
    ("every partner has recorded a finding", PARTNERS, ()),
    ("a partner recorded two findings and the others one", (*PARTNERS, "CQC"), ()),
    ("HMI Prisons, chosen to take part, recorded one too", (*PARTNERS, "HMIPRISONS"),
     ("HMIPRISONS",)),
)
WAITING = cases(
    ("only Ofsted has recorded a finding", ("OFSTED",), (), ("CQC", "HMICFRS", "HMIP")),
    ("no partner has recorded a finding", (), (), PARTNERS),
    ("HMI Probation has not", ("OFSTED", "CQC", "HMICFRS"), (), ("HMIP",)),
    ("HMI Prisons, chosen to take part, has not", PARTNERS, ("HMIPRISONS",), ("HMIPRISONS",)),
)
# fmt: on


@pytest.mark.parametrize(("found_by", "extra"), ISSUED)
def test_the_joint_letter_is_issued_once_every_partner_has_a_finding(found_by, extra):
    jtai = jtai_with_findings_from(found_by, extra)
    jtai.issue_draft(INSPECTOR, LATE, DEFAULT_POLICY)
    assert jtai.status == DRAFT_ISSUED


@pytest.mark.parametrize(("found_by", "extra", "missing"), WAITING)
def test_the_joint_letter_is_refused_naming_each_partner_still_to_record_a_finding(
    found_by, extra, missing
):
    jtai = jtai_with_findings_from(found_by, extra)
    with pytest.raises(FindingsMissing) as refusal:
        jtai.issue_draft(INSPECTOR, LATE, DEFAULT_POLICY)
    assert refusal.value.rule == "findings-missing"
    named = refusal.value.message.split("still to record theirs: ")[1].split(", ")
    assert sorted(named) == sorted(NAMES[a] for a in missing)
    assert jtai.status != DRAFT_ISSUED
