"""`ledger settings list|show|register` on the demonstration data, on every backend."""

from __future__ import annotations

from tests.integration.test_cli import as_json, assert_one_line_error, ok, run, seeded  # noqa: F401

BARNET = "E09000003"


def test_settings_list_shows_each_demonstration_setting_with_its_grade(seeded):  # noqa: F811
    lines = ok(seeded[0], "settings", "list").splitlines()
    willow = next(line for line in lines if line.startswith("SC900001"))
    assert willow == (
        "SC900001  Willow Lodge - Children's home, Barnet, run by E09000003: Inadequate"
        " [demonstration data]"
    )
    assert len(lines) == 4


def test_settings_list_filters_by_type_grade_and_council(seeded):  # noqa: F811
    url = seeded[0]
    assert [r["urn"] for r in as_json(url, "settings", "list", "--grade", "Inadequate")] == [
        "SC900001"
    ]
    assert [r["urn"] for r in as_json(url, "settings", "list", "--type", "boarding_school")] == []
    assert [r["urn"] for r in as_json(url, "settings", "list", "--council", BARNET)] == ["SC900001"]


def test_settings_show_gives_the_history_newest_first(seeded):  # noqa: F811
    shown = as_json(seeded[0], "settings", "show", "SC900001")
    assert [h["grade"] for h in shown["history"]] == ["Inadequate", "Good"]
    assert shown["demonstration"] is True


def test_an_inadequate_demonstration_home_leaves_barnets_rating_and_the_statistics(
    seeded,  # noqa: F811
):
    url = seeded[0]
    barnet = next(r for r in as_json(url, "ratings") if r["council"] == BARNET)
    inadequate = {r["council"] for r in as_json(url, "ratings", "--grade", "Inadequate")}
    assert barnet["framework"] != "sccif" and BARNET not in inadequate
    history = as_json(url, "history", BARNET)["inspections"]
    assert all(i["framework"] != "sccif" for i in history)


def test_an_unknown_urn_is_one_line_and_exit_1(seeded):  # noqa: F811
    assert_one_line_error(run(seeded[0], "settings", "show", "SC000000"), "No setting")


ELM_HOUSE = ("--name", "Elm House", "--type", "childrens_home", "--council", BARNET)


def test_registering_a_setting_with_a_bad_urn_names_it_in_one_line(database_url):
    ok(database_url, "init")
    result = run(database_url, "settings", "register", "SC1", *ELM_HOUSE, "--provider", "Acme")
    assert_one_line_error(result, "Setting URN must be SC followed by 6 digits")
    made = ok(database_url, "settings", "register", "SC999003", *ELM_HOUSE, "--provider", "Acme")
    assert made.strip() == "Registered SC999003"
    assert [r["urn"] for r in as_json(database_url, "settings", "list")] == ["SC999003"]


def test_registering_a_setting_with_both_providers_names_the_provider_rule(database_url):
    ok(database_url, "init")
    both = ("--provider", "Acme", "--provider-council", BARNET)
    result = run(database_url, "settings", "register", "SC999003", *ELM_HOUSE, *both)
    assert_one_line_error(result, "A setting's provider is either a council")
