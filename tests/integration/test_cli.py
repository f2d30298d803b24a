"""The `ledger` command line, end to end through click's runner, on every backend."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result

from adapters.reference_data import data_dir
from web.cli import main

DATA = data_dir()
ILACS = DATA / "ofsted_ilacs_inspections_2018_2025.csv"
PUBLISHED = (ILACS, DATA / "ofsted_inspections_and_visits_2024_25.csv")
INADEQUATE, OVERALL = "Inadequate", "Overall effectiveness"
# PostgreSQL leaves catch-up after writes to `ledger projections follow` (query commands
# catch up themselves); with no follower running, seeding asks for it in-process instead.
INLINE = {"LEDGER_INLINE_PROJECTIONS": "1"}


def rows_of(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as file:
        return list(csv.DictReader(file))


COUNCILS = {r["la_code_ons_as_used_by_ofsted_2025"]: r for r in rows_of(DATA / "councils.csv")}
FORMER = {r["la_code_ons"]: r for r in rows_of(DATA / "former_councils.csv")}


def existing_on(day: str) -> set[str]:
    """Codes of the councils that existed on a day: every current one, and those abolished later."""
    return set(COUNCILS) | {code for code, r in FORMER.items() if r["abolished_on"] > day}


def latest_graded(day: str = "9999-12-31") -> dict[str, dict[str, str]]:
    """The latest graded published row, by publication date, of each council existing on a day."""
    latest: dict[str, dict[str, str]] = {}
    for row in (r for path in PUBLISHED for r in rows_of(path)):
        code, published = row["Local authority area code"], row["Publication date"]
        if code not in existing_on(day) or not row["Overall effectiveness"] or published > day:
            continue
        if code not in latest or published > latest[code]["Publication date"]:
            latest[code] = row
    return latest


def run(url: str, *args: str, env: dict[str, str] | None = None) -> Result:
    """Run `ledger ARGS` against the database at URL."""
    return CliRunner().invoke(main, list(args), env={"DATABASE_URL": url, **(env or {})})


def ok(url: str, *args: str, env: dict[str, str] | None = None) -> str:
    result = run(url, *args, env=env)
    assert result.exit_code == 0, result.output
    return result.stdout


def as_json(url: str, *args: str) -> Any:
    return json.loads(ok(url, *args, "--json"))


def head_of_log(url: str) -> int:
    return as_json(url, "projections", "status")[0]["head"]


def assert_one_line_error(result: Result, starting: str) -> None:
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [result.stderr.strip()]
    assert result.stderr.startswith(f"Error: {starting}")
    assert "Traceback" not in result.output


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def seeded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """One database per backend, seeded once for the read-only tests: its URL and seed output."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'ledger.sqlite'}"
    else:
        url = request.getfixturevalue("fresh_postgres_database")("cli")
    return url, ok(url, "seed-demo", env=INLINE).splitlines()


