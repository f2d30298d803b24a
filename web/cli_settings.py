"""CLI commands about regulated settings: list, show, register."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import click

from domain.actors import Actor
from domain.grades import FOUR_POINT
from domain.setting import SETTING_TYPES, SettingDetails
from projections.setting_queries import NOT_RATED, setting_history, setting_row, setting_rows

ADMINISTRATOR = Actor("ledger-cli", "administrator", "LEDGER")


def _echo_json(payload: Any) -> None:
    click.echo(json.dumps(payload, indent=2, default=str))


def _line(row: dict[str, Any]) -> str:
    provider = row["provider"] or row["provider_council"]
    demo = " [demonstration data]" if row["demonstration"] else ""
    return (
        f"{row['urn']}  {row['name']} - {SETTING_TYPES.get(row['type'], row['type'])}, "
        f"{row['council_name'] or row['council']}, run by {provider}: "
        f"{row['grade'] or NOT_RATED}{demo}"
    )


def register(main: click.Group, opened: Callable[[], Any], errors: Callable[[Any], Any]) -> None:
    """Add the `settings` group to the `ledger` group."""

    @main.group()
    def settings() -> None:
        """Regulated settings (children's homes, schools, agencies) and their ratings."""

    @settings.command("list")
    @click.option("--type", "type_", type=click.Choice(list(SETTING_TYPES)), help="Only this type.")
    @click.option(
        "--grade", type=click.Choice([*FOUR_POINT.grades, NOT_RATED]), help="Only this grade."
    )
    @click.option("--council", help="Only those in this council's area or run by it (ONS code).")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @errors
    def settings_list(
        type_: str | None, grade: str | None, council: str | None, as_json: bool
    ) -> None:
        """List the settings and the grade that stands for each."""
        with opened() as services, services.read_models.engine.connect() as conn:
            services.catch_up()
            rows = setting_rows(conn, type_, grade, council)
        if as_json:
            _echo_json(rows)
            return
        click.echo("\n".join(map(_line, rows)) or "No settings match.")

    @settings.command("show")
    @click.argument("urn")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @errors
    def settings_show(urn: str, as_json: bool) -> None:
        """Show a setting, its rating and its published inspections, newest first."""
        with opened() as services, services.read_models.engine.connect() as conn:
            services.catch_up()
            services.ledger.setting(urn)  # an unknown URN: one line, exit 1
            row = setting_row(conn, urn) or {}
            history = setting_history(conn, urn)
        if as_json:
            _echo_json(row | {"history": history})
            return
        click.echo(_line(row))
        for h in history:
            click.echo(
                f"{h['starts_on']}  {h['type']} ({h['framework']}), published "
                f"{h['published_on']}: {h['grade'] or ''}"
            )
        if not history:
            click.echo("No inspection published.")

    @settings.command("register")
    @click.argument("urn")
    @click.option("--name", required=True, help="The setting's name.")
    @click.option("--type", "type_", required=True, type=click.Choice(list(SETTING_TYPES)))
    @click.option("--council", required=True, help="The council whose area it is in (ONS code).")
    @click.option("--provider-council", default="", help="The council that runs it.")
    @click.option("--provider", default="", help="Or the private provider that runs it.")
    @errors
    def settings_register(
        urn: str, name: str, type_: str, council: str, provider_council: str, provider: str
    ) -> None:
        """Register a setting (as an administrator); safe to repeat."""
        with opened() as services:
            _, created = services.ledger.register_setting(
                ADMINISTRATOR, urn, SettingDetails(name, type_, council, provider_council, provider)
            )
            services.catch_up()
        click.echo(f"{'Registered' if created else 'Already registered'} {urn}")
