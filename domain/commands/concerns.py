"""Commands on concerns: raising one (anyone), triage (the inspectorate), erasure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from domain import limits
from domain.actors import Actor, Role
from domain.concern import RELATIONSHIPS, Concern, ConcernRefused
from domain.council import council_id
from domain.errors import NotFound
from domain.inspection import Inspection
from domain.personal_data import ERASED
from domain.setting import Setting, setting_id
from domain.store import Store
from domain.unit_of_work import command


@dataclass(frozen=True)
class RaisedConcern:
    """What someone raising a concern tells us, in plain text (sealed before it is stored)."""

    council: str
    setting_urn: str
    relationship: str
    name: str
    email: str
    concern: str

    def checked(self) -> None:
        """Refuse any answer outside its limits, before anything is sealed or stored."""
        if self.council:
            limits.COUNCIL_CODE.checked(self.council)
        if self.setting_urn:
            limits.SETTING_URN.checked(self.setting_urn)
        if not self.council and not self.setting_urn:
            raise ConcernRefused("council", "Name the council or the setting (its URN)")
        if self.relationship not in RELATIONSHIPS:
            raise ConcernRefused("relationship", "Choose how you know about the concern")
        limits.CONCERN_NAME.checked(self.name)
        limits.CONCERN_EMAIL.checked(self.email)
        limits.CONCERN_TEXT.checked(self.concern)


@dataclass(frozen=True)
class OpenedConcern:
    """A concern as its allowed reader sees it: personal data opened, or `ERASED`."""

    concern: Concern
    name: str
    email: str
    text: str

    @property
    def erased(self) -> bool:
        return self.concern.erased_on is not None or self.text == ERASED


class ConcernCommands(Store):
    """The commands and queries about concerns; `personal_data` is wired by the bootstrap."""

    def raise_concern(self, raised: RaisedConcern) -> UUID:
        """Record a concern from anyone; return its id. Its personal data is sealed under a
        new data key of its own before the event is made."""
        raised.checked()
        council = self._subject(raised)
        vault = self._vault()
        key_id = vault.new_person()
        sealed = {
            "name": vault.seal(key_id, raised.name.strip()),
            "email": vault.seal(key_id, raised.email.strip()),
            "text": vault.seal(key_id, raised.concern),
        }
        concern = Concern.raise_concern(
            council,
            raised.setting_urn,
            raised.relationship,
            sealed,
            key_id,
            self.policy.concerns_inspectorate,
            self.today(),
            self.policy.concern_acknowledge_working_days,
        )
        self._save(concern)
        return concern.id

    def _subject(self, raised: RaisedConcern) -> str:
        if raised.setting_urn:
            if not self.exists(setting_id(raised.setting_urn)):
                raise ConcernRefused("setting_urn", f"No setting has the URN {raised.setting_urn}")
            area = self._get(Setting, setting_id(raised.setting_urn)).council
            if raised.council and raised.council != area:
                raise ConcernRefused("council", f"That setting is in the area of {area}")
            return area
        if not self.exists(council_id(raised.council)):
            raise ConcernRefused("council", f"No council is registered as '{raised.council}'")
        return raised.council

    def concern(self, actor: Actor, id: UUID) -> OpenedConcern:
        """Return a concern the actor may see, its personal data opened; any other is absent."""
        concern = self._get(Concern, id, reader=actor)
        vault = self._vault()
        erased = concern.erased_on is not None
        name, email, text = (
            (ERASED if erased and v else vault.open(v))
            for v in (concern.name, concern.email, concern.text)
        )
        return OpenedConcern(concern, name, email, text)

    @command
    def acknowledge_concern(
        self, actor: Actor, id: UUID, expected_version: int | None = None
    ) -> None:
        """Record that the inspectorate acknowledged a concern today."""
        with self._changing(Concern, id, expected_version, actor) as concern:
            concern.acknowledge(actor, self.today())

    @command
    def assess_concern(
        self, actor: Actor, id: UUID, risk: str, expected_version: int | None = None
    ) -> None:
        """Record a concern's risk."""
        with self._changing(Concern, id, expected_version, actor) as concern:
            concern.assess(actor, risk)

    @command
    def link_concern(
        self, actor: Actor, id: UUID, inspection_id: str, expected_version: int | None = None
    ) -> None:
        """Link a concern to an inspection of its council, or keep it as intelligence."""
        with self._changing(Concern, id, expected_version, actor) as concern:
            if inspection_id:
                self._inspection_of(concern, inspection_id)
            concern.link(actor, inspection_id)

    def _inspection_of(self, concern: Concern, inspection_id: str) -> None:
        try:
            inspection = self._get(Inspection, UUID(inspection_id))
        except (ValueError, NotFound):
            raise ConcernRefused("inspection_id", "No inspection has that id") from None
        if inspection.council != concern.council:
            raise ConcernRefused(
                "inspection_id", f"That inspection is not of {concern.council}'s services"
            )

    @command
    def close_concern(
        self, actor: Actor, id: UUID, outcome: str, expected_version: int | None = None
    ) -> None:
        """Close a concern with its outcome, today."""
        with self._changing(Concern, id, expected_version, actor) as concern:
            concern.close(actor, self.today(), outcome)

    def erase_concern(
        self, actor: Actor, id: UUID, reason: str, expected_version: int | None = None
    ) -> None:
        """Record the erasure of a concern's personal data, then destroy its data key (done
        again if a first attempt recorded the event but failed to destroy the key). The one
        way to erase, for the CLI, the API and the moderator's page."""
        retention = actor.role == Role.ADMINISTRATOR  # the rule in `Concern.erase` decides
        reader = None if retention else actor
        concern = self._get(Concern, id, expected_version, reader=reader)
        if concern.erased_on is None:
            concern.erase(actor, self.today(), reason)
            self._save(concern)
        self._vault().destroy(concern.key_id)

    def concerns_closed_before(self, day: date) -> list[UUID]:
        """Return the concerns closed before `day` whose personal data is not yet erased."""
        closed = {e.originator_id for e in self.events_of_type(Concern.Closed) if e.on < day}
        erased = {e.originator_id for e in self.events_of_type(Concern.Erased)}
        return sorted(closed - erased)
