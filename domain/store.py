"""Loading and saving aggregates for the Ledger's commands, and reading the log."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any, TypeVar
from uuid import UUID, uuid4

from eventsourcing.application import (
    AggregateNotFoundError,
    Application,
    Repository,
    project_aggregate,
)
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, JSONTranscoder
from eventsourcing.utils import get_topic

from domain.account import Account, account_id
from domain.actors import Actor
from domain.errors import ConflictingChange, NotFound, StaleVersion
from domain.inspection import Inspection
from domain.personal_data import ERASED, PersonalData
from domain.policy import DEFAULT_POLICY, Policy
from domain.transcodings import register_ledger_transcodings
from domain.unit_of_work import (
    ATTEMPT,
    CORRELATION,
    REHEARSING,
    SAVED,
    Rehearsed,
    caused_by_first,
    copy_of,
)
from domain.visibility import may_see

A = TypeVar("A", bound=Aggregate)


class Store(Application[UUID]):
    """An eventsourcing Application whose loads may trust the cache once per command."""

    personal_data: PersonalData | None = None  # people's data keys, wired by the bootstrap

    def __init__(
        self,
        env: dict[str, str] | None = None,
        policy: Policy = DEFAULT_POLICY,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(env)
        self.policy, self.today = policy, today
        self.after_save: list[Callable[[], object]] = []  # e.g. in-process projection catch-up

    def _vault(self) -> PersonalData:
        if self.personal_data is None:
            raise RuntimeError("No personal data store is configured")
        return self.personal_data

    def account_name(self, username: str) -> str | None:
        """Return the account's name as the log holds it, opened (None for no account, or
        one forgotten)."""
        if not self.exists(account_id(username)):
            return None
        account = self._get(Account, account_id(username))
        if account.forgotten:
            return None
        try:
            name = self._vault().open(account.display_name)
        except ValueError:  # a v1 event's plain name
            return account.display_name
        return None if name == ERASED else name

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        register_ledger_transcodings(transcoder)

    # --- loading and saving -------------------------------------------------------------
    def construct_repository(self) -> Repository[UUID]:
        """The repository caches aggregates; `_load` decides when to ask for newer events."""
        repository = super().construct_repository()
        repository.fastforward = False  # saved aggregates go into the cache as they are
        return repository

    def aggregate(self, aggregate_id: UUID) -> Aggregate:
        """Return any aggregate as the log has it now, or, if this correlated block (a
        request) saved it, as it saved it: the answer after a change is the state that change
        made, and it needs no read of the log."""
        saved = (SAVED.get() or {}).get(aggregate_id)
        cached = self._cached(aggregate_id) if saved is not None else None
        if cached is not None and cached.version == saved:
            return copy_of(cached)
        try:
            return self._load(aggregate_id, trust_cache=False)[0]
        except AggregateNotFoundError:
            raise NotFound(f"Nothing is recorded with id {aggregate_id}") from None

    def _load(self, aggregate_id: UUID, trust_cache: bool) -> tuple[Aggregate, bool]:
        """Return a copy of the aggregate, and whether it is a cached one taken on trust
        (not checked against the log); otherwise it is as the log has it now."""
        cached = self._cached(aggregate_id)
        if cached is None:
            return self.repository.get(aggregate_id), False  # read from the log (and cached)
        aggregate = copy_of(cached)
        if trust_cache:
            return aggregate, True
        newer = self.events.get(aggregate_id, gt=aggregate.version)
        fresh = project_aggregate(aggregate, newer)
        assert isinstance(fresh, Aggregate)
        if fresh.version != cached.version and self.repository.cache is not None:
            self.repository.cache.put(aggregate_id, copy_of(fresh))
        return fresh, False

    def _cached(self, aggregate_id: UUID) -> Aggregate | None:
        """Return the cached aggregate itself (not a copy), if there is one."""
        cache = self.repository.cache
        try:
            cached = cache.get(aggregate_id) if cache is not None else None
        except KeyError:
            return None
        return cached if isinstance(cached, Aggregate) else None

    def _get(
        self,
        kind: type[A],
        aggregate_id: UUID,
        expected_version: int | None = None,
        *,
        to_change: bool = False,
        reader: Actor | None = None,
    ) -> A:
        """Load an aggregate of this kind; one `to_change` may come from the cache as it is
        (its save proves it current), anything only read is brought up to date. A cached one
        at another version than the caller expects is brought up to date at once: another
        process has most likely changed it since (the caller's version is the newer).

        A record the reader may not see is refused exactly as an absent one, before its
        version or anything else about it is looked at.
        """
        absent = NotFound(f"No {kind.__name__.lower()} is recorded with id {aggregate_id}")
        attempt = ATTEMPT.get()
        try:
            aggregate, on_trust = self._load(
                aggregate_id, trust_cache=to_change and attempt is not None and attempt.trusting
            )
            if on_trust and expected_version not in (None, aggregate.version):
                aggregate, on_trust = self._load(aggregate_id, trust_cache=False)  # it lags
        except AggregateNotFoundError:
            raise absent from None
        if on_trust and attempt is not None:
            attempt.trusted_loads += 1
        if not isinstance(aggregate, kind):
            raise absent
        if reader is not None and not self._may_see(reader, aggregate):
            raise absent
        if expected_version is not None and aggregate.version != expected_version:
            raise StaleVersion(
                f"This {kind.__name__.lower()} has changed (version {aggregate.version}, "
                f"you saw {expected_version}): reload it and try again"
            )
        return aggregate

    def _may_see(self, actor: Actor, aggregate: Aggregate) -> bool:
        return may_see(actor, aggregate, lambda id: self._get(Inspection, id))

    def readable(self, actor: Actor, aggregate_id: UUID) -> Aggregate:
        """Return any record the actor may see; one they may not is refused as absent."""
        aggregate = self.aggregate(aggregate_id)
        if not self._may_see(actor, aggregate):
            raise NotFound(f"Nothing is recorded with id {aggregate_id}")
        return aggregate

    def readable_events(self, actor: Actor, aggregate_id: UUID) -> list[Any]:
        """Return every event of one record the actor may see, oldest first."""
        self.readable(actor, aggregate_id)
        return self.events_of(aggregate_id)

    @contextmanager
    def correlated(self, correlation_id: str) -> Iterator[None]:
        """Record every event saved inside the block as coming from this request or command."""
        token, saved = CORRELATION.set(correlation_id), SAVED.set({})
        try:
            yield
        finally:
            SAVED.reset(saved)
            CORRELATION.reset(token)

    @contextmanager
    def rehearsal(self) -> Iterator[None]:
        """Run commands to their save and stop there: a refusal is raised as it would be, and
        nothing is stored (a page checks the rules before "Check your answers")."""
        token = REHEARSING.set(True)
        try:
            yield
        except Rehearsed:
            pass
        finally:
            REHEARSING.reset(token)

    def _save(self, *aggregates: Aggregate) -> None:
        if REHEARSING.get():
            raise Rehearsed()
        provenance = {
            "correlation_id": CORRELATION.get() or uuid4().hex,
            "causation": caused_by_first(aggregates),
        }
        try:
            self.save(*aggregates, **provenance)
        except IntegrityError:
            raise ConflictingChange(
                "Someone else changed this record at the same moment; nothing was written"
            ) from None
        attempt = ATTEMPT.get()
        if attempt is not None:
            attempt.saved = True
        saved = SAVED.get()
        if saved is not None:
            saved.update((aggregate.id, aggregate.version) for aggregate in aggregates)
        for listener in self.after_save:
            listener()

    @contextmanager
    def _changing(
        self, kind: type[A], aggregate_id: UUID, expected_version: int | None, actor: Actor
    ) -> Iterator[A]:
        aggregate = self._get(kind, aggregate_id, expected_version, to_change=True, reader=actor)
        yield aggregate
        self._save(aggregate)

    def exists(self, aggregate_id: UUID) -> bool:
        """Say whether anything is recorded under this id."""
        return aggregate_id in self.repository

    # --- reading the log ----------------------------------------------------------------
    def events_of(self, aggregate_id: UUID) -> list[Any]:
        """Return every event of one aggregate, oldest first."""
        return list(self.events.get(aggregate_id))

    def events_of_type(self, event_class: type) -> Iterator[Any]:
        """Yield every stored event of one class, in recording order."""
        topic, start = get_topic(event_class), 0
        while True:
            batch = self.recorder.select_notifications(
                start, 500, topics=[topic], inclusive_of_start=False
            )
            if not batch:
                return
            for notification in batch:
                yield self.mapper.to_domain_event(notification)
            start = batch[-1].id
