"""Auditor pages: timelines, ratings on any date, the disputed-judgments trail, CSV exports."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from tests.scenarios import BARKING, NORTH_NORTHANTS, NORTHAMPTONSHIRE, reorganise_northamptonshire


def test_the_audit_home_offers_records_ratings_and_disputes(pages):
    pages.sign_in("auditor")
    page = pages.get("/audit/").text
    assert "Ratings on a date" in page and "/audit/disputes" in page
    response = pages.get(f"/audit/councils?council={BARKING}")
    assert response.location == f"/audit/councils/{BARKING}"
    assert pages.get("/audit/councils?council=").location == "/audit/"


def test_a_councils_records_link_to_every_timeline(pages):
    pages.sign_in("auditor")
    page = pages.get(f"/audit/councils/{BARKING}").text
    assert f"/audit/inspection/{pages.story.revised}" in page
    assert f"/audit/challenge/{pages.story.challenge_revised}" in page
    assert f"/audit/plan/{pages.story.revised}" in page
    assert pages.get("/audit/councils/E99999999").status_code == 404


def test_an_inspections_timeline_shows_who_what_when_and_why(pages):
    pages.sign_in("auditor")
    page = pages.get(f"/audit/inspection/{pages.story.revised}").text
    assert "Judgment revised" in page and "by Mo Second (moderator, Ofsted)" in page
    assert "The placement data supports RI" in page
    assert "Published" in page and "Scheduled" in page


@pytest.mark.parametrize("kind", ["challenge", "plan"])
def test_challenge_and_plan_timelines(pages, kind):
    pages.sign_in("auditor")
    target = pages.story.challenge_revised if kind == "challenge" else pages.story.revised
    page = pages.get(f"/audit/{kind}/{target}").text
    assert "ledger-timeline" in page and ("Lodged" in page or "Opened" in page)


def test_a_timeline_is_exported_as_csv(pages):
    pages.sign_in("auditor")
    response = pages.get(f"/audit/inspection/{pages.story.revised}.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert rows[0]["event"] == "Scheduled" and rows[0]["user"] == "ian.inspector"
    assert any(r["event"] == "JudgmentRevised" for r in rows)


def _details(page: str) -> list[str]:
    found = re.findall(r'<dl class="govuk-body-s ledger-timeline__details">(.*?)</dl>', page, re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", d)).strip() for d in found]


def test_timelines_name_areas_councils_and_dates_as_people_read_them(pages):
    pages.sign_in("auditor")
    page = pages.get(f"/audit/inspection/{pages.story.revised}").text
    details = " | ".join(_details(page))
    assert "Area The experiences and progress of children in care" in details
    assert "Area Overall effectiveness" in details
    assert "Area children_in_care" not in details and "Effective on 17 April 2025" in details
    assert "Type Standard inspection" in details
    assert "Withholds publication Yes" in details
    challenge = " | ".join(
        _details(pages.get(f"/audit/challenge/{pages.story.challenge_revised}").text)
    )
    assert "Council Barking and Dagenham" in challenge and "Stage formal review" in challenge
    assert "The experiences and progress of children in care: Requires improvement" in challenge


def test_the_csv_keeps_the_stored_values(pages):
    pages.sign_in("auditor")
    response = pages.get(f"/audit/inspection/{pages.story.revised}.csv")
    revised = [
        r for r in csv.DictReader(io.StringIO(response.text)) if r["event"] == "JudgmentRevised"
    ]
    assert {json.loads(r["details"])["area"] for r in revised} == {"children_in_care", "overall"}
    assert json.loads(revised[0]["details"])["effective_on"] == "2025-04-17"


def test_a_councils_ratings_on_a_past_date(pages):
    pages.sign_in("auditor")
    page = pages.get(f"/audit/ratings?council={BARKING}&on=1&on=1&on=2020").text
    assert "In effect on 1 January 2020" in page and "Requires improvement to be good" in page
    assert 'id="history"' in page


def test_ratings_as_recorded_at_an_earlier_time(pages):
    pages.sign_in("auditor")
    page = pages.get(
        f"/audit/ratings?council={BARKING}&on=1&on=1&on=2020&known_at=1&known_at=1&known_at=2000"
    ).text
    assert "No published rating was in effect" in page


def test_the_ratings_question_needs_a_council_and_a_real_date(pages):
    pages.sign_in("auditor")
    response = pages.get(f"/audit/ratings?council={BARKING}&on=31&on=2&on=2020")
    assert response.status_code == 400 and "must be a real date" in response.text
    response = pages.get("/audit/ratings")
    assert response.status_code == 400 and "Choose a council" in response.text


def test_the_disputed_judgments_trail_and_its_csv(pages):
    pages.sign_in("auditor")
    page = pages.get("/audit/disputes").text
    assert "Original grade" in page and "Grade that stands" in page and "Inadequate" in page
    rows = list(csv.DictReader(io.StringIO(pages.get("/audit/disputes.csv").text)))
    assert {r["outcome"] for r in rows} == {"upheld"} and len(rows) == 2
    assert "judgment revised" in rows[-1]["steps"] or "judgment revised" in rows[0]["steps"]


@pytest.mark.parametrize("role", ["inspector", "officer"])
def test_audit_pages_are_for_auditors_and_administrators(pages, role):
    pages.sign_in(role)
    for path in ("/audit/", "/audit/disputes", "/audit/disputes.csv", f"/audit/councils/{BARKING}"):
        assert pages.get(path).status_code == 403


def test_a_council_reads_its_own_timelines_but_not_another_councils_unpublished_ones(pages):
    from tests.web.conftest import drafted_inspection

    inspection = drafted_inspection(pages)
    pages.sign_in("officer")
    assert pages.get(f"/audit/inspection/{inspection}").status_code == 200
    pages.sign_in("other_officer")
    assert pages.get(f"/audit/inspection/{inspection}").status_code == 404
    assert pages.get(f"/audit/inspection/{inspection}.csv").status_code == 404


def test_auditors_see_everything_and_change_nothing(pages):
    pages.sign_in("auditor")
    assert pages.get(f"/inspections/{pages.story.revised}").status_code == 200
    page = pages.get(f"/inspections/{pages.story.revised}").text
    assert 'id="next-steps"' not in page
    assert pages.post(f"/inspections/{pages.story.revised}/publish", {}).status_code == 403
    assert pages.get("/work").status_code == 403


def test_a_timeline_shows_each_events_chain_position_and_cause(pages):
    pages.sign_in("auditor")
    page = pages.get(f"/audit/inspection/{pages.story.revised}").text
    assert "chain position" in page
    assert f"caused by event <code>{pages.story.challenge_revised}:2</code>" in page


def test_the_verification_page_says_the_log_is_intact_then_names_tampering(pages):
    from sqlalchemy import text

    pages.sign_in("auditor")
    page = pages.get("/audit/verification").text
    assert "The log is intact" in page
    engine = pages.ledger.recorder.datastore.engine
    with engine.begin() as conn:
        conn.execute(text("UPDATE ledger_events SET topic = topic || ' ' WHERE id = 5"))
    page = pages.get("/audit/verification").text
    assert "The log has been tampered with" in page and "altered: chain position 5" in page
    pages.sign_in("officer")
    assert pages.get("/audit/verification").status_code == 403


def test_ratings_on_a_date_say_when_the_council_did_not_exist_on_it(pages):
    reorganise_northamptonshire(pages.ledger)
    pages.sign_in("auditor")
    before = pages.get(f"/audit/ratings?council={NORTHAMPTONSHIRE}&on=31&on=3&on=2021").text
    after = pages.get(f"/audit/ratings?council={NORTHAMPTONSHIRE}&on=1&on=4&on=2021").text
    successor = pages.get(f"/audit/ratings?council={NORTH_NORTHANTS}&on=31&on=3&on=2021").text
    assert "Inadequate" in before.split('id="history"')[0]
    assert "did not exist on that date: a reorganisation abolished it on 1 April 2021" in after
    assert "did not exist on that date: it came into being on 1 April 2021" in successor


def test_the_timeline_csv_carries_the_chain_positions_and_hashes_its_page_shows(pages):
    pages.sign_in("auditor")
    page = pages.get(f"/audit/inspection/{pages.story.revised}").text
    response = pages.get(f"/audit/inspection/{pages.story.revised}.csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    positions = [int(r["chain_position"]) for r in rows]
    assert positions == sorted(positions) and len(set(positions)) == len(rows)
    for row in rows:
        assert len(row["event_hash"]) == 64 and row["correlation_id"]
        assert f"chain position {row['chain_position']}" in page
        assert f"<code>{row['event_hash'][:16]}</code>" in page


def _recorded_times(pages) -> list[str]:
    page = pages.get(f"/audit/ratings?council={BARKING}&on=1&on=1&on=2030").text
    return re.findall(
        r'<td class="govuk-table__cell">([^<]* at \d\d:\d\d:\d\d (?:GMT|BST))</td>', page
    )


def test_ratings_as_recorded_at_a_time_of_day_in_uk_time(pages):
    pages.sign_in("auditor")
    times = _recorded_times(pages)
    assert times, "the history shows each grade's recording time in UK time"
    page = pages.get(
        f"/audit/ratings?council={BARKING}&on=1&on=1&on=2030"
        "&known_at=1&known_at=1&known_at=2030&known_time=09:30"
    ).text
    shown = re.sub(r"<[^>]+>", "", page)
    assert "as the ledger showed them at 1 January 2030 at 09:30:00 GMT" in shown
    assert 'id="recorded-at"' in page


def test_a_recording_time_must_be_a_24_hour_time_on_a_date(pages):
    pages.sign_in("auditor")
    bad = pages.get(f"/audit/ratings?council={BARKING}&on=1&on=1&on=2020&known_time=25:00")
    assert bad.status_code == 400 and "24-hour time, like 14:05" in bad.text
    alone = pages.get(f"/audit/ratings?council={BARKING}&on=1&on=1&on=2020&known_time=10:00")
    assert alone.status_code == 400 and "recording date the time belongs to" in alone.text


def test_the_public_page_says_when_the_ratings_were_recorded(pages):
    page = pages.get(f"/councils/{BARKING}").text
    assert "as recorded at" in page and 'id="recorded-at"' in page
