"""`ledger witness`: cosign a ledger's checkpoint after checking it extends the last one seen."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from adapters.signed_note import parse_verifier_key
from adapters.tlog_cosignature import generate_cosigner_key, parse_cosigner_key
from adapters.witness import ForkDetected, WitnessState, witness
from adapters.witness_client import fetch_checkpoint, fetch_consistency

FORK_EXIT_CODE = 3


class Fork(click.ClickException):
    """A fork: one line on stderr, exit code 3 (other refusals exit 1)."""

    exit_code = FORK_EXIT_CODE


def key_text(value: str) -> str:
    """Return a key given as a string, or read from the file it names."""
    return value if "+" in value and not Path(value).exists() else Path(value).read_text()


def register(main: click.Group, opened: Callable[[], Any], errors: Callable[[Any], Any]) -> None:
    """Add the witness commands to the `ledger` group."""

    @main.group("witness", invoke_without_command=True)
    @click.option("--log-url", help="The ledger's address, e.g. https://ledger.example.")
    @click.option(
        "--key",
        "key_file",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="File holding the witness's signer key (from `ledger witness keygen`).",
    )
    @click.option("--log-key", help="The log's verifier key, or a file holding it.")
    @click.option(
        "--state",
        type=click.Path(dir_okay=False, path_type=Path),
        help="The witness's state file: the last checkpoint seen of each log.",
    )
    @click.pass_context
    @errors
    def witness_(
        context: click.Context,
        log_url: str | None,
        key_file: Path | None,
        log_key: str | None,
        state: Path | None,
    ) -> None:
        """Fetch the log's checkpoint, check it extends the last one seen, print a cosignature.

        Exits 3 with one line if the log forked (the evidence is written beside the state file).
        """
        if context.invoked_subcommand:
            return
        needed = {"--log-url": log_url, "--key": key_file, "--log-key": log_key, "--state": state}
        if missing := [name for name, value in needed.items() if not value]:
            raise click.UsageError(f"missing {', '.join(missing)}")
        assert log_url and key_file and log_key and state
        log = parse_verifier_key(key_text(log_key))
        cosigner = parse_cosigner_key(key_file.read_text())
        signed = fetch_checkpoint(log_url)
        try:
            line = witness(
                signed,
                log,
                WitnessState(state),
                lambda old, new: fetch_consistency(log_url, old, new),
                cosigner,
                int(time.time()),
            )
        except ForkDetected as fork:
            evidence = state.with_name(f"{state.name}.fork-{int(time.time())}.txt")
            evidence.write_text(fork.evidence())
            raise Fork(f"{fork}; both checkpoints are in {evidence}") from None
        click.echo(line.line(), nl=False)

    @witness_.command()
    @click.argument("name")
    @errors
    def keygen(name: str) -> None:
        """Print a new witness signer key (keep it secret) and its verifier key, type 0x04."""
        signer_key, verifier_key = generate_cosigner_key(name)
        click.echo(f"{signer_key}\n{verifier_key}")
