"""The log's origin and signing key come from LEDGER_LOG_ORIGIN and LEDGER_LOG_KEY, or instance/."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from adapters.log_keys import DEFAULT_LOG_ORIGIN, load_log_identity
from adapters.signed_note import generate_key, parse_verifier_key


def test_with_nothing_set_a_key_is_made_once_and_kept_private(tmp_path: Path) -> None:
    first = load_log_identity({}, tmp_path)
    again = load_log_identity({}, tmp_path)
    assert first.origin == DEFAULT_LOG_ORIGIN == first.signer.name
    assert again.signer == first.signer
    assert stat.S_IMODE((tmp_path / "log-signing-key").stat().st_mode) == 0o600
    assert parse_verifier_key(first.verifier_key()) == first.signer.verifier()


def test_a_key_string_in_the_environment_is_used(tmp_path: Path) -> None:
    skey, vkey = generate_key("ledger.example/log")
    found = load_log_identity(
        {"LEDGER_LOG_ORIGIN": "ledger.example/log", "LEDGER_LOG_KEY": skey}, tmp_path
    )
    assert found.verifier_key() == vkey
    assert not (tmp_path / "log-signing-key").exists()


def test_a_key_file_named_in_the_environment_is_read(tmp_path: Path) -> None:
    skey, vkey = generate_key("ledger.example/log")
    (tmp_path / "key").write_text(skey + "\n")
    environ = {"LEDGER_LOG_ORIGIN": "ledger.example/log", "LEDGER_LOG_KEY": str(tmp_path / "key")}
    assert load_log_identity(environ, tmp_path).verifier_key() == vkey


def test_a_key_named_for_another_origin_is_refused_at_start(tmp_path: Path) -> None:
    skey, _ = generate_key("other.example/log")
    with pytest.raises(ValueError, match="named 'other.example/log'"):
        load_log_identity({"LEDGER_LOG_KEY": skey}, tmp_path)


def test_a_kept_key_is_refused_when_the_origin_changes(tmp_path: Path) -> None:
    load_log_identity({}, tmp_path)
    with pytest.raises(ValueError, match="LEDGER_LOG_ORIGIN"):
        load_log_identity({"LEDGER_LOG_ORIGIN": "moved.example/log"}, tmp_path)


def test_a_bad_key_is_refused_without_echoing_it(tmp_path: Path) -> None:
    bad = "PRIVATE+KEY+ledger+00000000+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
    with pytest.raises(ValueError, match="LEDGER_LOG_KEY is not a signer key") as refused:
        load_log_identity({"LEDGER_LOG_KEY": bad}, tmp_path)
    assert "AYEKFAL" not in str(refused.value)


def test_a_missing_key_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="cannot be read"):
        load_log_identity({"LEDGER_LOG_KEY": str(tmp_path / "absent")}, tmp_path)


def test_an_origin_with_a_space_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="LEDGER_LOG_ORIGIN"):
        load_log_identity({"LEDGER_LOG_ORIGIN": "my log"}, tmp_path)


def test_the_identity_signs_checkpoints_its_verifier_key_opens(tmp_path: Path) -> None:
    from adapters.tlog_checkpoint import Checkpoint, open_checkpoint

    identity = load_log_identity({}, tmp_path)
    signed = identity.sign(3, bytes(range(32)))
    checkpoint, _ = open_checkpoint(signed, parse_verifier_key(identity.verifier_key()))
    assert checkpoint == Checkpoint(DEFAULT_LOG_ORIGIN, 3, bytes(range(32)))
