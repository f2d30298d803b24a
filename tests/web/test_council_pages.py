"""Council pages: their inspections, factual accuracy, challenges, the action plan."""

from __future__ import annotations

from datetime import timedelta

from tests.scenarios import BARKING, MODERATOR
from tests.web.conftest import drafted_inspection, event_count


def test_the_councils_work_list_shows_drafts_challenges_plans_and_inspections(pages):
    inspection = drafted_inspection(pages)
    pages.sign_in("officer")
    page = pages.get("/work").text
    yours, others = page.split('id="needs-action"')[1].split('id="waiting"')
    assert f"/inspections/{inspection}" in yours and "Send factual accuracy comments" in yours
    assert f"/inspections/{pages.story.revised}/action-plan" in yours
    assert "Your council&#39;s inspections" in page or "Your council's inspections" in page


def test_a_council_comments_on_its_draft_after_checking_its_answers(pages):
    inspection = drafted_inspection(pages)
    pages.sign_in("officer")
    data = {"comment": "Paragraph 4 is wrong", "complete": "y"}
    check = pages.post(f"/inspections/{inspection}/comments/new", data)
    assert "Check your answers" in check.text and "Paragraph 4 is wrong" in check.text
    assert pages.post(f"/inspections/{inspection}/comments/new", data, "confirm").status_code == 302
    assert "Paragraph 4 is wrong" in pages.get(f"/inspections/{inspection}").text


def test_a_comment_after_the_deadline_is_refused_and_not_stored(pages):
    inspection = drafted_inspection(pages)
    pages.clock.advance_to(pages.clock.day + timedelta(days=14))
    pages.sign_in("officer")
    before = event_count(pages)
    response = pages.post(f"/inspections/{inspection}/comments/new", {"comment": "Late"}, "confirm")
    assert response.status_code == 422 and "deadline-passed" in response.text
    assert event_count(pages) == before


def test_another_councils_officer_may_not_see_or_comment(pages):
    inspection = drafted_inspection(pages)
    pages.sign_in("other_officer")
    assert pages.get(f"/inspections/{inspection}").status_code == 404
    assert (
        pages.post(
            f"/inspections/{inspection}/comments/new", {"comment": "x"}, "confirm"
        ).status_code
        == 404
    )


def test_an_inspector_may_not_comment_for_a_council(pages):
    inspection = drafted_inspection(pages)
    pages.sign_in("inspector")
    assert pages.get(f"/inspections/{inspection}/comments/new").status_code == 403


def _final(pages):
    inspection = drafted_inspection(pages)
    pages.clock.advance_to(pages.clock.day + timedelta(days=10))
    pages.ledger.issue_final_report(MODERATOR, inspection)
    return inspection


def test_a_council_lodges_a_challenge_against_a_judgment_chosen_from_a_list(pages):
    inspection = _final(pages)
    pages.sign_in("officer")
    form = pages.get(f"/inspections/{inspection}/challenges/new").text
    assert 'value="judgment:children_in_care"' in form and 'value="report:"' in form
    data = {
        "target": "judgment:leaders",
        "grounds": "Misread evidence",
        "evidence": "Audit\nMinutes",
    }
    response = pages.post(f"/inspections/{inspection}/challenges/new", data, "confirm")
    assert response.status_code == 302 and response.location.startswith("/challenges/")
    page = pages.get(response.location).text
    assert "Misread evidence" in page and "Audit; Minutes" in page


def test_a_challenge_needs_grounds_and_a_subject(pages):
    inspection = _final(pages)
    pages.sign_in("officer")
    response = pages.post(
        f"/inspections/{inspection}/challenges/new", {"target": "", "grounds": ""}, "confirm"
    )
    assert response.status_code == 400
    assert "Choose the judgment, finding or report you challenge" in response.text
    assert "Enter the grounds for your challenge" in response.text


def test_a_challenge_after_the_window_is_refused_by_rule(pages):
    inspection = _final(pages)
    pages.clock.advance_to(pages.clock.day + timedelta(days=10))
    pages.sign_in("officer")
    data = {"target": "report:", "grounds": "Too late?"}
    response = pages.post(f"/inspections/{inspection}/challenges/new", data, "confirm")
    assert response.status_code == 422 and "deadline-passed" in response.text


