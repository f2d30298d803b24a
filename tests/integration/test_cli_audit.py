"""`ledger audit` from the command line: verify, keygen, checkpoint, export, replay."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text

from adapters.checkpoint_history import CheckpointHistory
from adapters.log_keys import DEFAULT_LOG_ORIGIN, load_log_identity
from adapters.signed_note import generate_key, parse_verifier_key
from adapters.tlog_checkpoint import open_checkpoint
from tests.scenarios import tell_story
from web.cli import main


@pytest.fixture
def told(ledger, clock, database_url):
    tell_story(ledger, clock)
    return database_url


SIGNER, VERIFIER = generate_key(DEFAULT_LOG_ORIGIN)


def run(url: str, *args: str):
    env = {"DATABASE_URL": url, "LEDGER_LOG_KEY": SIGNER}
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def test_verify_prints_the_count_and_head_of_a_clean_log(told, ledger):
    result = run(told, "audit", "verify")
    assert result.exit_code == 0
    assert (
        f"Verified {len(ledger.recorder.select_notifications(0, 10_000))} events; head "
        in result.output
    )


def test_verify_exits_non_zero_and_names_an_altered_event(told):
    engine = create_engine(told)
    with engine.begin() as conn:
        conn.execute(text("UPDATE ledger_events SET topic = topic || ' ' WHERE id = 7"))
    engine.dispose()
    result = run(told, "audit", "verify")
    assert result.exit_code == 1
    assert "Error: altered: chain position 7, event row 7" in result.output


def test_a_signed_checkpoint_is_verified_against(told, tmp_path):
    assert run(told, "audit", "keygen", "--dir", str(tmp_path)).exit_code == 0
    checkpoint = tmp_path / "checkpoint.json"
    made = run(
        told,
        "audit",
        "checkpoint",
        "--key",
        str(tmp_path / "audit-signing-key.pem"),
        "--json",
        str(checkpoint),
    )
    assert made.exit_code == 0 and json.loads(checkpoint.read_text())["signature"]
    assert "\ninspection-ledger.example/log\n" in made.output
    checked = run(
        told,
        "audit",
        "verify",
        "--against",
        str(checkpoint),
        "--public-key",
        str(tmp_path / "audit-public-key.pem"),
    )
    assert checked.exit_code == 0 and "extends the checkpoint" in checked.output
    unsigned = run(told, "audit", "verify", "--against", str(checkpoint))
    assert unsigned.exit_code == 1 and "needs --public-key" in unsigned.output
    again = run(told, "audit", "keygen", "--dir", str(tmp_path))
    assert again.exit_code == 1 and "refusing to overwrite" in again.output


def test_export_and_replay_into_an_empty_database_match(told, tmp_path):
    exported = tmp_path / "log.jsonl"
    assert run(told, "audit", "export", "--out", str(exported)).exit_code == 0
    replayed = run(f"sqlite:///{tmp_path / 'fresh.sqlite'}", "audit", "replay", str(exported))
    assert replayed.exit_code == 0 and "matches the export" in replayed.output
    into_used = run(told, "audit", "replay", str(exported))
    assert into_used.exit_code == 1 and "needs an empty ledger" in into_used.output


def test_checkpoint_signs_keeps_and_prints_the_tree_head(told, ledger, tmp_path):
    signed = tmp_path / "checkpoint.txt"
    made = run(told, "audit", "checkpoint", "--out", str(signed))
    assert made.exit_code == 0 and made.output == signed.read_text()
    checkpoint, _ = open_checkpoint(made.output, parse_verifier_key(VERIFIER))
    identity = load_log_identity({"LEDGER_LOG_KEY": SIGNER})
    kept = CheckpointHistory(ledger.recorder, identity, lambda: None).history()  # type: ignore[arg-type, return-value]
    assert kept[-1].size == checkpoint.size > 0 and kept[-1].note == made.output
    lonely = run(told, "audit", "checkpoint", "--json", str(tmp_path / "c.json"))
    assert lonely.exit_code == 1 and "--json and --key go together" in lonely.output
