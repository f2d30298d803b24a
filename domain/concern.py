"""A concern raised with the inspectorate about a council's children's services or a setting.

Whoever raises it may stay anonymous; staff raising it are whistleblowers. Their name, email
and the concern's text reach events only sealed under the person's own data key
(domain/personal_data.py): erasing the concern destroys that key, and the Erased event says
who, when and why.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from domain import limits
from domain import permissions as can
from domain.actors import Actor, Role
from domain.errors import InvalidInput, LifecycleError
from domain.events import LedgerAggregate
from domain.personal_data import key_of
from domain.working_days import add_working_days

RELATIONSHIPS = {
    "child_or_young_person": "A child or young person",
    "parent_or_carer": "A parent or carer",
    "member_of_public": "A member of the public",
    "professional": "A professional working with children",
    "staff_whistleblower": "A member of staff (whistleblowing)",
}
WHISTLEBLOWER = "staff_whistleblower"
RISKS = {"low": "Low", "medium": "Medium", "high": "High"}
OUTCOMES = {
    "no_further_action": "No further action",
    "considered_at_inspection": "Considered at inspection",
    "referred_to_council": "Referred to the council",
    "referred_to_police": "Referred to the police",
    "inspection_brought_forward": "Inspection brought forward",
}


class ConcernRefused(InvalidInput):
    """A concern, or a step of its triage, is not acceptable; `field` names the input."""

    rule = "concern"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def one_of(field: str, value: str, known: dict[str, str]) -> str:
    """Return `value` if it is one of the known keys, or refuse it naming the field."""
    if value not in known:
        raise ConcernRefused(field, f"Choose {field} from: {', '.join(known)}")
    return value


def reference_of(concern_id: UUID) -> str:
    """Return the short reference a person is given for their concern."""
    return "CN-" + concern_id.hex[:8].upper()


def _sealed(field: str, value: str, key_id: str) -> str:
    """Refuse a value not sealed under this person's key: no plain text reaches the log."""
    try:
        if key_of(value) in ("", key_id):
            return value
    except ValueError:
        pass
    raise ConcernRefused(field, f"{field} must be sealed under the person's data key")


