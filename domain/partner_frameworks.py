"""Frameworks led by or shared with other inspectorates, as data (DOMAIN.md §3).

HMI Probation's inspections of youth justice services rate each standard and the service
overall on HMI Probation's own scale; the overall rating follows from the standards' ratings by
HMI Probation's published scoring rule (points per rating, summed, banded). Ofsted and CQC's area
SEND inspections give one of three published outcomes and no grades."""

from __future__ import annotations

from datetime import date

from domain.framework_model import Framework, JudgmentArea
from domain.grades import GOOD, INADEQUATE, OUTSTANDING, GradeScale
from domain.inspection_types import Notice
from domain.rules import OverallFollowsFromScores

REQUIRES_IMPROVEMENT = "Requires improvement"  # HMI Probation's wording: no "to be good"
HMI_PROBATION_SCALE = GradeScale(
    "HMI Probation", (OUTSTANDING, GOOD, REQUIRES_IMPROVEMENT, INADEQUATE)
)
# HMI Probation's scoring rule: each standard scores its rating's points; the total is banded.
POINTS = {OUTSTANDING: 3, GOOD: 2, REQUIRES_IMPROVEMENT: 1, INADEQUATE: 0}
BANDS_OF_12_STANDARDS = ((31, OUTSTANDING), (19, GOOD), (7, REQUIRES_IMPROVEMENT), (0, INADEQUATE))
BANDS_OF_13_STANDARDS = ((32, OUTSTANDING), (20, GOOD), (7, REQUIRES_IMPROVEMENT), (0, INADEQUATE))

ORGANISATIONAL_DELIVERY = "1. Organisational delivery"
COURT_DISPOSALS = "2. Court disposals"
OUT_OF_COURT_DISPOSALS = "3. Out-of-court disposals"
RESETTLEMENT = "4. Resettlement"


def _standard(key: str, title: str, group: str) -> JudgmentArea:
    return JudgmentArea(key, f"{key.replace('_', '.')} {title}", group=group)


def _domain(group: str, number: int, titles: tuple[str, ...]) -> tuple[JudgmentArea, ...]:
    return tuple(_standard(f"{number}_{i}", t, group) for i, t in enumerate(titles, start=1))


CASE_WORK = ("Assessment", "Planning", "Implementation and delivery")
STANDARDS_2018 = (
    *_domain(
        ORGANISATIONAL_DELIVERY,
        1,
        (
            "Governance and leadership",
            "Staff",
            "Partnerships and services",
            "Information and facilities",
        ),
    ),
    *_domain(COURT_DISPOSALS, 2, (*CASE_WORK, "Reviewing")),
    *_domain(OUT_OF_COURT_DISPOSALS, 3, (*CASE_WORK, "Joint working")),
)
STANDARDS_2021 = (
    *STANDARDS_2018[:11],
    _standard("3_4", "Out-of-court disposal policy and provision", OUT_OF_COURT_DISPOSALS),
    _standard("4_1", "Resettlement policy and provision", RESETTLEMENT),
)


def _youth_justice(
    key: str,
    applies_from: date,
    applies_to: date | None,
    standards: tuple[JudgmentArea, ...],
    bands: tuple[tuple[int, str], ...],
) -> Framework:
    return Framework(
        key=key,
        title=f"Youth justice services inspection ({applies_from.year})",
        applies_from=applies_from,
        applies_to=applies_to,
        types={"youth_justice": Notice.AGREED},
        areas=standards,
        has_overall=True,
        overall_title="Overall rating",
        scale=HMI_PROBATION_SCALE,
        rules=(OverallFollowsFromScores(tuple(a.key for a in standards), POINTS, bands),),
        lead_agency="HMIP",
        rates_council=False,  # it rates the youth justice service, not children's services
    )


YOUTH_JUSTICE_2018 = _youth_justice(
    "yjs_2018", date(2018, 6, 1), date(2021, 5, 31), STANDARDS_2018, BANDS_OF_12_STANDARDS
)
YOUTH_JUSTICE_2021 = _youth_justice(
    "yjs_2021", date(2021, 6, 1), None, STANDARDS_2021, BANDS_OF_13_STANDARDS
)

AREA_SEND_OUTCOME = "outcome"
TYPICALLY_POSITIVE = "Arrangements typically lead to positive experiences and outcomes"
INCONSISTENT = "Arrangements lead to inconsistent experiences and outcomes"
SYSTEMIC_FAILINGS = "Widespread and/or systemic failings"
AREA_SEND_OUTCOMES = GradeScale(
    "area SEND outcomes", (TYPICALLY_POSITIVE, INCONSISTENT, SYSTEMIC_FAILINGS), noun="outcome"
)
AREA_SEND = Framework(
    key="area_send",
    title="Area SEND inspection (Ofsted and CQC)",
    applies_from=date(2023, 1, 1),
    applies_to=None,
    types={"area_send": Notice.WORKING_DAYS},
    areas=(
        JudgmentArea(
            AREA_SEND_OUTCOME,
            "The local area partnership's arrangements for children and young people with "
            "special educational needs and/or disabilities",
        ),
    ),
    has_overall=False,
    scale=AREA_SEND_OUTCOMES,  # one of three published outcomes, not a grade
    partners=("OFSTED", "CQC"),
    finding_from_every_partner=True,
    rates_council=False,  # it reports on the local area partnership, not children's services
)

PARTNER_FRAMEWORKS = (YOUTH_JUSTICE_2018, YOUTH_JUSTICE_2021, AREA_SEND)
