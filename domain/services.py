"""The Ledger application: one command per user action, each load, call, save."""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from functools import wraps
from typing import Any, Concatenate, ParamSpec, TypeVar
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

from domain import permissions as can
from domain.action_plan import ActionPlan, action_plan_id
from domain.actors import Actor
from domain.challenge import Challenge
from domain.council import Council, council_id
from domain.errors import ConflictingChange, InvalidInput, LedgerError, NotFound, StaleVersion
from domain.events import JudgmentInput, Narrative
from domain.frameworks import framework, framework_for
from domain.inspection import Inspection, inspection_id
from domain.policy import DEFAULT_POLICY, Policy
from domain.rules import OVERALL
from domain.transcodings import register_ledger_transcodings

A = TypeVar("A", bound=Aggregate)
P = ParamSpec("P")
R = TypeVar("R")
CORRELATION: ContextVar[str] = ContextVar("correlation", default="")


@dataclass
class Attempt:
    """One try at a command: whether it may trust cached aggregates, and what it did."""

    trusting: bool
    trusted_loads: int = 0
    saved: bool = False


ATTEMPT: ContextVar[Attempt | None] = ContextVar("attempt", default=None)


def command(
    method: Callable[Concatenate[Ledger, P], R],
) -> Callable[Concatenate[Ledger, P], R]:
    """Decide a command on cached aggregates; if refused, decide it again on the log's state.

    A cached aggregate may lag the log when another process has written since (the web
    workers share one store). Nothing stale can be written: a save on a stale aggregate
    collides with the newer version in the store and is refused. So the first attempt
    trusts the cache and skips asking the store for newer events, and any refusal made
    there (a rule, a stale version, a collision) is decided once more on fresh aggregates.
    """

    @wraps(method)
    def run(ledger: Ledger, /, *args: P.args, **kwargs: P.kwargs) -> R:
        attempt = Attempt(trusting=True)
        token = ATTEMPT.set(attempt)
        try:
            return method(ledger, *args, **kwargs)
        except LedgerError:
            if attempt.saved or not attempt.trusted_loads:
                raise  # decided on fresh state already
        finally:
            ATTEMPT.reset(token)
        token = ATTEMPT.set(Attempt(trusting=False))
        try:
            return method(ledger, *args, **kwargs)
        finally:
            ATTEMPT.reset(token)

    return run


def copy_of(aggregate: Aggregate) -> Aggregate:
    """Return a deep copy of an aggregate: a pickle round trip, twice as fast as deepcopy."""
    copied = pickle.loads(pickle.dumps(aggregate, pickle.HIGHEST_PROTOCOL))
    assert isinstance(copied, Aggregate)
    return copied


def caused_by_first(aggregates: tuple[Aggregate, ...]) -> dict[tuple[str, int], str]:
    """Map the events of every aggregate after the first to the first one's last event.

    A command that changes several aggregates saves the one it decided on first (the
    challenge decided, the report published); its event causes the others' events.
    """
    if len(aggregates) < 2 or not aggregates[0].pending_events:
        return {}
    cause = aggregates[0].pending_events[-1]
    label = f"{cause.originator_id}:{cause.originator_version}"
    return {
        (str(event.originator_id), event.originator_version): label
        for aggregate in aggregates[1:]
        for event in aggregate.pending_events
    }


