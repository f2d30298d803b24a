"""`ledger audit prove | check | consistency`: a bundle checked offline; the log only grew."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import pytest
from click.testing import CliRunner

from adapters.log_keys import DEFAULT_LOG_ORIGIN
from adapters.signed_note import generate_key
from tests.scenarios import BARKING, INSPECTOR, tell_story
from web.cli import main


@pytest.fixture
def keys():
    return generate_key(DEFAULT_LOG_ORIGIN)


@pytest.fixture
def told(ledger, clock, database_url):
    story = tell_story(ledger, clock)
    return database_url, story


def run(url: str | None, signer: str, *args: str):
    env = {"LEDGER_LOG_KEY": signer, "DATABASE_URL": url or "sqlite:////nonexistent/no.sqlite"}
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def test_a_bundle_proves_an_event_offline_and_tampering_is_caught(told, keys, tmp_path):
    (url, story), (signer, verifier) = told, keys
    bundle = tmp_path / "bundle.json"
    made = run(url, signer, "audit", "prove", str(story.revised), "--out", str(bundle))
    assert made.exit_code == 0, made.output
    # offline: no database at all, only the file and the key
    checked = run(None, "", "audit", "check", str(bundle), "--key", verifier)
    assert checked.exit_code == 0, checked.output
    assert checked.output.startswith("Proved: entry ")
    assert str(story.revised) in checked.output and DEFAULT_LOG_ORIGIN in checked.output

    found = json.loads(bundle.read_text())
    entry = base64.b64decode(found["entry"])
    for altered in (
        {**found, "entry": base64.b64encode(entry.replace(b"\x1f", b"\x1f ", 1)).decode()},
        {**found, "index": found["index"] + 1},
        {**found, "checkpoint": found["checkpoint"].replace("\n", "\nx\n", 1)},
        {**found, "hashes": found["hashes"][:-1]},
        {"format": "other"},
    ):
        bundle.write_text(json.dumps(altered))
        result = run(None, "", "audit", "check", str(bundle), "--key", verifier)
        assert result.exit_code == 1
        assert result.output.count("\n") == 1, result.output
    other = generate_key(DEFAULT_LOG_ORIGIN)[1]
    bundle.write_text(json.dumps(found))
    assert run(None, "", "audit", "check", str(bundle), "--key", other).exit_code == 1


def test_prove_takes_a_leaf_index_and_refuses_an_unknown_event(told, keys, tmp_path):
    (url, _), (signer, _) = told, keys
    bundle = tmp_path / "bundle.json"
    assert run(url, signer, "audit", "prove", "0", "--out", str(bundle)).exit_code == 0
    assert json.loads(bundle.read_text())["index"] == 0
    for event in ("99999", "00000000-0000-0000-0000-000000000000", "abc:x"):
        result = run(url, signer, "audit", "prove", event, "--out", str(tmp_path / "no.json"))
        assert result.exit_code == 1 and result.output.count("\n") == 1, result.output
    assert not (tmp_path / "no.json").exists()


def test_consistency_links_an_old_checkpoint_to_a_new_one(told, keys, ledger, clock, tmp_path):
    (url, _), (signer, _) = told, keys
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    assert run(url, signer, "audit", "prove", "0", "--out", str(old)).exit_code == 0
    ledger.schedule_inspection(INSPECTOR, BARKING, "standard", clock() + timedelta(days=60))
    assert run(url, signer, "audit", "prove", "0", "--out", str(new)).exit_code == 0
    for path in (old, new):
        path.write_text(json.loads(path.read_text())["checkpoint"])
    result = run(url, signer, "audit", "consistency", str(old), str(new))
    assert result.exit_code == 0, result.output
    assert "Consistent" in result.output
    backwards = run(url, signer, "audit", "consistency", str(new), str(old))
    assert backwards.exit_code == 1
    forged = tmp_path / "forged.txt"
    forged.write_text(new.read_text().replace("\n", "\nx\n", 1))
    assert run(url, signer, "audit", "consistency", str(old), str(forged)).exit_code == 1
