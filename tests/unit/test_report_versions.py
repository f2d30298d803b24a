"""The report: written a section at a time, frozen as versions, commented on and answered."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from eventsourcing.utils import get_topic

from domain.actors import Actor
from domain.errors import (
    CommentsUnanswered,
    InvalidInput,
    LifecycleError,
    PermissionDenied,
    UnknownReportSection,
)
from domain.events import Narrative
from domain.inspection import DRAFT_ISSUED, JUDGMENTS_MADE, ON_SITE, Inspection
from domain.inspection.document import canonical, differences
from domain.limits import TextRefused
from domain.policy import DEFAULT_POLICY
from tests.unit.builders import (
    INSPECTOR,
    MODERATOR,
    OFFICER,
    inspection_at,
    next_working_day,
)

CQC = Actor("cai.inspector", "inspector", "CQC")
OTHER_OFFICER = Actor("ben.officer", "council_officer", "E09000003")
LEADERS = "area:leaders"


def drafted() -> Inspection:
    inspection = inspection_at(JUDGMENTS_MADE)
    inspection.write_report_section(INSPECTOR, "headline", {"text": "Leaders know their services."})
    inspection.write_report_section(
        INSPECTOR,
        LEADERS,
        {"working_well": "Stable workforce.", "needs_to_improve": "Supervision is irregular."},
    )
    inspection.issue_draft(INSPECTOR, inspection.starts_on + timedelta(days=35), DEFAULT_POLICY)
    return inspection


def new_events(inspection: Inspection) -> list[str]:
    return [type(e).__name__ for e in inspection.collect_events()]


def test_a_graded_report_has_headline_improvement_and_one_section_per_judgment_area() -> None:
    keys = [s.key for s in inspection_at(ON_SITE).report_outline()]
    assert keys == [
        "headline",
        "improve",
        "area:leaders",
        "area:help_and_protection",
        "area:children_in_care",
        "area:care_leavers",
    ]


def test_a_joint_letter_has_a_section_for_each_partner_s_findings() -> None:
    jtai = inspection_at(ON_SITE, type_key="jtai")
    partners = [s.agency for s in jtai.report_outline() if s.agency]
    assert partners == ["CQC", "HMICFRS", "HMIP", "OFSTED"]


def test_every_edit_is_a_new_event_naming_its_author() -> None:
    inspection = inspection_at(ON_SITE)
    inspection.collect_events()
    inspection.write_report_section(INSPECTOR, "headline", {"text": "First"})
    inspection.write_report_section(MODERATOR, "headline", {"text": "Second"})
    events = inspection.collect_events()
    assert [(type(e).__name__, e.actor.user) for e in events] == [
        ("ReportSectionWritten", "ian.inspector"),
        ("ReportSectionWritten", "mo.moderator"),
    ]
    assert get_topic(type(events[0])) == "domain.inspection:Inspection.ReportSectionWritten"
    assert inspection.working_section("headline") == {"text": "Second"}


def test_an_unchanged_section_is_refused_and_text_is_kept_with_unix_newlines() -> None:
    inspection = inspection_at(ON_SITE)
    inspection.write_report_section(INSPECTOR, "improve", {"text": " One\r\n\r\nTwo "})
    assert inspection.working_section("improve") == {"text": "One\n\nTwo"}
    with pytest.raises(InvalidInput, match="unchanged"):
        inspection.write_report_section(INSPECTOR, "improve", {"text": "One\n\nTwo"})


# fmt: off
@pytest.mark.parametrize("who, key, parts, refusal", [
    pytest.param(OFFICER, "headline", {"text": "x"}, PermissionDenied, id="a council officer may not write the report"),
    pytest.param(CQC, "headline", {"text": "x"}, PermissionDenied, id="a partner may not write the lead's sections"),
    pytest.param(INSPECTOR, "area:nowhere", {"text": "x"}, UnknownReportSection, id="an unknown section is refused by name"),
    pytest.param(INSPECTOR, "headline", {"working_well": "x"}, InvalidInput, id="a part the section lacks is refused"),
    pytest.param(INSPECTOR, "headline", {"text": "nul\x00"}, TextRefused, id="hostile text is refused"),
    pytest.param(INSPECTOR, "headline", {"text": "x" * 20001}, TextRefused, id="text over its limit is refused"),
])
# fmt: on
def test_writing_is_refused(who: Actor, key: str, parts: dict, refusal: type) -> None:
    inspection = inspection_at(ON_SITE)
    inspection.collect_events()
    with pytest.raises(refusal):
        inspection.write_report_section(who, key, parts)
    assert new_events(inspection) == []


def test_each_partner_writes_only_its_own_section_of_a_joint_letter() -> None:
    jtai = inspection_at(ON_SITE, type_key="jtai")
    jtai.record_finding(CQC, "CQC", "Health visitors share information.", Narrative())
    assert jtai.working_section("partner:CQC") == {"text": "Health visitors share information."}
    jtai.write_report_section(CQC, "partner:CQC", {"text": "Health visitors share records."})
    with pytest.raises(PermissionDenied):
        jtai.write_report_section(CQC, "partner:HMIP", {"text": "Not ours"})


def test_issuing_the_draft_freezes_version_1_with_each_judgment_s_grade() -> None:
    inspection = drafted()
    version = inspection.report_version()
    assert version is not None and version.number == 1 and version.stage == "draft"
    leaders = version.section(LEADERS)
    assert leaders is not None and leaders["grade"] == "Good"
    assert leaders["parts"]["working_well"] == "Stable workforce."
    assert leaders["parts"]["recommendations"] == "Improve leaders"  # from the judgment
    assert version.sha256 == hashlib.sha256(canonical(version.content)).hexdigest()


def test_a_version_does_not_move_when_the_working_copy_changes() -> None:
    inspection = drafted()
    before = inspection.report_version(1)
    assert before is not None
    digest = before.sha256
    inspection.write_report_section(INSPECTOR, "headline", {"text": "Changed after issue"})
    assert inspection.report_version(1) is before and before.sha256 == digest


def test_the_canonical_form_is_sorted_compact_utf8_json() -> None:
    assert canonical({"b": "é", "a": [1, None]}) == '{"a":[1,null],"b":"é"}'.encode()


def test_the_council_comments_on_a_section_and_the_inspectorate_accepts_with_the_change() -> None:
    inspection = drafted()
    day = inspection.draft_issued_on
    assert day is not None
    inspection.comment_on_draft(OFFICER, "The workforce is not stable", day, section=LEADERS)
    comment = inspection.comments[-1]
    assert (comment["id"], comment["section"], comment["answer"]) == ("C1", LEADERS, None)
    inspection.collect_events()
    inspection.answer_comment(
        INSPECTOR, "C1", True, "", day, {"working_well": "A workforce that is settling."}
    )
    assert new_events(inspection) == ["ReportSectionWritten", "FactualAccuracyAnswered"]
    assert inspection.comments[-1]["answer"]["accepted"] is True
    assert inspection.working_section(LEADERS)["working_well"] == "A workforce that is settling."


def test_a_comment_not_accepted_needs_a_reason_and_changes_nothing() -> None:
    inspection = drafted()
    day = inspection.draft_issued_on
    assert day is not None
    inspection.comment_on_draft(OFFICER, "Wrong", day, section="headline")
    with pytest.raises(InvalidInput, match="reason"):
        inspection.answer_comment(INSPECTOR, "C1", False, "  ", day)
    inspection.answer_comment(INSPECTOR, "C1", False, "The case records confirm it", day)
    assert inspection.comments[-1]["answer"]["reason"] == "The case records confirm it"
    with pytest.raises(LifecycleError, match="already been answered"):
        inspection.answer_comment(INSPECTOR, "C1", False, "Again", day)


# fmt: off
@pytest.mark.parametrize("who, comment_id, accepted, parts, refusal", [
    pytest.param(OFFICER, "C1", False, None, PermissionDenied, id="the council may not answer its own comment"),
    pytest.param(CQC, "C1", False, None, PermissionDenied, id="a partner may not answer"),
    pytest.param(INSPECTOR, "C9", False, None, InvalidInput, id="an unknown comment is refused"),
    pytest.param(INSPECTOR, "C1", True, None, InvalidInput, id="accepting needs the change made"),
])
# fmt: on
def test_answering_is_refused(
    who: Actor, comment_id: str, accepted: bool, parts: dict | None, refusal: type
) -> None:
    inspection = drafted()
    day = inspection.draft_issued_on
    assert day is not None
    inspection.comment_on_draft(OFFICER, "Wrong team named", day, section="headline")
    inspection.collect_events()
    with pytest.raises(refusal):
        inspection.answer_comment(who, comment_id, accepted, "Because", day, parts)
    assert new_events(inspection) == []


def test_a_council_comments_only_on_sections_the_report_has_and_only_on_its_own_draft() -> None:
    inspection = drafted()
    day = inspection.draft_issued_on
    assert day is not None
    with pytest.raises(UnknownReportSection):
        inspection.comment_on_draft(OFFICER, "x", day, section="area:nowhere")
    with pytest.raises(PermissionDenied):
        inspection.comment_on_draft(OTHER_OFFICER, "x", day, section="headline")


def test_the_final_report_waits_for_every_answer_then_is_the_next_version() -> None:
    inspection = drafted()
    day = inspection.draft_issued_on
    assert day is not None and inspection.comments_due is not None
    inspection.comment_on_draft(OFFICER, "Supervision is monthly", day, section=LEADERS)
    after = next_working_day(inspection.comments_due)
    with pytest.raises(CommentsUnanswered, match="C1"):
        inspection.issue_final_report(MODERATOR, after, DEFAULT_POLICY)
    inspection.answer_comment(
        INSPECTOR, "C1", True, "", day, {"needs_to_improve": "Supervision is monthly but brief."}
    )
    inspection.issue_final_report(MODERATOR, after, DEFAULT_POLICY)
    draft, final = inspection.report_version(1), inspection.report_version(2)
    assert draft is not None and final is not None and final.stage == "final"
    assert inspection.report_version() is final and final.sha256 != draft.sha256
    changes = differences(draft.content, final.content)
    assert [(c.section, c.part) for c in changes] == [(LEADERS, "needs_to_improve")]
    assert "-Supervision is irregular." in changes[0].lines
    assert "+Supervision is monthly but brief." in changes[0].lines


def test_the_report_cannot_be_written_once_the_final_report_is_issued() -> None:
    inspection = drafted()
    assert inspection.status == DRAFT_ISSUED and inspection.comments_due is not None
    inspection.issue_final_report(
        MODERATOR, next_working_day(inspection.comments_due), DEFAULT_POLICY
    )
    with pytest.raises(LifecycleError):
        inspection.write_report_section(INSPECTOR, "headline", {"text": "Too late"})


def test_an_old_comment_is_upcast_as_a_comment_on_the_whole_report() -> None:
    state = {"on": "2025-04-14", "comment": "Page 4", "complete": False}
    Inspection.FactualAccuracyCommented.upcast_v1_v2(state)
    assert state["section"] == "" and Inspection.FactualAccuracyCommented.class_version == 2
