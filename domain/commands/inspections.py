"""Commands on inspections: scheduling, fieldwork, reports, publication, cancellation."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from domain import limits
from domain import permissions as can
from domain.action_plan import ActionPlan
from domain.actors import Actor
from domain.commands.endings import ChallengeClosing
from domain.commands.settings import SettingCommands
from domain.concern import Concern, ConcernRefused
from domain.council import Council
from domain.errors import ConflictingChange, InvalidInput, NotFound
from domain.events import JudgmentInput, Narrative
from domain.frameworks import framework, framework_for
from domain.grades import INADEQUATE
from domain.inspection import Inspection, inspection_id
from domain.setting import SettingDetails
from domain.unit_of_work import command


class InspectionCommands(SettingCommands, ChallengeClosing):
    """The commands and queries about inspections."""

    def schedule_inspection(
        self,
        actor: Actor,
        council: str,
        type_key: str,
        starts_on: date,
        framework_key: str | None = None,
        agencies: tuple[str, ...] = (),
        theme: str = "",
        previous_grade: str | None = None,
        reason: str = "",
        visits_since: tuple[str, ...] = (),
        setting_urn: str = "",
        source: str = "",
        reason_concern: str = "",
    ) -> UUID:
        """Schedule an inspection of a council, or of the registered setting `setting_urn`
        names (its council may then be left empty); the framework follows from type and date.
        `previous_grade` is the council's headline as the read side proposes it (None: never
        graded) and `visits_since` the types of visit held since it; a type other than the one
        they call for needs a `reason`. `reason_concern` names a concern kept as intelligence
        on the council's record that brings the visit forward: the concern records it."""
        chosen = framework_key or framework_for(type_key, starts_on).key
        can.must_be_lead_inspectorate(actor, framework(chosen).lead_agency, "schedule inspections")
        council = self.subject_of(framework(chosen), council, setting_urn, starts_on)
        self._open_council(council)
        if self.exists(inspection_id(setting_urn or council, type_key, starts_on)):
            raise ConflictingChange(
                f"A {type_key} inspection of {setting_urn or council} already starts on {starts_on}"
            )
        inspection = Inspection.schedule(
            actor,
            council,
            type_key,
            chosen,
            starts_on,
            self.today(),
            self.policy,
            agencies,
            theme,
            previous_grade,
            reason,
            visits_since,
            setting_urn,
            source,
        )
        if not reason_concern:
            self._save(inspection)
            return inspection.id
        concern = self._reason_concern(actor, reason_concern, council)
        concern.bring_forward(actor, str(inspection.id))
        self._save(inspection, concern)
        return inspection.id

    def _reason_concern(self, actor: Actor, text: str, council: str) -> Concern:
        """Return the concern the scheduler may see, about this council, that `text` names."""
        limits.REASON_CONCERN.checked(text)
        try:
            concern = self._get(Concern, UUID(text.strip()), reader=actor)
        except (ValueError, NotFound):
            raise ConcernRefused("reason_concern", "No concern has that id") from None
        if concern.council != council:
            raise ConcernRefused("reason_concern", f"That concern is not about {council}")
        return concern

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
        with self._changing(Inspection, id, expected_version, actor) as inspection:
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
        with self._changing(Inspection, id, expected_version, actor) as inspection:
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
        with self._changing(Inspection, id, expected_version, actor) as inspection:
            inspection.record_judgments(actor, judgments)

    @command
    def complete_judgments(
        self, actor: Actor, id: UUID, expected_version: int | None = None
    ) -> None:
        """Close fieldwork once every area is graded."""
        with self._changing(Inspection, id, expected_version, actor) as inspection:
            inspection.complete_judgments(actor, self.today())

    @command
    def issue_draft(self, actor: Actor, id: UUID, expected_version: int | None = None) -> None:
        """Send the draft report to the council."""
        with self._changing(Inspection, id, expected_version, actor) as inspection:
            inspection.issue_draft(actor, self.today(), self.policy)

    @command
    def comment_on_draft(
        self,
        actor: Actor,
        id: UUID,
        comment: str,
        complete: bool = False,
        section: str = "",
        expected_version: int | None = None,
    ) -> None:
        """Record a council's factual accuracy comment on a section (or the whole report)."""
        with self._changing(Inspection, id, expected_version, actor) as inspection:
            inspection.comment_on_draft(actor, comment, self.today(), complete, section)

    @command
    def issue_final_report(
        self, actor: Actor, id: UUID, expected_version: int | None = None
    ) -> None:
        """Approve the final report."""
        with self._changing(Inspection, id, expected_version, actor) as inspection:
            inspection.issue_final_report(actor, self.today(), self.policy)

    @command
    def publish(self, actor: Actor, id: UUID, expected_version: int | None = None) -> UUID | None:
        """Publish the report and open the action plan it calls for; return the plan's id."""
        inspection = self._get(Inspection, id, expected_version, to_change=True, reader=actor)
        named = {u: n for u in inspection.named_in_report() if (n := self.account_name(u))}
        inspection.publish(actor, self.today(), named)
        plan = self._plan_for(actor, inspection)
        self._save(inspection, *([plan] if plan else []))
        return plan.id if plan else None

    def _plan_for(self, actor: Actor, inspection: Inspection) -> ActionPlan | None:
        if not inspection.framework.rates_council:
            return None  # a setting answers Ofsted's requirements, not a council's action plan
        priority = [f for f in inspection.findings.values() if f["priority_action"]]
        if inspection.graded:
            kind = "inspection"
            items = [*inspection.judgments.values(), *inspection.findings.values()]
        elif inspection.type == "focused_visit" and priority:
            kind, items = "focused_visit", priority
        else:
            return None
        recommendations = [r for item in items for r in item["recommendations"]]
        inadequate = inspection.framework.rates_council and (
            inspection.framework.headline(inspection.grades(), self.policy) == INADEQUATE
        )
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
        """Cancel an inspection before publication; its open challenges close with it."""
        inspection = self._get(Inspection, id, expected_version, to_change=True, reader=actor)
        inspection.cancel(actor, reason, self.today())
        closed = self._open_challenges_closed(actor, inspection, "The inspection was cancelled")
        self._save(inspection, *closed)

    @command
    def withdraw_inspection(
        self, actor: Actor, id: UUID, reason: str, expected_version: int | None = None
    ) -> None:
        """Withdraw an unpublished final report; its open challenges close with it."""
        inspection = self._get(Inspection, id, expected_version, to_change=True, reader=actor)
        inspection.withdraw(actor, reason, self.today())
        closed = self._open_challenges_closed(actor, inspection, "The report was withdrawn")
        self._save(inspection, *closed)

    def inspection(self, actor: Actor, id: UUID) -> Inspection:
        """Return an inspection the actor may see."""
        return self._get(Inspection, id, reader=actor)

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
        setting_urn: str = "",
        new_setting: SettingDetails | None = None,
    ) -> tuple[UUID, bool]:
        """Record one published outcome (of a council, or of the setting `setting_urn` names,
        registered from `new_setting` in the same save if it is not yet); return its id and
        whether it was new."""
        existing = inspection_id(setting_urn or council, type_key, starts_on)
        if self.exists(existing):
            return existing, False
        self.council(council)
        chosen = framework_key or framework_for(type_key, starts_on).key
        setting = self.new_setting(actor, setting_urn, new_setting, source)
        self.subject_of(framework(chosen), council, setting_urn, starts_on, setting)
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
            setting_urn,
        )
        self._save(inspection, *([setting] if setting else []))
        return inspection.id, True

    def inspections_of(self, actor: Actor, council: str) -> list[Inspection]:
        """Return a council's inspections that the actor may see, oldest first."""
        ids = [
            e.originator_id
            for e in self.events_of_type(Inspection.Scheduled)
            if e.council == council
        ]
        found = [self._get(Inspection, i) for i in ids]
        visible = [i for i in found if self._may_see(actor, i)]
        return sorted(visible, key=lambda i: i.starts_on)