def test_a_challenge_page_shows_each_step_with_who_when_and_why(pages):
    pages.sign_in("officer")
    page = pages.get(f"/challenges/{pages.story.challenge_revised}").text
    assert "upheld" in page and "by Mo Second on 17 April 2025" in page
    assert "The placement data supports RI" in page and "Revisions" in page


def test_the_action_plan_is_a_task_list_with_actions_and_progress(pages):
    pages.sign_in("officer")
    page = pages.get(f"/inspections/{pages.story.revised}/action-plan").text
    assert "govuk-task-list" in page and "Review every placement" in page and "Overdue" in page
    assert "Add an action" in page


def test_an_action_due_in_the_past_is_refused_and_a_valid_one_is_added(pages):
    revised = pages.story.revised
    pages.sign_in("officer")
    past = pages.clock.day - timedelta(days=3)
    data = {
        "recommendation": "Other",
        "area": "Care",
        "description": "Recruit carers",
        "owner": "Head of fostering",
        "due_on": [str(past.day), str(past.month), str(past.year)],
    }
    response = pages.post(f"/inspections/{revised}/action-plan/actions/new", data, "confirm")
    assert response.status_code == 422 and "cannot be due in the past" in response.text
    future = pages.clock.day + timedelta(days=90)
    data["due_on"] = [str(future.day), str(future.month), str(future.year)]
    assert (
        pages.post(f"/inspections/{revised}/action-plan/actions/new", data, "confirm").status_code
        == 302
    )
    assert "A2: Recruit carers" in pages.get(f"/inspections/{revised}/action-plan").text


def test_an_impossible_due_date_asks_for_a_real_date(pages):
    pages.sign_in("officer")
    data = {
        "recommendation": "Other",
        "area": "A",
        "description": "D",
        "owner": "O",
        "due_on": ["31", "2", "2030"],
    }
    response = pages.post(
        f"/inspections/{pages.story.revised}/action-plan/actions/new", data, "confirm"
    )
    assert response.status_code == 400 and "The due date must be a real date" in response.text


def test_progress_and_completion_of_an_action(pages):
    revised = pages.story.revised
    pages.sign_in("officer")
    data = {"note": "All reviewed", "evidence": "Tracker", "complete": "y"}
    assert (
        pages.post(f"/inspections/{revised}/action-plan/actions/A1", data, "confirm").status_code
        == 302
    )
    assert pages.post(f"/inspections/{revised}/action-plan/complete", {}).status_code == 302
    assert "Completed" in pages.get(f"/inspections/{revised}/action-plan").text


def test_completing_a_plan_with_open_actions_is_refused(pages):
    pages.sign_in("officer")
    response = pages.post(f"/inspections/{pages.story.revised}/action-plan/complete", {})
    assert response.status_code == 422 and "Actions still open: A1" in response.text


def test_the_plan_summary_is_updated_and_an_unknown_action_is_not_found(pages):
    revised = pages.story.revised
    pages.sign_in("officer")
    assert (
        pages.post(
            f"/inspections/{revised}/action-plan/summary", {"summary": "Revised plan"}, "confirm"
        ).status_code
        == 302
    )
    assert pages.get(f"/inspections/{revised}/action-plan/actions/A9").status_code == 404


def test_inspectors_read_a_plan_but_cannot_change_it(pages):
    pages.sign_in("inspector")
    page = pages.get(f"/inspections/{pages.story.revised}/action-plan")
    assert page.status_code == 200 and "Add an action" not in page.text
    assert pages.get(f"/inspections/{pages.story.revised}/action-plan/summary").status_code == 403


