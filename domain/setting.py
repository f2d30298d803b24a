"""A regulated setting: a children's home, school or agency Ofsted inspects under SCCIF (§1).

Its rating is its own, never its council's: an inspection of a setting names it by its URN
(`Inspection.Scheduled.setting_urn`), and only frameworks that rate settings may do so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from domain import limits
from domain import permissions as can
from domain.actors import Actor
from domain.errors import InvalidInput, LifecycleError
from domain.events import LedgerAggregate, stable_id
from domain.frameworks import Framework

SETTING_TYPES = {
    "childrens_home": "Children's home",
    "secure_childrens_home": "Secure children's home",
    "residential_special_school": "Residential special school",
    "boarding_school": "Boarding school",
    "independent_fostering_agency": "Independent fostering agency",
    "adoption_agency": "Adoption agency",
}


class SettingRefused(InvalidInput):
    """A setting's details, or an inspection's subject, are not acceptable; `field` names
    the input at fault."""

    rule = "setting"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class SettingDetails:
    """What a setting is besides its URN: name, type, area and provider (a council or not)."""

    name: str
    type: str
    council: str  # the council whose area it is in
    provider_council: str = ""  # the council that runs it, or ""
    provider: str = ""  # the private provider that runs it, or ""

    def checked(self) -> dict[str, str]:
        """Return the details as event fields; refuse any outside its limits, an unknown type,
        or not exactly one provider."""
        limits.SETTING_NAME.checked(self.name)
        setting_type(self.type)
        limits.COUNCIL_CODE.checked(self.council)
        limits.PROVIDER_NAME.checked(self.provider)
        if self.provider_council:
            limits.COUNCIL_CODE.checked(self.provider_council)
        if bool(self.provider_council) == bool(self.provider.strip()):
            raise SettingRefused(
                "provider",
                "A setting's provider is either a council (its code) or a private provider "
                "(its name), not both and not neither",
            )
        return {
            "name": self.name.strip(),
            "type": self.type,
            "council": self.council,
            "provider_council": self.provider_council,
            "provider": self.provider.strip(),
        }


def setting_id(urn: str) -> UUID:
    """Return the id of the setting with this Ofsted URN."""
    return stable_id("setting", urn)


def setting_type(key: str) -> str:
    """Return the label of a setting type, or refuse an unknown one."""
    if key not in SETTING_TYPES:
        raise SettingRefused(
            "setting_type", f"Unknown setting type '{key}' (known: {', '.join(SETTING_TYPES)})"
        )
    return SETTING_TYPES[key]


class Setting(LedgerAggregate):
    """A regulated setting, known by its Ofsted URN, in one council's area."""

    class Registered(LedgerAggregate.Created):
        urn: str
        name: str
        type: str
        council: str  # the council whose area it is in
        provider_council: str  # the council that runs it, or ""
        provider: str  # the private provider that runs it, or ""
        demonstration: bool  # made up for the demonstration (`ledger seed-demo`)
        source: str

    def __init__(
        self,
        actor: Actor,
        urn: str,
        name: str,
        type: str,
        council: str,
        provider_council: str,
        provider: str,
        demonstration: bool,
        source: str,
    ) -> None:
        self.urn, self.name, self.type, self.council = urn, name, type, council
        self.provider_council, self.provider = provider_council, provider
        self.demonstration, self.source = demonstration, source
        self.closed_on: date | None = None

    @classmethod
    def register(
        cls,
        actor: Actor,
        urn: str,
        details: SettingDetails,
        demonstration: bool = False,
        source: str = "",
    ) -> Setting:
        """Register a setting from Ofsted's register (an administrator, or an import)."""
        can.must_be_administrator(actor, "register settings")
        limits.SETTING_URN.checked(urn)
        return cls._create(
            cls.Registered,
            id=setting_id(urn),
            actor=actor,
            urn=urn,
            demonstration=demonstration,
            source=source,
            **details.checked(),
        )

    class DetailsChanged(LedgerAggregate.Event):
        name: str
        type: str
        council: str
        provider_council: str
        provider: str

        def apply(self, setting: Setting) -> None:
            setting.name, setting.type, setting.council = self.name, self.type, self.council
            setting.provider_council, setting.provider = self.provider_council, self.provider

    def change_details(self, actor: Actor, details: SettingDetails) -> None:
        """Record new details (a new name, type, area or provider); the old stay in the log."""
        can.must_be_administrator(actor, "change a setting's details")
        self.trigger_event(self.DetailsChanged, actor=actor, **details.checked())

    class Closed(LedgerAggregate.Event):
        on: date
        reason: str

        def apply(self, setting: Setting) -> None:
            setting.closed_on = self.on

    def close(self, actor: Actor, on: date, reason: str) -> None:
        """Record that the setting closed (deregistered); it can no longer be inspected."""
        can.must_be_administrator(actor, "close a setting")
        if self.closed_on is not None:
            raise LifecycleError(f"{self.name} closed on {self.closed_on.isoformat()}")
        self.trigger_event(self.Closed, actor=actor, on=on, reason=limits.REASON.checked(reason))

    @property
    def provider_label(self) -> str:
        """Return who runs it: the private provider's name, or the council's code."""
        return self.provider or self.provider_council


def check_subject(chosen: Framework, setting_urn: str) -> None:
    """Refuse a setting's framework without a setting, or a council's framework with one."""
    if chosen.inspects_settings and not setting_urn:
        raise SettingRefused(
            "setting_urn",
            f"{chosen.title} inspects a regulated setting: name it by its URN (setting_urn)",
        )
    if not chosen.inspects_settings and setting_urn:
        raise SettingRefused(
            "setting_urn",
            f"{chosen.title} does not inspect a regulated setting: leave setting_urn empty",
        )
    if setting_urn:
        limits.SETTING_URN.checked(setting_urn)
