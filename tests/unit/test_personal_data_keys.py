"""Envelope encryption of personal data (adapters/personal_data.py) on a SQLite file."""

from __future__ import annotations

import base64

import pytest
from cryptography.exceptions import InvalidTag

from adapters.personal_data import KeyVault, master_key
from domain.personal_data import ERASED, key_of

KEY = base64.b64encode(bytes(range(32))).decode()


@pytest.fixture
def vault(tmp_path):
    made = KeyVault(f"sqlite:///{tmp_path / 'keys.sqlite'}", master_key({"LEDGER_MASTER_KEY": KEY}))
    yield made
    made.close()


def test_a_value_is_sealed_under_its_persons_key_and_opened_again(vault):
    person = vault.new_person()
    sealed = vault.seal(person, "Jane Smith")
    assert sealed.startswith(f"enc:v1:{person}:") and "Jane" not in sealed
    assert key_of(sealed) == person and vault.open(sealed) == "Jane Smith"


def test_the_same_value_seals_differently_each_time(vault):
    person = vault.new_person()
    assert vault.seal(person, "x") != vault.seal(person, "x")


def test_destroying_the_key_leaves_every_value_sealed_under_it_unreadable(vault):
    person, other = vault.new_person(), vault.new_person()
    sealed, kept = vault.seal(person, "Jane"), vault.seal(other, "John")
    assert vault.destroy(person) and not vault.destroy(person)
    assert (vault.open(sealed), vault.open(kept)) == (ERASED, "John")
    with pytest.raises(LookupError):
        vault.seal(person, "more")


def test_a_value_moved_to_another_persons_key_id_does_not_open(vault):
    person, other = vault.new_person(), vault.new_person()
    forged = vault.seal(person, "Jane").replace(person, other)
    with pytest.raises(InvalidTag):
        vault.open(forged)


def test_keys_wrapped_by_another_master_key_are_refused(vault, tmp_path):
    sealed = vault.seal(vault.new_person(), "Jane")
    other = base64.b64encode(bytes(32)).decode()
    stranger = KeyVault(str(vault.engine.url), master_key({"LEDGER_MASTER_KEY": other}))
    with pytest.raises(ValueError, match="master key"):
        stranger.open(sealed)
    stranger.close()


@pytest.mark.parametrize("value", ["not base64!", base64.b64encode(b"short").decode()])
def test_a_master_key_that_is_not_32_bytes_of_base64_is_refused_at_start(value):
    with pytest.raises(ValueError, match="LEDGER_MASTER_KEY"):
        master_key({"LEDGER_MASTER_KEY": value})


def test_without_configuration_a_master_key_is_made_once_in_the_instance_folder(tmp_path):
    first = master_key({}, tmp_path)
    assert len(first) == 32 and master_key({}, tmp_path) == first
    assert (tmp_path / "master_key").stat().st_mode & 0o777 == 0o600
