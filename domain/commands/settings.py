"""Commands on regulated settings: registration, changed details, closure."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from domain import permissions as can
from domain.actors import Actor
from domain.commands.councils import CouncilCommands
from domain.council import council_id
from domain.errors import NotFound
from domain.frameworks import Framework
from domain.setting import Setting, SettingDetails, SettingRefused, check_subject, setting_id
from domain.unit_of_work import command


class SettingCommands(CouncilCommands):
    """The commands and queries about regulated settings."""

    def register_setting(
        self,
        actor: Actor,
        urn: str,
        details: SettingDetails,
        demonstration: bool = False,
        source: str = "",
    ) -> tuple[UUID, bool]:
        """Register a setting in a council's area; return its id and whether it was new."""
        can.must_be_administrator(actor, "register settings")
        if self.exists(setting_id(urn)):
            return setting_id(urn), False
        self._known_councils(details)
        setting = Setting.register(actor, urn, details, demonstration, source)
        self._save(setting)
        return setting.id, True

    @command
    def change_setting(
        self,
        actor: Actor,
        urn: str,
        details: SettingDetails,
        expected_version: int | None = None,
    ) -> None:
        """Record a setting's new details."""
        can.must_be_administrator(actor, "change a setting's details")
        self._known_councils(details)
        with self._changing(Setting, self._setting_id(urn), expected_version, actor) as setting:
            setting.change_details(actor, details)

    @command
    def close_setting(
        self, actor: Actor, urn: str, on: date, reason: str, expected_version: int | None = None
    ) -> None:
        """Record that a setting closed."""
        with self._changing(Setting, self._setting_id(urn), expected_version, actor) as setting:
            setting.close(actor, on, reason)

    def setting(self, urn: str) -> Setting:
        """Return the setting with this URN, or refuse an unknown one."""
        return self._get(Setting, self._setting_id(urn))

    def _setting_id(self, urn: str) -> UUID:
        if not self.exists(setting_id(urn)):
            raise NotFound(f"No setting is registered with the URN '{urn}'")
        return setting_id(urn)

    def _known_councils(self, details: SettingDetails) -> None:
        codes = {"council": details.council, "provider_council": details.provider_council}
        for field, code in codes.items():
            if code and not self.exists(council_id(code)):
                raise SettingRefused(field, f"No council is registered as '{code}'")

    def new_setting(
        self, actor: Actor, urn: str, details: SettingDetails | None, source: str
    ) -> Setting | None:
        """Return a setting registered from `details` (to be saved by the caller), if `urn`
        names none yet and details are given."""
        if not urn or details is None or self.exists(setting_id(urn)):
            return None
        self._known_councils(details)
        return Setting.register(actor, urn, details, source=source)

    def subject_of(
        self,
        chosen: Framework,
        council: str,
        setting_urn: str,
        on: date,
        registering: Setting | None = None,
    ) -> str:
        """Return the council an inspection under `chosen` is recorded against: the council
        named, or for a setting's framework the area of the registered setting named (which
        must be open on `on`, and in the council named, if one is)."""
        check_subject(chosen, setting_urn)
        if not setting_urn:
            return council
        try:
            setting = registering or self.setting(setting_urn)
        except NotFound:
            raise SettingRefused(
                "setting_urn", f"No setting is registered with the URN '{setting_urn}'"
            ) from None
        if setting.closed_on is not None and setting.closed_on <= on:
            raise SettingRefused(
                "setting_urn",
                f"{setting.name} ({setting_urn}) closed on {setting.closed_on.isoformat()}",
            )
        if council and council != setting.council:
            raise SettingRefused(
                "council",
                f"{setting.name} ({setting_urn}) is in the area of {setting.council}, "
                f"not {council}",
            )
        return setting.council
