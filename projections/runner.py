"""Keep the read models current: catch up, resume, rebuild, status."""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Iterable
from contextlib import closing
from dataclasses import dataclass

from eventsourcing.persistence import InfrastructureFactory
from eventsourcing.utils import Environment
from sqlalchemy import Select, literal, select, union_all
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SAWarning

from adapters.persistence import ledger_env
from domain.services import Ledger
from projections import halts
from projections.action_plans import ActionPlansProjection, ActionPlansView
from projections.applying import apply_together
from projections.base import LedgerProjection
from projections.concerns import ConcernsProjection, ConcernsView
from projections.councils import CouncilsProjection, CouncilsView
from projections.disputes import DisputesProjection, DisputesView
from projections.halts import Halt
from projections.inspections import InspectionsProjection, InspectionsView
from projections.ratings import RatingsProjection, RatingsView
from projections.reading import batches
from projections.settings import SettingsProjection, SettingsView
from projections.views import APPLICATION_NAME, ReadModelView

PROJECTIONS: dict[str, tuple[type[LedgerProjection], type[ReadModelView]]] = {
    p.name: (p, v)
    for p, v in (
        (CouncilsProjection, CouncilsView),
        (InspectionsProjection, InspectionsView),
        (RatingsProjection, RatingsView),
        (DisputesProjection, DisputesView),
        (ActionPlansProjection, ActionPlansView),
        (SettingsProjection, SettingsView),
        (ConcernsProjection, ConcernsView),
    )
}
BATCH_SIZE = 1000
REBUILD_BATCH_SIZE = 10_000  # a rebuild owns its tables: fewer, larger transactions
Progress = Callable[[int, int], None]  # (events read so far, events to read)


@dataclass(frozen=True)
class ProjectionStatus:
    name: str
    position: int
    head: int
    halt: Halt | None = None

    @property
    def lag(self) -> int:
        return max(self.head - self.position, 0)


def construct_view(name: str, view_class: type[ReadModelView], url: str) -> ReadModelView:
    """Build a view exactly as eventsourcing's ProjectionRunner does, so both share tables."""
    factory = InfrastructureFactory.construct(env=Environment(name, ledger_env(url)))
    with warnings.catch_warnings():  # each view declares its own tracking record class
        warnings.filterwarnings("ignore", "This declarative base already contains", SAWarning)
        return factory.tracking_recorder(view_class)  # type: ignore[no-any-return]


def check_names(names: Iterable[str] | None) -> list[str]:
    """Return the named read models (all, if none), refusing a name that is none of them."""
    chosen = list(names or PROJECTIONS)
    unknown = [n for n in chosen if n not in PROJECTIONS]
    if unknown:
        raise ValueError(
            f"Unknown projection {', '.join(unknown)} (known: {', '.join(PROJECTIONS)})"
        )
    return chosen


