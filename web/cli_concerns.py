"""CLI commands about concerns: erase one, and erase those kept past the retention period."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any
from uuid import UUID

import click

from adapters.config import load_concern_retention
from domain.actors import Actor

RETENTION = Actor("ledger-retention", "administrator", "LEDGER")


def _id(text: str) -> UUID:
    try:
        return UUID(text)
    except ValueError:
        raise click.ClickException(f"'{text}' is not a concern's id") from None


def register(main: click.Group, opened: Callable[[], Any], errors: Callable[[Any], Any]) -> None:
    """Add the `concerns` group to the `ledger` group."""

    @main.group()
    def concerns() -> None:
        """Concerns and whistleblowing: erasing their personal data."""

    @concerns.command("erase")
    @click.argument("concern_id")
    @click.option("--reason", required=True, help="Why the personal data is erased.")
    @errors
    def erase(concern_id: str, reason: str) -> None:
        """Destroy the data key of concern CONCERN_ID: its personal data becomes unreadable."""
        with opened() as services:
            services.ledger.erase_concern(RETENTION, _id(concern_id), reason)
        click.echo(f"Erased the personal data of concern {concern_id}")

    @concerns.command("erase-expired")
    @errors
    def erase_expired() -> None:
        """Erase every concern closed longer ago than LEDGER_CONCERN_RETENTION_DAYS."""
        days = load_concern_retention()
        with opened() as services:
            ledger = services.ledger
            before = ledger.today() - timedelta(days=days)
            due = ledger.concerns_closed_before(before)
            for concern_id in due:
                reason = f"Closed before {before.isoformat()}: kept {days} days after closing"
                ledger.erase_concern(RETENTION, concern_id, reason)
        click.echo(f"Erased {len(due)} concerns closed before {before.isoformat()}")
