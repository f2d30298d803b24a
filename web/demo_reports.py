"""The demo's reports: the narrative inspectors write, so a newcomer sees what a council
receives. Invented for the demonstration; it describes no real council's services."""

from __future__ import annotations

from uuid import UUID

from domain.actors import Actor
from domain.services import Ledger

HEADLINE = (
    "Children in {council} are safer than at the last inspection, but too many still "
    "wait too long for help when they first need it. Leaders have a realistic understanding of "
    "where practice is strong and where it is not, and have invested in the workforce.\n\n"
    "The front door responds quickly to children at immediate risk. For children whose needs "
    "are less urgent, assessments are often delayed and the help that follows is not always "
    "matched to what the assessment found.\n\n"
    "Children in care are well supported by social workers who know them well, and most live "
    "in stable homes close to their families and schools."
)
IMPROVE = (
    "The timeliness and quality of assessments for children in need of help.\n\n"
    "Management oversight and supervision, so that plans for children are reviewed and "
    "progressed without drift.\n\n"
    "The range of accommodation for care leavers, including those aged 18 to 21 who are "
    "not yet ready to live alone."
)
AREAS = {
    "leaders": {
        "working_well": (
            "The director of children's services and the lead member know the service well. "
            "Their self-assessment matches what inspectors found, and they have acted on the "
            "findings of the last monitoring visit.\n\n"
            "A stable and growing workforce has reduced the use of agency staff from a third of "
            "social workers to under one in ten. Caseloads are now manageable for most staff.\n\n"
            "Partnership working with health and the police is strong at a strategic level, "
            "and the safeguarding partnership holds leaders to account."
        ),
        "needs_to_improve": (
            "Performance information is plentiful but is not always used to challenge weak "
            "practice at team level. Audits grade too much work as good.\n\n"
            "Supervision happens regularly but is often a list of tasks rather than reflection "
            "on children's experiences and the impact of the help they receive."
        ),
        "recommendations": (
            "Make supervision reflective and focused on the difference help makes to children.\n"
            "Use audits and performance information to challenge practice at team level."
        ),
    },
    "help_and_protection": {
        "working_well": (
            "Children at immediate risk of harm are identified quickly. Strategy discussions "
            "are timely and well attended, and child protection enquiries are thorough.\n\n"
            "Early help is well used by schools and health visitors, and families say it made "
            "a difference."
        ),
        "needs_to_improve": (
            "Too many assessments are completed late, and some are too focused on the adult's "
            "needs to capture what life is like for the child.\n\n"
            "Plans for children in need are not always specific, so it is hard for families "
            "and professionals to know what must change and by when.\n\n"
            "Disabled children wait too long for an assessment of their needs."
        ),
        "recommendations": (
            "Complete assessments within timescales that match children's needs.\n"
            "Make plans for children in need specific, with clear actions and dates."
        ),
    },
    "children_in_care": {
        "working_well": (
            "Children in care are seen often by social workers who know them well. Their "
            "views shape their plans, and most live with carers who meet their needs.\n\n"
            "Permanence is considered early. Children who cannot return home are helped to "
            "stay with relatives or move to adoptive families without delay.\n\n"
            "The virtual school is effective: most children in care attend school regularly "
            "and make good progress."
        ),
        "needs_to_improve": (
            "A small number of older children live too far from home in placements that do not "
            "meet all of their needs."
        ),
        "recommendations": "Increase local homes for older children with complex needs.",
    },
    "care_leavers": {
        "working_well": (
            "Personal advisers keep in touch with almost all care leavers, including those "
            "who live out of the borough.\n\n"
            "The local offer is generous and well publicised, and care leavers helped to "
            "write it."
        ),
        "needs_to_improve": (
            "Too few care leavers aged 19 to 21 are in education, employment or training, and "
            "pathway plans do not always set out how they will be helped into work.\n\n"
            "Some care leavers live in unsuitable accommodation, including bed and breakfast, "
            "for short periods."
        ),
        "recommendations": (
            "Help more care leavers into education, employment or training.\n"
            "End the use of bed and breakfast accommodation for care leavers."
        ),
    },
}


def write_report(
    ledger: Ledger, inspector: Actor, inspection: UUID, council: str, areas: tuple[str, ...]
) -> None:
    """Write every section of the demo's report, a section at a time."""
    headline = HEADLINE.format(council=council)
    ledger.write_report_section(inspector, inspection, "headline", {"text": headline})
    ledger.write_report_section(inspector, inspection, "improve", {"text": IMPROVE})
    for area in areas:
        ledger.write_report_section(inspector, inspection, f"area:{area}", AREAS[area])
