"""The report's pages: writing a section, the draft the council reads, comments answered, the
changes between versions, the published narrative and the PDF read back."""

from __future__ import annotations

import io
from datetime import date, timedelta

from pypdf import PdfReader

from domain.events import JudgmentInput
from tests.scenarios import ADMIN, BARKING, INSPECTOR, MODERATOR, RI, ilacs_2023, officer
from tests.web.conftest import drafted_inspection, event_count, live_inspection

LEADERS = "area:leaders"


def pdf_text(body: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


def judged(pages):
    inspection = live_inspection(pages, BARKING)
    pages.ledger.record_judgments(INSPECTOR, inspection, ilacs_2023(RI, RI, RI, RI, RI))
    pages.ledger.complete_judgments(INSPECTOR, inspection)
    return inspection


def published(pages):
    inspection = judged(pages)
    pages.ledger.write_report_section(
        INSPECTOR, inspection, "headline", {"text": "Children wait too long.\n\nLeaders know it."}
    )
    pages.ledger.issue_draft(INSPECTOR, inspection)
    pages.ledger.comment_on_draft(
        officer(BARKING), inspection, "Wait times fell", section="headline"
    )
    pages.ledger.answer_comment(
        INSPECTOR, inspection, "C1", True, "", {"text": "Children waited too long until May."}
    )
    pages.clock.advance_to(pages.clock.day + timedelta(days=10))
    pages.ledger.issue_final_report(MODERATOR, inspection)
    pages.clock.advance_to(pages.clock.day + timedelta(days=7))
    pages.ledger.publish(MODERATOR, inspection)
    return inspection


def test_an_inspector_writes_a_section_after_checking_the_answers(pages):
    inspection = judged(pages)
    pages.sign_in("inspector")
    form = pages.get(f"/inspections/{inspection}/report/sections/{LEADERS}")
    assert form.status_code == 200 and "What is working well" in form.text
    data = {"working_well": "Leaders are visible.", "needs_to_improve": "", "recommendations": ""}
    check = pages.post(f"/inspections/{inspection}/report/sections/{LEADERS}", data)
    assert "Check your answers" in check.text and "Leaders are visible." in check.text
    done = pages.post(f"/inspections/{inspection}/report/sections/{LEADERS}", data, "confirm")
    assert done.status_code == 302
    page = pages.get(f"/inspections/{inspection}/report").text
    assert "Leaders are visible." in page and "Last written by Ian Inspector" in page


def test_hostile_section_text_is_refused_on_the_form_and_nothing_is_stored(pages):
    inspection = judged(pages)
    pages.sign_in("inspector")
    before = event_count(pages)
    response = pages.post(
        f"/inspections/{inspection}/report/sections/headline", {"text": "x" * 20001}, "confirm"
    )
    assert response.status_code == 400 and "govuk-error-summary" in response.text
    assert "20,000 characters or fewer" in response.text
    assert event_count(pages) == before


def test_the_council_reads_its_draft_and_comments_on_a_section(pages):
    inspection = drafted_inspection(pages)
    pages.sign_in("officer")
    draft = pages.get(f"/inspections/{inspection}/report")
    assert draft.status_code == 200 and "Version 1: draft" in draft.text
    link = f"/inspections/{inspection}/comments/new?section=area:leaders"
    assert link in draft.text
    data = {"section": LEADERS, "comment": "The director started in May"}
    assert pages.post(f"/inspections/{inspection}/comments/new", data, "confirm").status_code == 302
    assert pages.ledger.inspection(INSPECTOR, inspection).comments[-1]["section"] == LEADERS


def test_another_council_gets_the_not_found_page_for_the_draft(pages):
    inspection = drafted_inspection(pages)
    pages.sign_in("other_officer")
    assert pages.get(f"/inspections/{inspection}/report").status_code == 404
    assert pages.get(f"/reports/{inspection}.pdf").status_code == 404


def test_the_inspectorate_answers_a_comment_with_the_change(pages):
    inspection = drafted_inspection(pages)
    pages.ledger.comment_on_draft(officer(BARKING), inspection, "Wrong", section="headline")
    pages.sign_in("inspector")
    assert "Answer" in pages.get(f"/inspections/{inspection}/report").text
    data = {"accepted": "yes", "reason": "", "text": "Corrected headline."}
    response = pages.post(f"/inspections/{inspection}/report/answers/C1", data, "confirm")
    assert response.status_code == 302, response.text
    page = pages.get(f"/inspections/{inspection}/report").text
    assert "Accepted by Ian Inspector" in page and "Corrected headline." in page


def test_a_comment_not_accepted_without_a_reason_is_refused_on_the_form(pages):
    inspection = drafted_inspection(pages)
    pages.ledger.comment_on_draft(officer(BARKING), inspection, "Wrong", section="headline")
    pages.sign_in("inspector")
    before = event_count(pages)
    data = {"accepted": "no", "reason": ""}
    response = pages.post(f"/inspections/{inspection}/report/answers/C1", data, "confirm")
    assert response.status_code == 422 and "reason" in response.text
    assert event_count(pages) == before


def test_the_published_report_shows_the_whole_narrative_and_links_pdf_and_changes(pages):
    inspection = published(pages)
    page = pages.get(f"/reports/{inspection}")  # not signed in: the public
    assert page.status_code == 200
    narrative = page.text[page.text.index('id="narrative"') :]
    assert "Children waited too long until May." in narrative, narrative[:3000]
    assert f"/reports/{inspection}.pdf" in page.text
    assert f"/reports/{inspection}/changes?from=1&amp;to=2" in page.text


def test_anyone_may_read_the_changes_between_versions_of_a_published_report(pages):
    inspection = published(pages)
    page = pages.get(f"/reports/{inspection}/changes?from=1&to=2")
    assert page.status_code == 200
    assert "<del>Children wait too long.</del>" in page.text
    assert "<ins>Children waited too long until May.</ins>" in page.text


def test_the_public_may_not_read_a_draft_or_its_changes(pages):
    inspection = drafted_inspection(pages)
    assert pages.get(f"/reports/{inspection}.pdf").status_code == 404
    assert pages.get(f"/reports/{inspection}/changes").status_code == 404


def test_the_pdf_states_version_digest_and_place_in_the_log_and_reads_back(pages):
    inspection = published(pages)
    response = pages.get(f"/reports/{inspection}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    version = pages.ledger.inspection(INSPECTOR, inspection).report_version()
    text = pdf_text(response.data)
    assert "Children waited too long until May." in text
    assert "Version" in text and "2 (final)" in text
    assert version.sha256[:32] in text.replace("\n", "")
    assert "hash chain position" in text
    catalog = PdfReader(io.BytesIO(response.data)).trailer["/Root"]
    assert "/StructTreeRoot" in catalog and catalog["/MarkInfo"]["/Marked"]  # tagged


def test_the_council_downloads_its_draft_as_a_pdf(pages):
    inspection = drafted_inspection(pages)
    pages.sign_in("officer")
    response = pages.get(f"/reports/{inspection}.pdf")
    assert response.status_code == 200
    text = pdf_text(response.data)
    assert "Draft for factual accuracy check" in text and "1 (draft)" in text


def test_an_imported_inspection_links_to_ofsted_s_reports_on_the_council(pages):
    croydon = "E09000008"
    details = {"region_name": "London", "council_type": "London Borough", "urn": "80497"}
    pages.ledger.register_council(ADMIN, croydon, "Croydon", details)
    grades = [JudgmentInput(a, RI) for a in ("leaders", "help_and_protection", "children_in_care")]
    imported, _ = pages.ledger.import_published(
        ADMIN,
        croydon,
        "standard",
        date(2019, 2, 4),
        date(2019, 3, 18),
        [*grades, JudgmentInput("overall", RI)],
        source="ofsted_ilacs line 9",
    )
    page = pages.get(f"/reports/{imported}").text
    assert 'href="https://reports.ofsted.gov.uk/provider/44/80497"' in page


def test_a_live_inspection_has_no_link_to_ofsted_s_website(pages):
    page = pages.get(f"/reports/{pages.story.plain}").text
    assert "reports.ofsted.gov.uk" not in page
