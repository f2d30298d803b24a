"""`ledger notify`: catch the notifier up with the log and deliver what is due."""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from threading import Event, Timer
from typing import Any

import click

from adapters.persistence import is_postgres
from projections.follower import follow
from projections.notifying import Notifier, Round
from web.bootstrap import Services, build_notifier


def report(found: Round) -> None:
    """Say what a round did; each notification given up on, on its own line (stderr)."""
    done = found.delivered
    off = f", {len(done.withheld)} turned off by their recipient" if done.withheld else ""
    click.echo(
        f"Notifications: {found.written} written from {found.read} events; "
        f"{len(done.sent)} sent, {len(done.retrying)} to retry, {len(done.failed)} failed{off}"
    )
    for notification, reason in done.failed:
        click.echo(
            f"Failed: {notification.kind} to {notification.recipient} "
            f"{notification.message_id}: {reason}",
            err=True,
        )


@contextmanager
def opened_notifier(services: Services) -> Iterator[Notifier]:
    notifier = build_notifier(services.read_models.url)
    try:
        yield notifier
    finally:
        notifier.close()


def register(
    main: click.Group,
    opened: Callable[[], Any],
    errors: Callable[[Callable[..., None]], Callable[..., None]],
) -> None:
    @main.command()
    @click.option("--once", is_flag=True, help="Catch up, deliver what is due, and exit.")
    @click.option(
        "--seconds", type=float, default=None, help="Stop after this long (default: never)."
    )
    @errors
    def notify(once: bool, seconds: float | None) -> None:
        """Tell people what needs them: write notifications from the log and send them by
        LEDGER_SMTP_URL (runs until stopped, unless --once; exit 1 if --once gave one up)."""
        with opened() as services, opened_notifier(services) as notifier:
            if once:
                notifier.catch_up(services.ledger)
                assert notifier.last is not None
                report(notifier.last)
                if notifier.last.delivered.failed:
                    raise click.ClickException("some notifications could not be sent")
                return
            stop = Event()
            signal.signal(signal.SIGTERM, lambda *_: stop.set())
            click.echo("Notifying; Ctrl-C to stop")
            if seconds is not None:
                _stop_after(stop, seconds)
            if is_postgres(notifier.url):
                follow(services.ledger, notifier, stop=stop)
            else:
                notifier.poll(services.ledger, stop)


def _stop_after(stop: Event, seconds: float) -> None:
    """Set `stop` after this many seconds."""
    timer = Timer(seconds, stop.set)
    timer.daemon = True
    timer.start()