class Concern(LedgerAggregate):
    """A concern, from raising through triage to closure and erasure."""

    class Raised(LedgerAggregate.Created):
        council: str  # the council concerned, or the area of the setting concerned
        setting_urn: str  # the setting concerned, or ""
        relationship: str
        anonymous: bool
        key_id: str  # the person's data key (never in the log)
        name: str  # sealed, or "" when anonymous
        email: str  # sealed, or ""
        text: str  # sealed
        inspectorate: str  # who triages it
        raised_on: date
        acknowledge_by: date

    def __init__(
        self,
        actor: Actor,
        council: str,
        setting_urn: str,
        relationship: str,
        anonymous: bool,
        key_id: str,
        name: str,
        email: str,
        text: str,
        inspectorate: str,
        raised_on: date,
        acknowledge_by: date,
    ) -> None:
        self.council, self.setting_urn, self.relationship = council, setting_urn, relationship
        self.anonymous, self.key_id, self.inspectorate = anonymous, key_id, inspectorate
        self.name, self.email, self.text = name, email, text
        self.raised_on, self.acknowledge_by = raised_on, acknowledge_by
        self.acknowledged_on: date | None = None
        self.risk, self.outcome = "", ""
        self.linked_inspection, self.intelligence = "", False
        self.brought_forward = False
        self.closed_on: date | None = None
        self.erased_on: date | None = None

    @classmethod
    def raise_concern(
        cls,
        council: str,
        setting_urn: str,
        relationship: str,
        sealed: dict[str, str],
        key_id: str,
        inspectorate: str,
        on: date,
        acknowledge_within: int,
    ) -> Concern:
        """Record a concern raised by anyone (no account); its personal data comes sealed."""
        from domain.actors import PUBLIC

        limits.COUNCIL_CODE.checked(council)
        if setting_urn:
            limits.SETTING_URN.checked(setting_urn)
        fields = {f: _sealed(f, sealed.get(f, ""), key_id) for f in ("name", "email", "text")}
        if not fields["text"]:
            raise ConcernRefused("concern", "Enter your concern")
        return cls._create(
            cls.Raised,
            id=uuid4(),
            actor=PUBLIC,
            council=council,
            setting_urn=setting_urn,
            relationship=one_of("relationship", relationship, RELATIONSHIPS),
            anonymous=not fields["name"] and not fields["email"],
            key_id=key_id,
            inspectorate=inspectorate,
            raised_on=on,
            acknowledge_by=add_working_days(on, acknowledge_within),
            **fields,
        )

    @property
    def whistleblowing(self) -> bool:
        return self.relationship == WHISTLEBLOWER

    def _triaging(self, actor: Actor, doing: str) -> None:
        can.must_be_lead_inspectorate(actor, self.inspectorate, doing)
        if self.erased_on is not None:
            raise LifecycleError("This concern's personal data was erased; it is closed")
        if self.closed_on is not None and doing != "erase a concern":
            raise LifecycleError(f"This concern was closed on {self.closed_on.isoformat()}")

    class Acknowledged(LedgerAggregate.Event):
        on: date

        def apply(self, concern: Concern) -> None:
            concern.acknowledged_on = self.on

    def acknowledge(self, actor: Actor, on: date) -> None:
        """Record that the inspectorate acknowledged the concern."""
        self._triaging(actor, "acknowledge a concern")
        if self.acknowledged_on is not None:
            raise LifecycleError(f"Acknowledged on {self.acknowledged_on.isoformat()}")
        self.trigger_event(self.Acknowledged, actor=actor, on=on)

    class Assessed(LedgerAggregate.Event):
        risk: str

        def apply(self, concern: Concern) -> None:
            concern.risk = self.risk

    def assess(self, actor: Actor, risk: str) -> None:
        """Record the risk the inspectorate sees in the concern (it may be assessed again)."""
        self._triaging(actor, "assess a concern")
        self.trigger_event(self.Assessed, actor=actor, risk=one_of("risk", risk, RISKS))

    class Linked(LedgerAggregate.Event):
        inspection_id: str  # the inspection it informs, or "" when kept as intelligence
        intelligence: bool  # kept on the council's record as intelligence for the schedule

        def apply(self, concern: Concern) -> None:
            concern.linked_inspection, concern.intelligence = self.inspection_id, self.intelligence

    def link(self, actor: Actor, inspection_id: str) -> None:
        """Link the concern to an inspection, or (none named) keep it as intelligence."""
        self._triaging(actor, "link a concern")
        limits.CONCERN_INSPECTION.checked(inspection_id)
        self.trigger_event(
            self.Linked, actor=actor, inspection_id=inspection_id, intelligence=not inspection_id
        )

    class BroughtForward(LedgerAggregate.Event):
        inspection_id: str  # the visit scheduled with this concern as its reason

        def apply(self, concern: Concern) -> None:
            concern.linked_inspection, concern.brought_forward = self.inspection_id, True

    def bring_forward(self, actor: Actor, inspection_id: str) -> None:
        """Record that a visit was scheduled (brought forward) with this concern, kept as
        intelligence on its council's record, as the reason."""
        self._triaging(actor, "bring a visit forward on a concern")
        if not self.intelligence:
            raise ConcernRefused(
                "reason_concern", "Keep the concern as intelligence on the council's record first"
            )
        self.trigger_event(self.BroughtForward, actor=actor, inspection_id=inspection_id)

    class Closed(LedgerAggregate.Event):
        on: date
        outcome: str

        def apply(self, concern: Concern) -> None:
            concern.closed_on, concern.outcome = self.on, self.outcome

    def close(self, actor: Actor, on: date, outcome: str) -> None:
        """Close the concern with its outcome."""
        self._triaging(actor, "close a concern")
        if self.acknowledged_on is None:
            raise LifecycleError("Acknowledge a concern before closing it")
        outcome = one_of("outcome", outcome, OUTCOMES)
        self.trigger_event(self.Closed, actor=actor, on=on, outcome=outcome)

    class Erased(LedgerAggregate.Event):
        on: date
        reason: str
        key_id: str  # the data key destroyed with this event

        def apply(self, concern: Concern) -> None:
            concern.erased_on = self.on

    def erase(self, actor: Actor, on: date, reason: str) -> None:
        """Record that the person's data key is destroyed (a moderator, or an administrator
        applying the retention period)."""
        if actor.role != Role.ADMINISTRATOR:
            can.must_be_lead_moderator(actor, self.inspectorate, "erase a concern")
        else:
            can.must_be_administrator(actor, "erase a concern")
        if self.erased_on is not None:
            raise LifecycleError(f"Erased on {self.erased_on.isoformat()}")
        self.trigger_event(
            self.Erased,
            actor=actor,
            on=on,
            reason=limits.REASON.checked(reason),
            key_id=self.key_id,
        )
