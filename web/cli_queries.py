"""CLI commands over the read models: ratings, stats, schedule, disputes, projections."""

from __future__ import annotations

import json
import signal
from collections.abc import Callable
from datetime import UTC, date, datetime
from threading import Event
from typing import Any

import click

from projections.follower import follow
from projections.notifier_status import notifier_status
from projections.queries import ratings as rating_rows
from projections.rebuild import RebuildFailed
from projections.runner import PROJECTIONS, ProjectionStatus
from projections.schedule import schedule as schedule_rows
from projections.statistics import national_statistics
from projections.worklists import disputes as dispute_rows


def _echo_json(payload: Any) -> None:
    click.echo(json.dumps(payload, indent=2, default=_plain))


def _plain(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def _status_json(row: ProjectionStatus) -> dict[str, Any]:
    halt = row.halt
    return {
        "name": row.name,
        "position": row.position,
        "head": row.head,
        "lag": row.lag,
        "halted": None if halt is None else halt.details(),
    }


def register(main: click.Group, opened: Callable[[], Any], errors: Callable[[Any], Any]) -> None:
    """Add the read-model commands to the `ledger` group."""

    @main.command()
    @click.option(
        "--as-of", type=click.DateTime(["%Y-%m-%d"]), help="Ratings in effect on this day."
    )
    @click.option(
        "--known-at",
        type=click.DateTime(["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"]),
        help="As the ledger showed them at this recording time (UTC).",
    )
    @click.option("--region", help="Only councils in this region (e.g. London).")
    @click.option("--council-type", help="Only councils of this type (e.g. 'London Borough').")
    @click.option("--grade", help="Only councils with this headline grade.")
    @click.option("--framework", help="Only ratings made under this framework (e.g. ilacs_2023).")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @errors
    def ratings(
        as_of: datetime | None, known_at: datetime | None, as_json: bool, **filters: str
    ) -> None:
        """List every council's ratings: now, or in effect on a day, or as recorded at a time."""
        with opened() as services, services.read_models.engine.connect() as conn:
            services.catch_up()
            day = as_of.date() if as_of else None
            policy = services.ledger.policy
            rows = rating_rows(conn, day, known_at, **filters, policy=policy)
        if as_json:
            _echo_json([r.as_dict() for r in rows])
            return
        for r in rows:
            click.echo(
                f"{r.name:<40} {r.headline or '(no single headline grade)':<34} "
                f"{r.framework:<11} {r.inspection_type:<9} published {r.published_on}"
            )
        click.echo(f"{len(rows)} councils")

    @main.command()
    @click.option("--as-of", type=click.DateTime(["%Y-%m-%d"]), help="Statistics as of this day.")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @errors
    def stats(as_of: datetime | None, as_json: bool) -> None:
        """Show national statistics: councils by grade, region, type, framework; movements."""
        with opened() as services, services.read_models.engine.connect() as conn:
            services.catch_up()
            day = as_of.date() if as_of else services.ledger.today()
            figures = national_statistics(conn, day, services.ledger.policy)
        if as_json:
            _echo_json(figures)
            return
        click.echo(
            f"As of {figures['as_of']}: {figures['councils_rated']} of {figures['councils']} "
            f"councils rated; {figures['share_inadequate']:.1%} Inadequate"
        )
        for grade, count in sorted(figures["headline"].items()):
            click.echo(f"  {grade:<34} {count}")
        click.echo(
            "Movements between successive inspections: "
            + ", ".join(f"{k} {v}" for k, v in figures["movements"].items())
        )

    @main.command()
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @click.option("--overdue", is_flag=True, help="Only councils with something overdue.")
    @click.option("--on", type=click.DateTime(["%Y-%m-%d"]), help="As it stood on this day.")
    @errors
    def schedule(as_json: bool, overdue: bool, on: datetime | None) -> None:
        """Show each council's next graded inspection, monitoring visits and anything overdue."""
        with opened() as services, services.read_models.engine.connect() as conn:
            services.catch_up()
            day = on.date() if on else services.ledger.today()
            rows = schedule_rows(conn, day, services.ledger.policy)
        rows = [r for r in rows if r["overdue"] or not overdue]
        if as_json:
            _echo_json(rows)
            return
        for r in rows:
            window = (
                f"{r['due_from']} to {r['due_by']}" if r["due_from"] else "no graded inspection yet"
            )
            flag = "  OVERDUE" if r["overdue"] else ""
            click.echo(f"{r['name']:<40} {r['next_type']:<9} {window}{flag}")

    @main.command()
    @click.option("--council", help="Only this council's challenges (ONS code).")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @errors
    def disputes(council: str | None, as_json: bool) -> None:
        """Show the audit trail of every disputed judgment."""
        with opened() as services, services.read_models.engine.connect() as conn:
            services.catch_up()
            rows = dispute_rows(conn, council)
        if as_json:
            _echo_json(rows)
            return
        if not rows:
            click.echo("No challenges recorded.")
        for r in rows:
            click.echo(
                f"{r['lodged_on']} {r['council']} {r['subject']} {r['reference']}: "
                f"{r['original_grade'] or '-'} -> {r['current_grade'] or '-'} "
                f"({r['status']}, {r['outcome'] or 'no outcome yet'})"
            )
            for step in r["steps"]:
                click.echo(f"    {step['on']} {step['step']} by {step['by']}")

    @main.group()
    def projections() -> None:
        """Build, rebuild, follow and resume the read models."""

    @projections.command()
    @click.argument("name", required=False, type=click.Choice(list(PROJECTIONS)))
    @errors
    def rebuild(name: str | None) -> None:
        """Rebuild NAME (or every read model) from the log beside the live tables, and swap it
        in once complete; the live read model answers meanwhile, and stays if it fails."""
        with opened() as services:
            head = services.ledger.recorder.max_notification_id() or 0
            with click.progressbar(length=head, label="Rebuilding") as bar:
                seen = 0

                def progress(read: int, _: int) -> None:
                    nonlocal seen
                    bar.update(read - seen)
                    seen = read

                try:
                    count = services.read_models.rebuild(
                        services.ledger, [name] if name else None, progress
                    )
                except RebuildFailed as error:
                    raise click.ClickException(str(error)) from None
        click.echo(f"Rebuilt {name or 'every read model'} from {count} events")

    @projections.command()
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @errors
    def status(as_json: bool) -> None:
        """Show each read model's position in the log, its lag, and any halt; then the
        notifier's, with its outbox by state (if a notifier ever ran here)."""
        with opened() as services:
            rows = services.read_models.status(services.ledger)
            head = services.ledger.recorder.max_notification_id() or 0
            now = datetime.now(UTC).replace(tzinfo=None)
            notifier = notifier_status(services.read_models.engine, head, now)
        if as_json:
            found = [_status_json(r) for r in rows]
            _echo_json(found + ([notifier.as_json()] if notifier else []))
            return
        for r in rows:
            click.echo(f"{r.name:<14} position {r.position:>9}  head {r.head:>9}  lag {r.lag}")
            for line in r.halt.lines() if r.halt else []:
                click.echo(line)
        for line in notifier.lines() if notifier else []:
            click.echo(line)

    @projections.command()
    @click.argument("name", required=False, type=click.Choice(list(PROJECTIONS)))
    @errors
    def resume(name: str | None) -> None:
        """Retry NAME (or every halted read model) from the event it stopped at, and catch it
        up; run it once the code that failed on that event is fixed."""
        with opened() as services:
            resumed = services.read_models.resume(services.ledger, [name] if name else None)
            halted = [h for n, h in services.read_models.halts().items() if n in resumed]
        for again in halted:
            click.echo(again.summary, err=True)
        if halted:
            raise click.ClickException("halted again; nothing more was applied to it")
        click.echo(f"Resumed {', '.join(resumed)}" if resumed else "No read model was halted")

    @projections.command("follow")
    @click.option(
        "--seconds", type=float, default=None, help="Stop after this long (default: never)."
    )
    @errors
    def follow_(seconds: float | None) -> None:
        """Keep every read model current through PostgreSQL's LISTEN/NOTIFY (runs until stopped)."""
        with opened() as services:
            if not services.read_models.url.startswith("postgresql"):
                raise click.ClickException(
                    "follow needs PostgreSQL; on SQLite read models catch up in-process"
                )
            for name in services.read_models.resume(services.ledger):  # fixed, perhaps: retry
                click.echo(f"Retried the halted {name} read model")
            click.echo("Following the ledger; Ctrl-C to stop")
            stop = Event()
            signal.signal(signal.SIGTERM, lambda *_: stop.set())
            follow(services.ledger, services.read_models, stop=stop, timeout=seconds)
