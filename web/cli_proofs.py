"""`ledger audit prove | check | consistency`: proofs of the Merkle log anyone can check."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

import click
from sqlalchemy import select

from adapters import verifiable_log
from adapters.checkpoint_history import CheckpointHistory
from adapters.hash_chain import ChainedApplicationRecorder
from adapters.log_keys import load_log_identity
from adapters.merkle_store import ProofRefused
from adapters.merkle_verify import verify_consistency
from adapters.proof_bundle import check_bundle
from adapters.signed_note import NoteError, Verifier, parse_verifier_key
from adapters.tlog_checkpoint import Checkpoint, open_checkpoint
from web.cli_witness import key_text

PATH = click.Path(dir_okay=False, path_type=Path)
EXISTING = click.Path(exists=True, dir_okay=False, path_type=Path)


def _index_of(recorder: ChainedApplicationRecorder, event: str) -> int:
    """Return the leaf index of an index, `AGGREGATE_ID:VERSION`, or an aggregate's newest event."""
    if event.isascii() and event.isdigit():
        return int(event)
    aggregate, _, version = event.partition(":")
    chain = recorder.chain
    query = select(chain.c.seq).where(chain.c.originator_id == aggregate.lower())
    if version:
        if not version.isdigit():
            raise click.ClickException(f"the event's version must be a number, not {version!r}")
        query = query.where(chain.c.originator_version == int(version))
    engine = recorder.datastore.engine
    assert engine is not None
    with engine.connect() as connection:
        seq = connection.execute(query.order_by(chain.c.seq.desc()).limit(1)).scalar()
    if seq is None:
        raise click.ClickException(f"no event {event} in the log")
    return int(seq) - 1


def _opened_checkpoint(path: Path, log: Verifier) -> Checkpoint:
    try:
        return open_checkpoint(path.read_text(), log)[0]
    except NoteError as error:
        raise click.ClickException(f"{path}: not a checkpoint signed by the log: {error}") from None


def register(audit: click.Group, opened: Callable[[], Any], errors: Callable[[Any], Any]) -> None:
    """Add the proof commands to the `ledger audit` group."""

    @audit.command()
    @click.argument("event")
    @click.option("--out", type=PATH, required=True, help="Write the proof bundle (JSON) here.")
    @errors
    def prove(event: str, out: Path) -> None:
        """Write a bundle proving EVENT (a leaf index, AGGREGATE_ID:VERSION, or an aggregate's
        newest event) is in the log's latest signed checkpoint; `audit check` checks it offline."""
        with opened() as services:
            recorder = cast(ChainedApplicationRecorder, services.ledger.recorder)
            index = _index_of(recorder, event)
            history = CheckpointHistory(recorder, load_log_identity(), lambda: datetime.now(UTC))
            try:
                bundle, size = history.bundle(index)
            except ProofRefused as refused:
                raise click.ClickException(str(refused)) from None
        out.write_text(bundle)
        click.echo(f"Proof of entry {index} in the checkpoint of {size} entries written to {out}")

    @audit.command()
    @click.argument("bundle", type=EXISTING)
    @click.option("--key", required=True, help="The log's verifier key (GET /api/v1/log/key).")
    @errors
    def check(bundle: Path, key: str) -> None:
        """Check a proof bundle offline, with no database: the checkpoint's signature by KEY,
        the entry's leaf hash, and its inclusion proof up to the checkpoint's root."""
        try:
            log = parse_verifier_key(key_text(key))
        except NoteError as error:
            raise click.ClickException(f"--key is not a verifier key: {error}") from None
        click.echo(check_bundle(bundle.read_text(), log).describe())

    @audit.command()
    @click.argument("old", type=EXISTING)
    @click.argument("new", type=EXISTING)
    @click.option("--key", help="The log's verifier key (default: this ledger's own).")
    @errors
    def consistency(old: Path, new: Path, key: str | None) -> None:
        """Check that the log of the NEW signed checkpoint only grew from the OLD one, with the
        consistency proof computed from the database."""
        log = parse_verifier_key(key_text(key)) if key else None
        log = log or parse_verifier_key(load_log_identity().verifier_key())
        before, after = _opened_checkpoint(old, log), _opened_checkpoint(new, log)
        if after.size < before.size:
            raise click.ClickException(
                f"the new checkpoint has {after.size} entries, fewer than the old {before.size}"
            )
        if before.size == after.size:
            holds = before.root_hash == after.root_hash
        elif before.size == 0:  # every log extends the empty one
            holds = True
        else:
            with opened() as services:
                recorder = cast(ChainedApplicationRecorder, services.ledger.recorder)
                try:
                    proof = verifiable_log.consistency(recorder, before.size, after.size)
                except ProofRefused as refused:
                    raise click.ClickException(str(refused)) from None
            holds = verify_consistency(
                before.size, after.size, before.root_hash, after.root_hash, proof
            )
        if not holds:
            raise click.ClickException(
                f"the checkpoint of {after.size} entries does not extend the one of "
                f"{before.size}: the log was rewritten"
            )
        click.echo(
            f"Consistent: the log of {after.size} entries extends the checkpoint of "
            f"{before.size} entries"
        )
