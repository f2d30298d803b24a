"""Pages name people, organisations, councils and judgment areas, never their stored codes."""

from __future__ import annotations

from tests.scenarios import BARKING


def test_a_timeline_names_the_person_and_their_organisation(pages):
    pages.sign_in("auditor")
    page = pages.get(f"/audit/inspection/{pages.story.revised}").text
    assert "by Ian Inspector (inspector, Ofsted)" in page
    assert "by ian.inspector" not in page and "OFSTED" not in page


def test_the_disputes_trail_names_people_and_areas(pages):
    pages.sign_in("auditor")
    page = pages.get("/audit/disputes").text
    assert "by Mo Moderator" in page or "by Mo Second" in page
    assert "by mo." not in page and "children_in_care" not in page


def test_the_ratings_history_says_who_recorded_each_grade(pages):
    pages.sign_in("auditor")
    page = pages.get(f"/audit/ratings?council={BARKING}&on=1&on=1&on=2020").text
    assert "Ian Inspector" in page and ">ian.inspector<" not in page


def test_a_council_officers_challenge_names_who_lodged_it(pages):
    pages.sign_in("officer")
    page = pages.get(f"/challenges/{pages.story.challenge_revised}").text
    assert "Olu Officer" in page and f"officer.{BARKING}" not in page


def test_a_work_list_names_the_judgment_challenged(pages):
    pages.sign_in("officer")
    page = pages.get("/work").text
    assert "children_in_care" not in page and BARKING not in page.split("<main")[1]


def test_the_ledgers_own_actors_are_said_as_what_they_did(pages):
    from web.pages.names import area_title, organisation, person

    with pages.app.test_request_context():
        _named(person, organisation, area_title)


def _named(person, organisation, area_title) -> None:
    assert person("importer") == "Import of the published record"
    assert person("nobody.known") == "nobody.known"
    assert organisation("OFSTED") == "Ofsted" and organisation(BARKING) == "Barking and Dagenham"
    assert area_title("children_in_care", "ilacs_2023").startswith("The experiences")
    assert area_title("not an area") == "not an area"
