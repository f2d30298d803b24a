"""`ledger audit`: verify the hash chain, sign checkpoints, export and replay the log."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from adapters.audit import verify
from adapters.audit_export import export, read_export, replay
from adapters.checkpoint_history import CheckpointHistory
from adapters.checkpoints import check_signature, extends, generate_keys, make_checkpoint
from adapters.log_keys import load_log_identity
from web import cli_proofs

PATH = click.Path(dir_okay=False, path_type=Path)
EXISTING = click.Path(exists=True, dir_okay=False, path_type=Path)


def register(main: click.Group, opened: Callable[[], Any], errors: Callable[[Any], Any]) -> None:
    """Add the audit commands to the `ledger` group."""

    @main.group()
    def audit() -> None:
        """Prove the log is intact: verify, checkpoint, export, replay."""

    cli_proofs.register(audit, opened, errors)

    @audit.command("verify")
    @click.option("--against", type=EXISTING, help="A checkpoint the log must still extend.")
    @click.option("--public-key", type=EXISTING, help="Public key that signed the checkpoint.")
    @errors
    def verify_(against: Path | None, public_key: Path | None) -> None:
        """Re-read every event and its hash; name the first altered, deleted, inserted or moved."""
        checkpoint = json.loads(against.read_text()) if against else None
        if checkpoint is not None:
            if public_key is None:
                raise click.ClickException("--against needs --public-key to check the signature")
            check_signature(checkpoint, public_key.read_bytes())
        with opened() as services:
            recorder = services.ledger.recorder
            with click.progressbar(length=1, label="Verifying", file=sys.stderr) as bar:

                def progress(done: int, total: int) -> None:
                    bar.length = max(total, 1)
                    bar.update(done - bar.pos)

                result = verify(
                    recorder, progress, {int(checkpoint["seq"])} if checkpoint else set()
                )
        if result.problem:
            raise click.ClickException(result.problem.describe())
        if checkpoint is not None and (reason := extends(result, checkpoint)):
            raise click.ClickException(reason)
        click.echo(
            f"Verified {result.checked} events; head {result.head_hash} at chain position "
            f"{result.head_seq}"
            + (f"; extends the checkpoint of {checkpoint['taken_at']}" if checkpoint else "")
        )

    @audit.command()
    @click.option("--out", type=PATH, help="Also write the signed checkpoint to this file.")
    @click.option(
        "--json", "json_out", type=PATH, help="Also write the chain head's JSON checkpoint here."
    )
    @click.option(
        "--key", "key_path", type=EXISTING, help="Ed25519 signing key (PEM) of the --json one."
    )
    @errors
    def checkpoint(out: Path | None, json_out: Path | None, key_path: Path | None) -> None:
        """Verify the log, then sign its tree head with the log key (a C2SP checkpoint, kept in
        the checkpoint history) and print it; --json also signs the chain head for verify."""
        if (json_out is None) != (key_path is None):
            raise click.ClickException("--json and --key go together: the JSON one needs a key")
        with opened() as services:
            recorder = services.ledger.recorder
            result = verify(recorder)
            if result.problem:
                raise click.ClickException("not signing: " + result.problem.describe())
            history = CheckpointHistory(recorder, load_log_identity(), lambda: datetime.now(UTC))
            signed = history.served()
        if json_out and key_path:
            made = make_checkpoint(result, key_path.read_bytes())
            json_out.write_text(json.dumps(made, indent=2) + "\n")
            click.echo(
                f"JSON checkpoint of {result.checked} events written to {json_out}", err=True
            )
        if out:
            out.write_text(signed)
        click.echo(signed, nl=False)

    @audit.command()
    @click.option(
        "--dir",
        "directory",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("instance"),
        show_default=True,
    )
    @errors
    def keygen(directory: Path) -> None:
        """Make an Ed25519 key pair for signing checkpoints."""
        private, public = generate_keys(directory)
        click.echo(f"Signing key: {private} (keep it secret)\nPublic key: {public}")

    @audit.command("export")
    @click.option("--council", help="Only events of this council's records (ONS code).")
    @click.option(
        "--from", "date_from", type=click.DateTime(["%Y-%m-%d"]), help="Recorded on or after."
    )
    @click.option(
        "--to", "date_to", type=click.DateTime(["%Y-%m-%d"]), help="Recorded on or before."
    )
    @click.option("--out", type=PATH, help="Write here (default: standard output).")
    @errors
    def export_(
        council: str | None, date_from: datetime | None, date_to: datetime | None, out: Path | None
    ) -> None:
        """Write every event, in order, with its hashes, as JSON Lines."""
        with opened() as services:
            handle = out.open("w", encoding="utf-8") if out else sys.stdout
            try:
                count = export(
                    services.ledger.recorder,
                    handle,
                    council,
                    date_from.date() if date_from else None,
                    date_to.date() if date_to else None,
                )
            finally:
                if out:
                    handle.close()
        click.echo(f"Exported {count} events", err=True)

    @audit.command("replay")
    @click.argument("file", type=EXISTING)
    @errors
    def replay_(file: Path) -> None:
        """Rebuild an empty ledger (DATABASE_URL) from a complete export and check the head hash."""
        records = read_export(file.open(encoding="utf-8"))
        with opened() as services:
            head = replay(records, services.ledger.recorder)
            services.catch_up()
            result = verify(services.ledger.recorder)
        expected = records[-1]["event_hash"]
        if result.problem or head != expected:
            raise click.ClickException(
                f"replayed head {head} does not match the export's {expected}"
            )
        click.echo(f"Replayed {result.checked} events; head {head} matches the export")