def test_a_council_escalates_a_challenge_that_was_not_upheld(pages):
    from tests.scenarios import officer

    inspection = _final(pages)
    challenge = pages.ledger.lodge_challenge(
        officer(BARKING), inspection, "report", "", "Unfair", []
    )
    pages.ledger.decide_challenge(MODERATOR, challenge, "not upheld", "The report stands", [])
    pages.sign_in("officer")
    assert "Escalate this challenge" in pages.get(f"/challenges/{challenge}").text
    assert (
        pages.post(f"/challenges/{challenge}/escalate", {"grounds": ""}, "confirm").status_code
        == 400
    )
    assert (
        pages.post(
            f"/challenges/{challenge}/escalate", {"grounds": "Handling"}, "confirm"
        ).status_code
        == 302
    )
    assert "adjudicator" in pages.get(f"/challenges/{challenge}").text


def test_a_moderator_keys_in_the_adjudicators_finding_which_changes_no_grade(pages):
    from tests.scenarios import officer

    inspection = _final(pages)
    challenge = pages.ledger.lodge_challenge(
        officer(BARKING), inspection, "judgment", "leaders", "Misread", []
    )
    pages.ledger.decide_challenge(MODERATOR, challenge, "not upheld", "The grade stands", [])
    pages.ledger.escalate_challenge(officer(BARKING), challenge, "The review ignored our audit")
    grades = pages.ledger.inspection(MODERATOR, inspection).grades()
    pages.sign_in("officer")
    assert "Record the adjudicator" not in pages.get(f"/challenges/{challenge}").text
    assert pages.get(f"/challenges/{challenge}/adjudicator").status_code == 403
    pages.sign_in("moderator")
    assert "Record the adjudicator" in pages.get(f"/challenges/{challenge}").text
    url = f"/challenges/{challenge}/adjudicator"
    assert pages.post(url, {"outcome": "", "recommendation": ""}, "confirm").status_code == 400
    answers = {
        "outcome": "partially upheld",
        "recommendation": "Explain the review's reasons",
        "adjudicator_name": "ICASO",  # a moderator keying it in names the adjudicator
        "evidence": "ICASO letter 17",
    }
    checked = pages.post(url, answers, "check")
    assert checked.status_code == 200 and "Explain the review" in checked.text
    assert pages.post(url, answers, "confirm").status_code == 302
    found = pages.ledger.challenge(MODERATOR, challenge)
    assert (
        found.status == "closed"
        and found.steps[-1]["recommendation"] == "Explain the review's reasons"
    )
    assert pages.ledger.inspection(MODERATOR, inspection).grades() == grades
    assert "Record the adjudicator" not in pages.get(f"/challenges/{challenge}").text


def test_marking_comments_complete_shows_on_the_pages_and_moves_the_work(pages):
    inspection = drafted_inspection(pages)
    pages.sign_in("officer")
    data = {"comment": "Nothing more", "complete": "y"}
    assert pages.post(f"/inspections/{inspection}/comments/new", data, "confirm").status_code == 302
    page = pages.get(f"/inspections/{inspection}").text
    status = page.split('id="fa-status"')[1].split("</span>\n")[0]
    assert "Comments complete" in status and "no more can be sent" in status
    assert "Open until" not in status
    report = pages.get(f"/inspections/{inspection}/report").text
    assert "Comments complete" in report.split('id="fa-status"')[1]
    work = pages.get("/work").text
    yours = work.split('id="needs-action"')[1].split('id="waiting"')[0]
    assert f"/inspections/{inspection}" not in yours
    assert "The final report" in work.split('id="waiting"')[1]


def test_check_your_answers_is_a_page_of_its_own_so_back_never_resubmits(pages):
    inspection = drafted_inspection(pages)
    pages.sign_in("officer")
    path = f"/inspections/{inspection}/comments/new"
    posted = pages.client.post(path, data={"comment": "Paragraph 4 is wrong"})
    assert posted.status_code == 303 and posted.location == f"{path}?step=check"
    check = pages.get(posted.location)
    assert "Check your answers" in check.text and "Paragraph 4 is wrong" in check.text
    before = event_count(pages)
    done = pages.post(path, {"comment": "Paragraph 4 is wrong"}, "confirm")
    assert done.status_code == 302 and event_count(pages) == before + 1
    back = pages.get(posted.location)  # the browser's Back: a GET, and nothing is resubmitted
    assert back.status_code == 302 and back.location == path
    assert event_count(pages) == before + 1
