"""A witness: remember each log's latest checkpoint, cosign only consistent growth, report forks."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from adapters.signed_note import Signature, Verifier
from adapters.tlog_checkpoint import Checkpoint, open_checkpoint
from adapters.tlog_cosignature import CosignatureSigner, cosign
from adapters.witness_proofs import verify_consistency

ProofFetcher = Callable[[int, int], Sequence[bytes]]
ConsistencyCheck = Callable[[int, int, bytes, bytes, Sequence[bytes]], bool]


class ForkDetected(Exception):
    """The log showed a checkpoint its earlier one cannot grow into: a split view or a rewrite."""

    def __init__(self, reason: str, seen: str, offered: str) -> None:
        super().__init__(f"FORK of the log: {reason}")
        self.reason, self.seen, self.offered = reason, seen, offered

    def evidence(self) -> str:
        """Return both signed checkpoints, for anyone to check the log's two signatures."""
        return (
            f"{self}\n\n# The checkpoint seen before\n{self.seen}\n"
            f"# The checkpoint offered now\n{self.offered}"
        )


@dataclass(frozen=True)
class WitnessState:
    """A JSON file of the latest signed checkpoint accepted from each log, by origin."""

    path: Path

    def last(self, origin: str) -> str | None:
        """Return the latest signed checkpoint accepted from the log, if any."""
        logs = self._read()
        return logs.get(origin)

    def keep(self, origin: str, signed: str) -> None:
        """Record the log's latest signed checkpoint (written whole, then renamed into place)."""
        logs = self._read()
        logs[origin] = signed
        partial = self.path.with_name(self.path.name + ".partial")
        partial.write_text(json.dumps({"logs": logs}, indent=2, sort_keys=True) + "\n")
        os.replace(partial, self.path)

    def _read(self) -> dict[str, str]:
        if not self.path.exists():
            return {}
        try:
            logs = json.loads(self.path.read_text())["logs"]
        except (ValueError, KeyError, TypeError):
            raise ValueError(f"{self.path} is not a witness state file") from None
        if not isinstance(logs, dict) or not all(isinstance(v, str) for v in logs.values()):
            raise ValueError(f"{self.path} is not a witness state file")
        return logs


def witness(
    signed: str,
    log: Verifier,
    state: WitnessState,
    fetch_proof: ProofFetcher,
    cosigner: CosignatureSigner,
    now: int,
    consistent: ConsistencyCheck = verify_consistency,
) -> Signature:
    """Verify the log's checkpoint and its consistency with the last one seen; cosign and keep it.

    Raise NoteError for a checkpoint the log's key did not sign, ForkDetected for one that does
    not extend the last seen (a rollback, another root at the same size, a failed proof).
    """
    checkpoint, note = open_checkpoint(signed, log)
    seen = state.last(checkpoint.origin)
    if seen is not None:
        before, _ = open_checkpoint(seen, log)
        check_extends(before, checkpoint, fetch_proof, consistent, seen, signed)
    state.keep(checkpoint.origin, signed)
    return cosign(note.text, cosigner, now)


def check_extends(
    before: Checkpoint,
    after: Checkpoint,
    fetch_proof: ProofFetcher,
    consistent: ConsistencyCheck,
    seen: str,
    offered: str,
) -> None:
    """Refuse, as a fork, a checkpoint that is not an append-only growth of `before`."""
    if after.size < before.size:
        raise ForkDetected(
            f"the log went back from {before.size} to {after.size} entries", seen, offered
        )
    if after.size == before.size:
        if after.root_hash != before.root_hash:
            raise ForkDetected(
                f"two different roots for the same {after.size} entries", seen, offered
            )
        return
    if before.size == 0:
        return
    proof = fetch_proof(before.size, after.size)
    if not consistent(before.size, after.size, before.root_hash, after.root_hash, proof):
        raise ForkDetected(
            f"the tree of {after.size} entries does not extend the one of {before.size}: "
            "the consistency proof fails",
            seen,
            offered,
        )
