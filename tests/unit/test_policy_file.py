"""Deadlines are configurable in one place: a TOML file named by LEDGER_POLICY_FILE."""

from __future__ import annotations

from datetime import date

import pytest

from adapters.config import load_policy
from domain.policy import DEFAULT_POLICY


def test_no_policy_file_means_the_defaults():
    assert load_policy({}) is DEFAULT_POLICY


def test_a_policy_file_changes_the_periods_it_names_and_keeps_the_rest(tmp_path):
    path = tmp_path / "policy.toml"
    path.write_text(
        "factual_accuracy_working_days = 7\n"
        "notice_working_days = { focused_visit = 8 }\n"
        "[[challenge_eras]]\n"
        'name = "only era"\nstarts_on = 1900-01-01\nlodge_within_working_days = 4\n'
        'stages = ["formal_review", "adjudicator"]\nstage_response_working_days = 20\n'
        "withholds_publication = true\n"
    )
    policy = load_policy({"LEDGER_POLICY_FILE": str(path)})
    assert policy.factual_accuracy_working_days == 7
    assert policy.notice_working_days == {"focused_visit": 8, "jtai": 10, "area_send": 5}
    assert policy.action_plan_working_days == DEFAULT_POLICY.action_plan_working_days
    era = policy.challenge_era(date(2020, 1, 1))
    assert (era.name, era.lodge_within_working_days, era.withholds_publication) == (
        "only era",
        4,
        True,
    )


def test_an_unknown_setting_in_the_policy_file_is_refused(tmp_path):
    path = tmp_path / "policy.toml"
    path.write_text("factual_accuracy_days = 7\n")
    with pytest.raises(ValueError, match="Unknown policy settings: factual_accuracy_days"):
        load_policy({"LEDGER_POLICY_FILE": str(path)})
