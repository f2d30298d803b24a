"""Public pages of regulated settings: the list with filters, a setting's page, its council's."""

from __future__ import annotations

from tests.scenarios import AGENCY, BARNET, CAMDEN, HOME


def test_the_settings_page_lists_every_setting_without_sign_in(pages):
    response = pages.get("/settings")
    assert response.status_code == 200
    assert "Oak House" in response.text and "Bright Futures Fostering London" in response.text
    assert "2 settings" in response.text


def test_the_settings_page_filters_by_type_and_grade(pages):
    page = pages.get("/settings?type=childrens_home").text
    assert "Oak House" in page and "Bright Futures" not in page
    page = pages.get("/settings?grade=Not+yet+rated").text
    assert "Bright Futures" in page and "Oak House" not in page
    assert "0 settings" in pages.get("/settings?grade=Good").text


def test_a_settings_page_shows_its_provider_area_rating_and_reports(pages):
    page = pages.get(f"/settings/{HOME}").text
    assert "Oak House" in page and "Children&#39;s home, URN SC999001" in page
    assert 'id="current-rating"' in page and "Inadequate" in page
    assert f"/reports/{pages.story.home_inspections[0]}" in page
    assert f"/reports/{pages.story.home_inspections[1]}" in page
    assert "never its council" in page


def test_a_private_provider_is_named_on_its_settings_page(pages):
    page = pages.get(f"/settings/{AGENCY.lower()}").text
    assert "Bright Futures Ltd (private provider)" in page
    assert "No inspection of this setting has been published" in page


def test_an_unknown_setting_is_a_gov_uk_404_page(pages):
    response = pages.get("/settings/SC000000")
    assert response.status_code == 404 and "Page not found" in response.text


def test_a_councils_page_lists_its_settings_but_not_their_reports(pages):
    page = pages.get(f"/councils/{BARNET}").text
    assert "Oak House" in page
    assert f"/reports/{pages.story.home_inspections[1]}" not in page
    assert "Bright Futures" not in page
    assert "Bright Futures" in pages.get(f"/councils/{CAMDEN}").text


def test_an_inadequate_childrens_home_leaves_its_councils_page_and_the_ratings_list(pages):
    council = pages.get(f"/councils/{BARNET}").text
    current = council.split('id="current-ratings"')[1].split("</dl>")[0]
    assert "Inadequate" not in current
    listed = pages.get("/?grade=Inadequate").text.split('id="ratings"')[-1]
    assert ">Barnet<" not in listed


def test_a_settings_report_names_the_setting(pages):
    page = pages.get(f"/reports/{pages.story.home_inspections[1]}").text
    assert "Oak House (SC999001)" in page