class ReadModels:
    """Every projection of one database, with their views."""

    def __init__(self, url: str, projections: dict[str, LedgerProjection] | None = None) -> None:
        self.url = url
        self.projections: dict[str, LedgerProjection] = projections or {
            name: projection(view=construct_view(name, view, url))
            for name, (projection, view) in PROJECTIONS.items()
        }
        self._positions_queries: dict[tuple[str, ...], Select[tuple[str, int]]] = {}

    @property
    def engine(self) -> Engine:
        """An engine on the read models' database, for queries."""
        engine = next(iter(self.projections.values())).view.datastore.engine
        assert isinstance(engine, Engine)
        return engine

    def catch_up(
        self,
        ledger: Ledger,
        names: Iterable[str] | None = None,
        progress: Progress | None = None,
        batch_size: int | None = None,
        retry: bool = False,
    ) -> int:
        """Apply every event recorded since each projection's position; return events read.

        A halted read model is passed by (retried, if told to: its halt is cleared once it is
        past that event); one that halts now is left out of later batches.
        """
        stopped = self.halts()
        chosen = {n: self.projections[n] for n in self.names(names) if retry or n not in stopped}
        retried = [n for n in stopped if n in chosen]
        if not chosen:
            return 0
        try:
            return self._catch_up(ledger, chosen, progress, batch_size)
        finally:
            if retried:
                with self.engine.begin() as conn:
                    halts.clear_passed(conn, self.positions(retried))

    def _catch_up(
        self,
        ledger: Ledger,
        chosen: dict[str, LedgerProjection],
        progress: Progress | None,
        batch_size: int | None,
    ) -> int:
        batch_size = batch_size or configured_batch_size()
        positions = self.positions(chosen)
        topics = {t for p in chosen.values() for t in p.handled_topics}  # others: only tracked
        start, head = min(positions.values()), ledger.recorder.max_notification_id() or 0
        read = 0
        with closing(batches(ledger, start, head, batch_size, topics)) as found:
            for last, count, events in found:
                due = {n: p for n, p in chosen.items() if positions[n] < last}
                moved = apply_together(due, events, last)
                positions |= moved
                for name in [n for n, at in moved.items() if at < last]:  # halted
                    del chosen[name]
                read += count
                if progress:
                    progress(read, head - min(positions.values()) + read)
                if not chosen:
                    break
        return read

    def rebuild(
        self,
        ledger: Ledger,
        names: Iterable[str] | None = None,
        progress: Progress | None = None,
        batch_size: int | None = None,
    ) -> int:
        """Rebuild the named read models (all, if none) from the log beside the live tables,
        and swap them in once complete; raise RebuildFailed, leaving them as they were, if an
        event cannot be applied."""
        from projections.rebuild import rebuild_beside

        chosen = self.names(names)
        count = rebuild_beside(self, ledger, chosen, progress, batch_size)
        self._analyze(chosen)
        return count

    def resume(self, ledger: Ledger, names: Iterable[str] | None = None) -> list[str]:
        """Retry the named read models (all, if none) from the event each halted at; return
        the names that were halted. A halt is cleared once its event is applied, and recorded
        afresh (never absent meanwhile) if it fails again."""
        chosen = self.names(names)
        halted = [n for n in self.halts() if n in chosen]
        self.catch_up(ledger, chosen, retry=True)
        return halted

    def names(self, names: Iterable[str] | None = None) -> list[str]:
        """Return the named read models (all of these, if none), refusing unknown names."""
        return check_names(names or list(self.projections))

    def halts(self) -> dict[str, Halt]:
        """Return the halted read models, each with the event it stopped at and why."""
        with self.engine.connect() as conn:
            return {n: h for n, h in halts.halted(conn).items() if n in self.projections}

    def _analyze(self, names: list[str]) -> None:
        """Give PostgreSQL's planner the rebuilt tables' statistics now: autovacuum would only
        gather them later, and until then queries are planned for empty tables."""
        if self.engine.dialect.name != "postgresql":
            return
        tables = [t.name for n in names for t in self.projections[n].view.model_tables]
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql(f"ANALYZE {', '.join(tables)}")

    def positions(self, names: Iterable[str] | None = None) -> dict[str, int]:
        """Return the position of each named read model (all, if none), in one query."""
        chosen = self.names(names)
        with self.engine.connect() as conn:
            found = dict(conn.execute(self._positions_query(tuple(chosen))).tuples().all())
        return {n: found.get(n) or 0 for n in chosen}

    def _positions_query(self, names: tuple[str, ...]) -> Select[tuple[str, int]]:
        """Return the query of these read models' positions, built once (a follower asks for
        them before every batch, and building the query cost more than running it)."""
        query = self._positions_queries.get(names)
        if query is None:
            tracked = union_all(
                *(
                    select(literal(n).label("name"), t.c.notification_id).where(
                        t.c.application_name == APPLICATION_NAME
                    )
                    for n in names
                    for t in [self.projections[n].view.tracking_table]
                )
            )
            query = self._positions_queries[names] = select(tracked.subquery())
        return query

    def status(self, ledger: Ledger) -> list[ProjectionStatus]:
        """Return each projection's position against the head of the log."""
        head = ledger.recorder.max_notification_id() or 0
        stopped = self.halts()
        return [ProjectionStatus(n, p, head, stopped.get(n)) for n, p in self.positions().items()]

    def close(self) -> None:
        for projection in self.projections.values():
            engine = projection.view.datastore.engine
            if isinstance(engine, Engine):
                engine.dispose()


def configured_rebuild_batch() -> int:
    """Return how many events a rebuild applies per transaction (LEDGER_REBUILD_BATCH)."""
    return int(os.environ.get("LEDGER_REBUILD_BATCH", "") or REBUILD_BATCH_SIZE)


def configured_batch_size() -> int:
    """Return how many events a catch-up applies per transaction (LEDGER_PROJECTION_BATCH)."""
    return int(os.environ.get("LEDGER_PROJECTION_BATCH", "") or BATCH_SIZE)