class Ledger(Application[UUID]):
    """Inspection Ledger's commands and the queries that read aggregates directly."""

    name = "ledger"

    def __init__(
        self,
        env: dict[str, str] | None = None,
        policy: Policy = DEFAULT_POLICY,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(env)
        self.policy, self.today = policy, today
        self.after_save: list[Callable[[], object]] = []  # e.g. in-process projection catch-up

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
        """Return any aggregate as the log has it now (for answers after a change)."""
        try:
            return self._load(aggregate_id, trust_cache=False)[0]
        except AggregateNotFoundError:
            raise NotFound(f"Nothing is recorded with id {aggregate_id}") from None

    def _load(self, aggregate_id: UUID, trust_cache: bool) -> tuple[Aggregate, bool]:
        """Return a copy of the aggregate, and whether it is a cached one taken on trust
        (not checked against the log); otherwise it is as the log has it now."""
        cache = self.repository.cache
        try:
            cached = cache.get(aggregate_id) if cache is not None else None
        except KeyError:
            cached = None
        if not isinstance(cached, Aggregate):
            return self.repository.get(aggregate_id), False  # read from the log (and cached)
        aggregate = copy_of(cached)
        if trust_cache:
            return aggregate, True
        newer = self.events.get(aggregate_id, gt=aggregate.version)
        fresh = project_aggregate(aggregate, newer)
        assert isinstance(fresh, Aggregate)
        if fresh.version != cached.version and cache is not None:
            cache.put(aggregate_id, copy_of(fresh))
        return fresh, False

    def _get(
        self,
        kind: type[A],
        aggregate_id: UUID,
        expected_version: int | None = None,
        *,
        to_change: bool = False,
    ) -> A:
        """Load an aggregate of this kind; one `to_change` may come from the cache as it is
        (its save proves it current), anything only read is brought up to date."""
        attempt = ATTEMPT.get()
        try:
            aggregate, on_trust = self._load(
                aggregate_id, trust_cache=to_change and attempt is not None and attempt.trusting
            )
        except AggregateNotFoundError:
            raise NotFound(
                f"No {kind.__name__.lower()} is recorded with id {aggregate_id}"
            ) from None
        if on_trust and attempt is not None:
            attempt.trusted_loads += 1
        if not isinstance(aggregate, kind):
            raise NotFound(f"{aggregate_id} is not a {kind.__name__.lower()}")
        if expected_version is not None and aggregate.version != expected_version:
            raise StaleVersion(
                f"This {kind.__name__.lower()} has changed (version {aggregate.version}, "
                f"you saw {expected_version}): reload it and try again"
            )
        return aggregate

    @contextmanager
    def correlated(self, correlation_id: str) -> Iterator[None]:
        """Record every event saved inside the block as coming from this request or command."""
        token = CORRELATION.set(correlation_id)
        try:
            yield
        finally:
            CORRELATION.reset(token)

    def _save(self, *aggregates: Aggregate) -> None:
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
        for listener in self.after_save:
            listener()

    @contextmanager
    def _changing(
        self, kind: type[A], aggregate_id: UUID, expected_version: int | None
    ) -> Iterator[A]:
        aggregate = self._get(kind, aggregate_id, expected_version, to_change=True)
        yield aggregate
        self._save(aggregate)

    def exists(self, aggregate_id: UUID) -> bool:
        """Say whether anything is recorded under this id."""
        return aggregate_id in self.repository

    # --- councils -----------------------------------------------------------------------
    def register_council(self, actor: Actor, code: str, name: str, details: dict[str, str]) -> UUID:
        """Register a council, or do nothing if it is already registered."""
        if self.exists(council_id(code)):
            return council_id(code)
        council = Council.register(actor, code, name, details)
        self._save(council)
        return council.id

    @command
    def abolish_council(self, actor: Actor, code: str, on: date, successors: list[str]) -> None:
        """Record a council's abolition by reorganisation."""
        with self._changing(Council, council_id(code), None) as council:
            council.abolish(actor, on, successors)

    @command
    def record_intervention(
        self,
        actor: Actor,
        code: str,
        kind: str,
        on: date,
        details: str,
        expected_version: int | None = None,
    ) -> None:
        """Record a DfE intervention on a council."""
        with self._changing(Council, council_id(code), expected_version) as council:
            council.record_intervention(actor, kind, on, details)

    def council(self, code: str) -> Council:
        """Return the council with this code, or refuse an unknown one."""
        return self._get(Council, council_id(code))

    # --- inspections --------------------------------------------------------------------
    def schedule_inspection(
        self,
        actor: Actor,
        council: str,
        type_key: str,
        starts_on: date,
        framework_key: str | None = None,
        agencies: tuple[str, ...] = (),
        theme: str = "",
    ) -> UUID:
        """Schedule an inspection of a council; the framework follows from type and date."""
        chosen = framework_key or framework_for(type_key, starts_on).key
        can.must_be_lead_inspectorate(actor, framework(chosen).lead_agency, "schedule inspections")
        self._open_council(council)
        if self.exists(inspection_id(council, type_key, starts_on)):
            raise ConflictingChange(
                f"A {type_key} inspection of {council} already starts on {starts_on}"
            )
        inspection = Inspection.schedule(
            actor, council, type_key, chosen, starts_on, self.today(), self.policy, agencies, theme
        )
        self._save(inspection)
        return inspection.id

    def _open_council(self, code: str) -> Council:
        try:
            council = self.council(code)
        except NotFound:
            raise InvalidInput(f"Unknown council '{code}'") from None
        if council.abolished_on is not None:
            raise InvalidInput(
                f"{council.name} was abolished on {council.abolished_on.isoformat()}"
            )
        return council

    @command
    def start_on_site(self, actor: Actor, id: UUID, expected_version: int | None = None) -> None:
        """Record that fieldwork has begun."""
        with self._changing(Inspection, id, expected_version) as inspection:
            inspection.start_on_site(actor, self.today())

    @command
    def record_finding(
        self,
        actor: Actor,
        id: UUID,
        agency: str,
        summary: str,
        narrative: Narrative | None = None,
        priority_action: bool = False,
        expected_version: int | None = None,
    ) -> str:
        """Record a participating agency's finding; return its reference."""
        with self._changing(Inspection, id, expected_version) as inspection:
            return inspection.record_finding(
                actor, agency, summary, narrative or Narrative(), priority_action
            )

    @command
    def record_judgments(
        self,
        actor: Actor,
        id: UUID,
        judgments: list[JudgmentInput],
        expected_version: int | None = None,
    ) -> None:
        """Record graded judgments within the framework's rules."""
        with self._changing(Inspection, id, expected_version) as inspection:
            inspection.record_judgments(actor, judgments)

    @command
    def complete_judgments(
        self, actor: Actor, id: UUID, expected_version: int | None = None
    ) -> None:
        """Close fieldwork once every area is graded."""
        with self._changing(Inspection, id, expected_version) as inspection:
            inspection.complete_judgments(actor, self.today())

    @command
    def issue_draft(self, actor: Actor, id: UUID, expected_version: int | None = None) -> None:
        """Send the draft report to the council."""
        with self._changing(Inspection, id, expected_version) as inspection:
            inspection.issue_draft(actor, self.today(), self.policy)

    @command
    def comment_on_draft(
        self,
        actor: Actor,
        id: UUID,
        comment: str,
        complete: bool = False,
        expected_version: int | None = None,
    ) -> None:
        """Record a council's factual accuracy comment."""
        with self._changing(Inspection, id, expected_version) as inspection:
            inspection.comment_on_draft(actor, comment, self.today(), complete)

    @command
    def issue_final_report(
        self, actor: Actor, id: UUID, expected_version: int | None = None
    ) -> None:
        """Approve the final report."""
        with self._changing(Inspection, id, expected_version) as inspection:
            inspection.issue_final_report(actor, self.today(), self.policy)

    @command
    def publish(self, actor: Actor, id: UUID, expected_version: int | None = None) -> UUID | None:
        """Publish the report and open the action plan it calls for; return the plan's id."""
        inspection = self._get(Inspection, id, expected_version, to_change=True)
        inspection.publish(actor, self.today())
        plan = self._plan_for(actor, inspection)
        self._save(inspection, *([plan] if plan else []))
        return plan.id if plan else None

    def _plan_for(self, actor: Actor, inspection: Inspection) -> ActionPlan | None:
        priority = [f for f in inspection.findings.values() if f["priority_action"]]
        if inspection.graded:
            kind = "inspection"
            items = [*inspection.judgments.values(), *inspection.findings.values()]
        elif inspection.type == "focused_visit" and priority:
            kind, items = "focused_visit", priority
        else:
            return None
        recommendations = [r for item in items for r in item["recommendations"]]
        inadequate = inspection.grades().get(OVERALL) == "Inadequate"
        assert inspection.published_on is not None
        return ActionPlan.open(
            actor,
            inspection.id,
            inspection.council,
            kind,
            inspection.published_on,
            recommendations,
            inadequate,
            self.policy,
        )

    @command
    def cancel_inspection(
        self, actor: Actor, id: UUID, reason: str, expected_version: int | None = None
    ) -> None:
        """Cancel an inspection before publication."""
        with self._changing(Inspection, id, expected_version) as inspection:
            inspection.cancel(actor, reason, self.today())

    @command
    def withdraw_inspection(
        self, actor: Actor, id: UUID, reason: str, expected_version: int | None = None
    ) -> None:
        """Withdraw an unpublished report."""
        with self._changing(Inspection, id, expected_version) as inspection:
            inspection.withdraw(actor, reason, self.today())

    def inspection(self, actor: Actor, id: UUID) -> Inspection:
        """Return an inspection the actor may see."""
        inspection = self._get(Inspection, id)
        can.must_be_able_to_read(
            actor, inspection.council, inspection.agencies, inspection.published_on is not None
        )
        return inspection

    # --- challenges ---------------------------------------------------------------------
    @command
    def lodge_challenge(
        self,
        actor: Actor,
        id: UUID,
        subject: str,
        reference: str,
        grounds: str,
        evidence: list[str],
        expected_version: int | None = None,
    ) -> UUID:
        """Lodge a council's challenge against a judgment, finding or report."""
        inspection = self._get(Inspection, id, expected_version, to_change=True)
        challenge = Challenge.lodge(
            actor, inspection, subject, reference, grounds, evidence, self.today(), self.policy
        )
        inspection.open_challenge(actor, str(challenge.id))
        self._save(challenge, inspection)
        return challenge.id

    @command
    def decide_challenge(
        self,
        actor: Actor,
        id: UUID,
        outcome: str,
        reasons: str,
        evidence: list[str],
        revisions: dict[str, str] | None = None,
        withdraw_report: bool = False,
        expected_version: int | None = None,
    ) -> None:
        """Decide a challenge; an upheld one revises judgments or withdraws the report."""
        challenge = self._get(Challenge, id, expected_version, to_change=True)
        inspection = self._get(Inspection, UUID(challenge.inspection_id), to_change=True)
        today = self.today()
        challenge.decide(
            actor, inspection, outcome, reasons, evidence, today, revisions, withdraw_report
        )
        inspection.resolve_challenge(actor, str(id), outcome)
        if revisions:
            inspection.revise_judgments(actor, revisions, str(id), reasons, today)
        if withdraw_report:
            inspection.withdraw(actor, reasons, today, challenge_id=str(id))
        self._save(challenge, inspection)

    @command
    def escalate_challenge(
        self, actor: Actor, id: UUID, grounds: str, expected_version: int | None = None
    ) -> None:
        """Take a decided challenge to its next stage."""
        with self._changing(Challenge, id, expected_version) as challenge:
            era = next(e for e in self.policy.challenge_eras if e.name == challenge.era)
            challenge.escalate(actor, grounds, self.today(), era)

    @command
    def record_adjudicator_recommendation(
        self,
        actor: Actor,
        id: UUID,
        outcome: str,
        recommendation: str,
        expected_version: int | None = None,
    ) -> None:
        """Record the adjudicator's finding on a challenge's handling."""
        with self._changing(Challenge, id, expected_version) as challenge:
            inspection = self._get(Inspection, UUID(challenge.inspection_id))
            challenge.record_adjudicator_recommendation(
                actor, inspection, outcome, recommendation, self.today()
            )

    def challenge(self, actor: Actor, id: UUID) -> Challenge:
        """Return a challenge the actor may see."""
        challenge = self._get(Challenge, id)
        inspection = self._get(Inspection, UUID(challenge.inspection_id))
        can.must_be_able_to_read(actor, challenge.council, inspection.agencies, False)
        return challenge

    # --- action plans -------------------------------------------------------------------
    @command
    def submit_action_plan(
        self, actor: Actor, inspection: UUID, summary: str, expected_version: int | None = None
    ) -> None:
        """Submit or update the council's written action plan."""
        with self._changing(ActionPlan, action_plan_id(inspection), expected_version) as plan:
            plan.submit(actor, summary, self.today())

    @command
    def add_action(
        self,
        actor: Actor,
        inspection: UUID,
        area: str,
        recommendation: str,
        description: str,
        owner: str,
        due_on: date,
        expected_version: int | None = None,
    ) -> str:
        """Add an action to the plan; return its reference."""
        with self._changing(ActionPlan, action_plan_id(inspection), expected_version) as plan:
            return plan.add_action(
                actor, area, recommendation, description, owner, due_on, self.today()
            )

    @command
    def update_action_progress(
        self,
        actor: Actor,
        inspection: UUID,
        action_id: str,
        note: str,
        evidence: list[str],
        expected_version: int | None = None,
    ) -> None:
        """Record progress on an action."""
        with self._changing(ActionPlan, action_plan_id(inspection), expected_version) as plan:
            plan.update_progress(actor, action_id, note, evidence, self.today())

    @command
    def complete_action(
        self,
        actor: Actor,
        inspection: UUID,
        action_id: str,
        evidence: list[str],
        expected_version: int | None = None,
    ) -> None:
        """Mark an action complete."""
        with self._changing(ActionPlan, action_plan_id(inspection), expected_version) as plan:
            plan.complete_action(actor, action_id, evidence, self.today())

    @command
    def complete_action_plan(
        self, actor: Actor, inspection: UUID, expected_version: int | None = None
    ) -> None:
        """Close a plan whose actions are all complete."""
        with self._changing(ActionPlan, action_plan_id(inspection), expected_version) as plan:
            plan.complete(actor, self.today())

    def action_plan(self, actor: Actor, inspection: UUID) -> ActionPlan:
        """Return the action plan answering an inspection, if the actor may see it."""
        plan = self._get(ActionPlan, action_plan_id(inspection))
        self.inspection(actor, inspection)
        return plan

    # --- published history --------------------------------------------------------------
    def import_published(
        self,
        actor: Actor,
        council: str,
        type_key: str,
        starts_on: date,
        published_on: date,
        judgments: list[JudgmentInput],
        framework_key: str | None = None,
        theme: str = "",
        source: str = "",
    ) -> tuple[UUID, bool]:
        """Record one published outcome; return its id and whether it was new."""
        existing = inspection_id(council, type_key, starts_on)
        if self.exists(existing):
            return existing, False
        self.council(council)
        chosen = framework_key or framework_for(type_key, starts_on).key
        inspection = Inspection.import_published(
            actor,
            council,
            type_key,
            chosen,
            starts_on,
            published_on,
            judgments,
            theme,
            source,
            self.today(),
        )
        self._save(inspection)
        return inspection.id, True

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

    def councils(self) -> list[Council]:
        """Return every registered council, by name."""
        councils = [
            self._get(Council, e.originator_id) for e in self.events_of_type(Council.Registered)
        ]
        return sorted(councils, key=lambda c: c.name)

    def inspections_of(self, actor: Actor, council: str) -> list[Inspection]:
        """Return a council's inspections that the actor may see, oldest first."""
        ids = [
            e.originator_id
            for e in self.events_of_type(Inspection.Scheduled)
            if e.council == council
        ]
        found = [self._get(Inspection, i) for i in ids]
        visible = [
            i
            for i in found
            if can.may_read_inspection(actor, i.council, i.agencies, i.published_on is not None)
        ]
        return sorted(visible, key=lambda i: i.starts_on)