def command_paths(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    paths = [prefix]
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            paths += command_paths(command, (*prefix, name))
        else:
            paths.append((*prefix, name))
    return paths


def test_the_group_offers_every_documented_command():
    documented = "init seed-demo import history ratings stats schedule disputes projections audit tokens accounts serve settings witness concerns notify"
    assert set(main.commands) == set(documented.split())
    assert set(main.commands["accounts"].commands) == {
        "list",
        "create",
        "change-role",
        "disable",
        "enable",
        "reset-password",
        "remove-two-factor",
        "erase-email",
        "forget",
    }
    assert set(main.commands["tokens"].commands) == {"create", "list", "revoke"}
    assert set(main.commands["settings"].commands) == {"list", "show", "register"}
    assert set(main.commands["concerns"].commands) == {"erase", "erase-expired"}
    assert set(main.commands["projections"].commands) == {"rebuild", "status", "follow", "resume"}
    assert set(main.commands["witness"].commands) == {"keygen"}
    assert set(main.commands["audit"].commands) == {
        "verify",
        "checkpoint",
        "keygen",
        "export",
        "replay",
        "prove",
        "check",
        "consistency",
    }


@pytest.mark.parametrize("path", command_paths(main), ids=lambda p: " ".join(p) or "ledger")
def test_help_describes_the_group_and_every_command(path):
    command: click.Command = main
    for name in path:
        command = command.commands[name]
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0
    assert f"Usage: main {' '.join(path)}".rstrip() in result.output
    summary = " ".join((command.help or "").split("\n\n")[0].split())
    assert summary and summary in " ".join(result.output.split())


def test_init_registers_158_councils_and_is_safe_to_run_twice(database_url):
    assert ok(database_url, "init").strip() == "158 councils registered (current and former)"
    head = head_of_log(database_url)
    assert ok(database_url, "init").strip() == "158 councils registered (current and former)"
    assert head_of_log(database_url) == head > 0


def test_seed_demo_loads_councils_accounts_and_both_published_files(seeded):
    _, lines = seeded
    assert lines[0] == "Councils: 158 registered (current and former)"
    assert lines[1].startswith("Demo accounts: 14 added")
    assert [line.split(" (")[0] for line in lines[2:4]] == [p.name for p in PUBLISHED]
    assert "271 rows, 271 inspections created" in lines[2]
    assert all(line.endswith(", 0 rows refused") for line in lines[2:4])
    assert [line.split(":")[0] for line in lines[4:]] == [
        "Camden",
        "Barking and Dagenham",
        "Barnet",
        "Croydon",
        "Settings",
    ]
    assert (
        lines[-1] == "Settings: 4 demonstration settings registered, 5 SCCIF inspections recorded"
    )


def test_seed_demo_run_again_creates_nothing_new(seeded):
    url, _ = seeded
    head = head_of_log(url)
    lines = ok(url, "seed-demo", env=INLINE).splitlines()
    assert lines[1].startswith("Demo accounts: 0 added")
    assert all(", 0 inspections created," in line for line in lines[2:4])
    assert lines[4:] == [
        "Live demo work already recorded (E09000002, E09000003, E09000007, E09000008)",
        "Settings: 0 demonstration settings registered, 0 SCCIF inspections recorded",
    ]
    assert head_of_log(url) == head


def test_after_seeding_every_projection_is_at_the_head_of_the_log(seeded):
    status = as_json(seeded[0], "projections", "status")
    assert {r["name"] for r in status} >= {"councils", "inspections", "ratings", "disputes"}
    assert all(r["position"] == r["head"] > 0 and r["lag"] == 0 for r in status)


def write_ilacs(path: Path, rows: list[list[str]]) -> Path:
    """A small file in Ofsted's ILACS format, with the published header."""
    with ILACS.open(newline="", encoding="utf-8-sig") as source:
        header = next(csv.reader(source))
    with path.open("w", newline="", encoding="utf-8") as file:
        csv.writer(file).writerows([header, *rows])
    return path


def ilacs_row(code: str, start: str, published: str, overall: str, areas: str = "") -> list[str]:
    grades = [overall, *[areas or overall] * 4]
    place = ["link", code, "A council", "Current", "London"]
    return [*place, start, published, "ILACS Standard Inspection", *grades]


def test_import_refuses_a_bad_row_by_line_number_and_stores_only_the_good_rows(
    database_url, tmp_path
):
    ok(database_url, "init")
    dates = ("2023-07-10", "2023-09-04")
    rows = [
        ilacs_row("E09000002", *dates, "Good"),
        ilacs_row("E09000003", *dates, "Excellent", "Good"),
        ilacs_row("E09000004", *dates, "Outstanding"),
    ]
    file = write_ilacs(tmp_path / "outcomes.csv", rows)
    result = run(database_url, "import", str(file))
    assert result.exit_code == 1
    assert "3 rows, 2 inspections created" in result.stdout
    assert "1 rows refused" in result.stdout
    assert result.stderr.splitlines() == [
        "  line 3: 'Excellent' is not a grade of the four-point scale "
        "(Outstanding, Good, Requires improvement to be good, Inadequate)"
    ]
    stored = {r["council"]: r["overall"] for r in as_json(database_url, "ratings")}
    assert stored == {"E09000002": "Good", "E09000004": "Outstanding"}


def test_import_of_a_missing_file_fails_with_one_error_line(database_url, tmp_path):
    result = run(database_url, "import", str(tmp_path / "missing.csv"))
    assert result.exit_code != 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "missing.csv" in errors[0] and "does not exist" in errors[0]
    assert "Traceback" not in result.output


def test_import_of_an_unrecognised_header_fails_with_one_error_line(database_url, tmp_path):
    file = tmp_path / "other.csv"
    file.write_text("colour,size\nred,large\n", encoding="utf-8")
    assert_one_line_error(run(database_url, "import", str(file)), "Unrecognised CSV header")


def test_import_of_a_field_over_the_csv_limit_fails_with_one_error_line(database_url, tmp_path):
    ok(database_url, "init")
    rows = [ilacs_row("E09000002", "2023-07-10", "2023-09-04", "Good")]
    rows.append(ilacs_row("E09000003", "2023-07-10", "2023-09-04", "x" * 200_000))
    file = write_ilacs(tmp_path / "huge.csv", rows)
    result = run(database_url, "import", str(file))
    assert_one_line_error(result, "line 3: field larger than field limit (131072)")
    assert as_json(database_url, "ratings") == []  # nothing of the file is stored


@pytest.mark.parametrize("name", ["Barnet", "BARNET", "barnet"])
def test_history_finds_a_council_by_ons_code_dfe_code_or_name_in_any_case(seeded, name):
    url, _ = seeded
    by_ons = ok(url, "history", "E09000003")
    assert by_ons.startswith("Barnet (E09000003) - London")
    assert ok(url, "history", COUNCILS["E09000003"]["old_la_code_dfe"]) == by_ons
    assert ok(url, "history", name) == by_ons


def test_history_shows_a_scheduled_inspection_as_scheduled_not_published(seeded):
    last = ok(seeded[0], "history", "E09000008").splitlines()[-1]
    assert last.endswith(
        "Focused visit (ilacs_2026), scheduled - theme: Children in need/subject to a plan"
    )
    barking = ok(seeded[0], "history", "E09000002")
    assert "Standard inspection (ilacs_2026), draft issued" in barking


def test_history_as_json_has_the_published_grades(seeded):
    found = as_json(seeded[0], "history", "E09000003")
    assert (found["council"], found["name"]) == ("E09000003", "Barnet")
    overall = {i["starts_on"]: i["judgments"].get(OVERALL) for i in found["inspections"]}
    published = [r for r in rows_of(ILACS) if r["Local authority area code"] == "E09000003"]
    assert published
    for row in published:
        assert overall[row["Inspection date"]] == row["Overall effectiveness"]


def test_history_of_an_unknown_council_is_one_error_line(seeded):
    result = run(seeded[0], "history", "Atlantis")
    assert_one_line_error(result, "No council is known by 'Atlantis'")


def test_ratings_list_every_current_council(seeded):
    rows = as_json(seeded[0], "ratings")
    assert len(rows) == 153
    assert {r["council"] for r in rows} == set(COUNCILS)


def test_ratings_in_a_region_are_only_that_regions_councils(seeded):
    rows = as_json(seeded[0], "ratings", "--region", "London")
    london = {code for code, r in COUNCILS.items() if r["region_name"] == "London"}
    assert {r["council"] for r in rows} == london
    assert len(london) == 33


def test_ratings_as_of_2019_cover_only_the_councils_inspected_by_then(seeded):
    rows = as_json(seeded[0], "ratings", "--as-of", "2019-01-01")
    assert 0 < len(rows) < 153
    assert all(r["published_on"] <= "2019-01-01" for r in rows)
    assert {r["council"] for r in rows} == set(latest_graded("2019-01-01"))


def test_ratings_of_one_grade_are_only_councils_with_that_overall_grade(seeded):
    rows = as_json(seeded[0], "ratings", "--grade", INADEQUATE)
    assert rows and {r["overall"] for r in rows} == {INADEQUATE}
    expected = {c for c, r in latest_graded().items() if r["Overall effectiveness"] == INADEQUATE}
    assert {r["council"] for r in rows} == expected


def test_stats_as_of_a_day_match_the_latest_published_grades(seeded):
    figures = as_json(seeded[0], "stats", "--as-of", "2025-03-31")
    latest = latest_graded("2025-03-31")
    overall = Counter(r["Overall effectiveness"] for r in latest.values())
    assert figures["as_of"] == "2025-03-31"
    assert figures["councils"] == figures["councils_rated"] == len(latest) == 153
    assert figures["overall"] == dict(overall)
    assert figures["share_inadequate"] == round(overall[INADEQUATE] / len(latest), 4)
    in_london = [r for c, r in latest.items() if COUNCILS[c]["region_name"] == "London"]
    london = Counter(r["Overall effectiveness"] for r in in_london)
    assert figures["by_region"]["London"] == dict(london)


@pytest.mark.parametrize(
    ("day", "councils"),
    [("2015-01-23", 152), ("2019-04-01", 151), ("2021-04-01", 152), ("2023-04-01", 153)],
)
def test_stats_as_of_a_day_count_the_councils_that_existed_on_it(seeded, day, councils):
    assert as_json(seeded[0], "stats", "--as-of", day)["councils"] == councils


def test_ratings_as_of_a_day_leave_out_councils_abolished_by_then(seeded):
    before = {r["council"] for r in as_json(seeded[0], "ratings", "--as-of", "2021-03-31")}
    after = {r["council"] for r in as_json(seeded[0], "ratings", "--as-of", "2021-04-01")}
    assert "E10000021" in before and "E10000021" not in after  # Northamptonshire


def test_schedule_plans_a_short_inspection_after_good_or_better_and_standard_otherwise(seeded):
    rows = as_json(seeded[0], "schedule")
    assert sorted(r["council"] for r in rows) == sorted(COUNCILS)
    latest = latest_graded()
    for r in rows:
        assert r["last_grade"] == latest[r["council"]]["Overall effectiveness"]
        expected = "short" if r["last_grade"] in ("Good", "Outstanding") else "standard"
        assert r["next_type"] == expected, r["council"]


def test_schedule_on_the_last_day_of_the_published_record_runs_from_the_visits_held(seeded):
    rows = {r["council"]: r for r in as_json(seeded[0], "schedule", "--on", "2025-03-31")}
    north_east_lincolnshire = rows["E06000012"]["monitoring_visits"]
    assert [v["held_on"] for v in north_east_lincolnshire] == ["2024-09-17", None]
    assert north_east_lincolnshire[-1]["due_on"] == "2024-12-17"
    overdue = as_json(seeded[0], "schedule", "--on", "2025-03-31", "--overdue")
    assert len(overdue) == 11  # of 153: see tests/integration/test_schedule_from_visits_held.py


def test_disputes_list_the_demo_challenge_and_say_so_when_a_council_has_none(seeded):
    [challenge] = as_json(seeded[0], "disputes")
    assert (challenge["council"], challenge["reference"], challenge["status"]) == (
        "E09000003",
        "children_in_care",
        "under review",
    )
    assert "lodged by barnet.officer" in ok(seeded[0], "disputes")
    assert ok(seeded[0], "disputes", "--council", "E09000007").strip() == "No challenges recorded."


def test_rebuilding_the_projections_leaves_them_at_the_head(seeded):
    url, _ = seeded
    head = head_of_log(url)
    assert f"Rebuilt every read model from {head} events" in ok(url, "projections", "rebuild")
    assert "lag 0" in ok(url, "projections", "status")
    assert all(r["lag"] == 0 for r in as_json(url, "projections", "status"))
    assert len(as_json(url, "ratings")) == 153


def test_rebuilding_an_unknown_projection_is_refused(seeded):
    result = run(seeded[0], "projections", "rebuild", "nonsense")
    assert result.exit_code != 0
    assert "'nonsense' is not one of" in result.stderr


def test_following_on_sqlite_says_it_needs_postgresql(tmp_path):
    url = f"sqlite:///{tmp_path / 'ledger.sqlite'}"
    result = run(url, "projections", "follow", "--seconds", "1")
    assert_one_line_error(result, "follow needs PostgreSQL")
