"""The witness cosigns a log that only grows, and reports a fork with both checkpoints."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from adapters.signed_note import (
    NoteError,
    generate_key,
    open_note,
    parse_signer_key,
    parse_verifier_key,
)
from adapters.tlog_checkpoint import Checkpoint, sign_checkpoint
from adapters.tlog_cosignature import (
    cosignature_time,
    generate_cosigner_key,
    parse_cosigner_key,
    parse_cosigner_verifier_key,
)
from adapters.witness import ForkDetected, WitnessState, witness
from tests.merkle_reference import consistency, entries, root

ORIGIN = "ledger.example/log"
NOW = 1_764_676_000
LOG_SKEY, LOG_VKEY = generate_key(ORIGIN)
W_SKEY, W_VKEY = generate_cosigner_key("witness.example/w1")


class Log:
    """A log in the test: signs checkpoints of its leaves and answers proof requests."""

    def __init__(self, leaves: list[bytes], skey: str = LOG_SKEY) -> None:
        self.leaves, self.signer, self.asked = leaves, parse_signer_key(skey), []

    def checkpoint(self, size: int | None = None) -> str:
        size = len(self.leaves) if size is None else size
        return sign_checkpoint(Checkpoint(ORIGIN, size, root(self.leaves[:size])), self.signer)

    def proof(self, old: int, new: int) -> Sequence[bytes]:
        self.asked.append((old, new))
        return consistency(self.leaves[:new], old)


def see(log: Log, state: WitnessState, signed: str | None = None, now: int = NOW) -> str:
    line = witness(
        signed or log.checkpoint(),
        parse_verifier_key(LOG_VKEY),
        state,
        log.proof,
        parse_cosigner_key(W_SKEY),
        now,
    )
    return line.line()


@pytest.fixture
def state(tmp_path: Path) -> WitnessState:
    return WitnessState(tmp_path / "witness.json")


def test_the_first_checkpoint_is_cosigned_and_kept(state: WitnessState) -> None:
    log = Log(entries(5))
    signed = log.checkpoint()
    line = see(log, state)
    cosigned = signed + line
    note = open_note(cosigned, [parse_verifier_key(LOG_VKEY), parse_cosigner_verifier_key(W_VKEY)])
    assert [s.name for s in note.signatures] == [ORIGIN, "witness.example/w1"]
    assert cosignature_time(note.signatures[1]) == NOW
    assert state.last(ORIGIN) == signed
    assert log.asked == []


def test_a_grown_log_is_cosigned_after_its_consistency_proof_verifies(state: WitnessState) -> None:
    log = Log(entries(13))
    see(log, state, log.checkpoint(5))
    see(log, state, log.checkpoint(13), NOW + 60)
    assert log.asked == [(5, 13)]
    assert state.last(ORIGIN) == log.checkpoint(13)


def test_the_same_checkpoint_again_is_cosigned_anew_without_a_proof(state: WitnessState) -> None:
    log = Log(entries(4))
    see(log, state)
    assert see(log, state, now=NOW + 5) != see(log, state, now=NOW + 6)
    assert log.asked == []


def test_a_rewritten_history_is_a_fork_and_is_not_kept(state: WitnessState) -> None:
    honest = Log(entries(8))
    see(honest, state, honest.checkpoint(5))
    rewritten = Log([*entries(3), b"altered", *entries(8)[4:]])
    with pytest.raises(ForkDetected, match="consistency proof fails") as fork:
        see(rewritten, state)
    assert fork.value.seen == honest.checkpoint(5)
    assert fork.value.offered == rewritten.checkpoint()
    assert state.last(ORIGIN) == honest.checkpoint(5)
    assert honest.checkpoint(5) in fork.value.evidence()
    assert rewritten.checkpoint() in fork.value.evidence()


def test_another_root_at_the_same_size_is_a_fork(state: WitnessState) -> None:
    see(Log(entries(6)), state)
    with pytest.raises(ForkDetected, match="two different roots for the same 6 entries"):
        see(Log(entries(6, "other")), state)


def test_a_smaller_tree_is_a_fork(state: WitnessState) -> None:
    log = Log(entries(9))
    see(log, state)
    with pytest.raises(ForkDetected, match="went back from 9 to 4"):
        see(log, state, log.checkpoint(4))
    assert state.last(ORIGIN) == log.checkpoint(9)


def test_a_log_that_lies_in_its_proof_is_a_fork(state: WitnessState) -> None:
    log = Log(entries(10))
    see(log, state, log.checkpoint(3))

    def lying(old: int, new: int) -> Sequence[bytes]:
        return [bytes(32)] * 4

    with pytest.raises(ForkDetected):
        witness(
            log.checkpoint(),
            parse_verifier_key(LOG_VKEY),
            state,
            lying,
            parse_cosigner_key(W_SKEY),
            NOW,
        )


def test_a_checkpoint_signed_by_another_key_is_refused_and_not_kept(state: WitnessState) -> None:
    impostor_skey, _ = generate_key(ORIGIN)
    with pytest.raises(NoteError):
        see(Log(entries(3), impostor_skey), state)
    assert state.last(ORIGIN) is None


def test_the_state_file_keeps_logs_apart_and_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "witness.json"
    log = Log(entries(3))
    see(log, WitnessState(path))
    WitnessState(path).keep("another.example/log", "text\n")
    assert WitnessState(path).last(ORIGIN) == log.checkpoint()
    assert set(json.loads(path.read_text())["logs"]) == {ORIGIN, "another.example/log"}


def test_a_corrupt_state_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "witness.json").write_text('{"logs": [1]}')
    with pytest.raises(ValueError, match="not a witness state file"):
        WitnessState(tmp_path / "witness.json").last(ORIGIN)
