"""The `ledger` command: serve, init, seed-demo, import, history."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, ParamSpec, TypeVar

import click

from domain.actors import Actor
from domain.errors import LedgerError
from web.bootstrap import Services, build_services
from web.history import council_history, find_council, format_history

if TYPE_CHECKING:
    from adapters.tokens import TokenStore

P = ParamSpec("P")
R = TypeVar("R")
IMPORTER = Actor("importer", "administrator", "LEDGER")


def one_line_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn a refusal into one line on stderr and a non-zero exit."""

    @wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except LedgerError as error:
            raise click.ClickException(error.message) from None
        except (OSError, ValueError) as error:
            raise click.ClickException(str(error)) from None

    return run


@contextmanager
def opened_services() -> Iterator[Services]:
    services = build_services()
    try:
        yield services
    finally:
        services.close()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Inspection Ledger: an append-only record of inspections of children's services.

    The database is a SQLite file in ./instance unless DATABASE_URL names another
    (an SQLAlchemy URL, e.g. postgresql://postgres@127.0.0.1:5432/ledger).
    """


@main.command()
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder holding councils.csv and former_councils.csv (default: the repository's data/).",
)
@one_line_errors
def init(data_dir: Path | None) -> None:
    """Create the tables and register the councils (safe to run again)."""
    from adapters.reference_data import load_reference_data

    with opened_services() as services, services.projections_paused():
        index = load_reference_data(services.ledger, IMPORTER, data_dir)
    click.echo(f"{len(index)} councils registered (current and former)")


@main.command("seed-demo")
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder holding the reference data and Ofsted's published files.",
)
@one_line_errors
def seed_demo(data_dir: Path | None) -> None:
    """Load councils, demonstration accounts and the published history (safe to run again)."""
    from web.demo import seed

    with opened_services() as services, services.projections_paused():
        for line in seed(services.ledger, data_dir):
            click.echo(line)


@main.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@one_line_errors
def import_(file: Path) -> None:
    """Import published outcomes from FILE; the format is recognised from its header.

    Ofsted's ILACS outcomes, Ofsted's inspections-and-visits file and the generic
    one-row-per-judgment CSV (docs/import-formats.md) are understood. Rejected rows are
    listed with their line numbers; nothing of a rejected row is stored.
    """
    from adapters.csv_formats import count_rows
    from adapters.importers import import_csv

    rows = count_rows(file)
    with (
        opened_services() as services,
        services.projections_paused(),
        click.progressbar(length=rows, label=f"Importing {file.name}") as bar,
    ):
        done = 0

        def progress(count: int) -> None:
            nonlocal done
            bar.update(count - done)
            done = count

        report = import_csv(services.ledger, file, IMPORTER, progress=progress)
    click.echo(report.summary())
    for line, reason in report.rejected:
        click.echo(f"  line {line}: {reason}", err=True)
    if report.rejected:
        sys.exit(1)


@main.command()
@click.argument("council")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@one_line_errors
def history(council: str, as_json: bool) -> None:
    """Show a council's judgments over time; COUNCIL is a code (ONS or DfE) or a name."""
    with opened_services() as services:
        found = find_council(services.ledger, council)
        rows = council_history(services.ledger, found.code)
    if as_json:
        click.echo(
            json.dumps(
                {"council": found.code, "name": found.name, "inspections": rows},
                indent=2,
                default=str,
            )
        )
    else:
        click.echo(format_history(found, rows))


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option(
    "--workers",
    type=int,
    default=None,
    help="Serve with gunicorn and this many worker processes (production).",
)
@one_line_errors
def serve(host: str, port: int, workers: int | None) -> None:
    """Serve the web front end and the API on HOST:PORT."""
    if workers:
        from web.server import serve_with_gunicorn

        click.echo(f"Inspection Ledger on http://{host}:{port}/ with {workers} gunicorn workers")
        serve_with_gunicorn(host, port, workers)
        return
    from web import create_app

    app = create_app()
    click.echo(
        f"Inspection Ledger on http://{host}:{port}/ (database: {app.config['DATABASE_URL']})"
    )
    app.run(host=host, port=port, debug=False, use_reloader=False)


@main.group()
def tokens() -> None:
    """Issue, list and revoke API tokens (stored only as hashes)."""


@contextmanager
def opened_tokens() -> Iterator[TokenStore]:
    from adapters.persistence import database_url
    from adapters.tokens import TokenStore
    from web.bootstrap import build_identity

    identity = build_identity()
    store = TokenStore(database_url(), identity)
    try:
        yield store
    finally:
        store.close()
        identity.close()


@tokens.command("create")
@click.argument("username")
@click.option("--label", default="", help="What the token is for, e.g. the agency's case system.")
@one_line_errors
def tokens_create(username: str, label: str) -> None:
    """Issue a token for USERNAME's account and print it once (it cannot be shown again)."""
    with opened_tokens() as store:
        record, token = store.create(username, label)
    click.echo(f"Token {record.id} for {username} ({record.organisation}); keep it secret:")
    click.echo(token)


@tokens.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@one_line_errors
def tokens_list(as_json: bool) -> None:
    """List every token: id, account, organisation, when issued and revoked (never the token)."""
    with opened_tokens() as store:
        records = store.all()
    if as_json:
        click.echo(json.dumps([asdict(r) for r in records], indent=2, default=str))
        return
    for r in records:
        state = f"revoked {r.revoked_at:%Y-%m-%d %H:%M}" if r.revoked_at else "live"
        click.echo(f"{r.id}  {r.username:<24} {r.organisation:<12} {state}  {r.label}")
    if not records:
        click.echo("No tokens issued.")


@tokens.command("revoke")
@click.argument("token_id")
@one_line_errors
def tokens_revoke(token_id: str) -> None:
    """Revoke the token with TOKEN_ID; requests with it are refused from now on."""
    with opened_tokens() as store:
        record = store.revoke(token_id)
    click.echo(f"Revoked token {record.id} of {record.username}")


from web import (  # noqa: E402  (they register on `main`)
    cli_accounts,
    cli_audit,
    cli_concerns,
    cli_notify,
    cli_queries,
    cli_settings,
    cli_witness,
)

cli_queries.register(main, opened_services, one_line_errors)
cli_audit.register(main, opened_services, one_line_errors)
cli_accounts.register(main, opened_services, one_line_errors)
cli_settings.register(main, opened_services, one_line_errors)
cli_concerns.register(main, opened_services, one_line_errors)
cli_notify.register(main, opened_services, one_line_errors)
cli_witness.register(main, opened_services, one_line_errors)


if __name__ == "__main__":
    main()
