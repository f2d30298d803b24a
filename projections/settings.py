"""Read model of regulated settings: their details, their inspections and the rating that stands.

A setting's rating is the headline of its latest published inspection not withdrawn; it is
never a council's (the ratings read model leaves frameworks that rate settings out).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Boolean, Column, Date, DateTime, Integer, Table, Text, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import bindparam, func

from domain.frameworks import framework
from domain.inspection import CANCELLED, PUBLISHED, SCHEDULED, WITHDRAWN, Inspection
from domain.policy import DEFAULT_POLICY
from domain.setting import Setting
from projections.base import LedgerProjection, handles, metadata
from projections.batch import CHUNK, Rows, rows_of
from projections.views import ReadModelView, utc_naive

settings = Table(
    "rm_settings",
    metadata,
    Column("urn", Text, primary_key=True),
    Column("id", Text, nullable=False, unique=True),
    Column("name", Text, nullable=False),
    Column("type", Text, nullable=False),
    Column("council", Text, nullable=False, index=True),  # the council whose area it is in
    Column("provider_council", Text, nullable=False, default=""),
    Column("provider", Text, nullable=False, default=""),
    Column("demonstration", Boolean, nullable=False, default=False),
    Column("registered_at", DateTime, nullable=False),
    Column("closed_on", Date),
    Column("grade", Text),  # the headline of the inspection that stands (None: not rated)
    Column("rated_by", Text),  # that inspection's id
    Column("rated_on", Date),  # its publication date
    Column("version", Integer, nullable=False),
)
setting_inspections = Table(
    "rm_setting_inspections",
    metadata,
    Column("inspection_id", Text, primary_key=True),
    Column("urn", Text, nullable=False, index=True),
    Column("council", Text, nullable=False),
    Column("framework", Text, nullable=False),
    Column("type", Text, nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("status", Text, nullable=False),
    Column("published_on", Date),
    Column("withdrawn_on", Date),
    Column("grades", JSON, nullable=False, default=dict),  # area -> the grade that stands now
    Column("revised", JSON, nullable=False, default=dict),  # area -> the challenge revising it
    Column("grade", Text),  # the headline of those grades
)


class SettingsView(ReadModelView):
    model_tables = (settings, setting_inspections)


REFRESH = "settings_refresh"  # where a session keeps the settings whose rating may change


class SettingsProjection(LedgerProjection):
    name = "settings"

    def prefetch(self, events: list[Any], rows: Rows) -> None:
        ids = [str(e.originator_id) for e in events if self.handles(e)]
        rows.load(setting_inspections, 0, ids)

    @handles(Setting.Registered)
    def registered(self, event: Setting.Registered, session: Session) -> None:
        session.execute(
            settings.insert(),  # the values as parameters: no statement built per event
            {
                "urn": event.urn,
                "id": str(event.originator_id),
                "name": event.name,
                "type": event.type,
                "council": event.council,
                "provider_council": event.provider_council,
                "provider": event.provider,
                "demonstration": event.demonstration,
                "registered_at": utc_naive(event.timestamp),
                "version": event.originator_version,
            },
        )

    @handles(Setting.DetailsChanged)
    def details_changed(self, event: Setting.DetailsChanged, session: Session) -> None:
        _set_setting(
            session,
            event,
            name=event.name,
            type=event.type,
            council=event.council,
            provider_council=event.provider_council,
            provider=event.provider,
        )

    @handles(Setting.Closed)
    def closed(self, event: Setting.Closed, session: Session) -> None:
        _set_setting(session, event, closed_on=event.on)

    @handles(Inspection.Scheduled)
    def scheduled(self, event: Inspection.Scheduled, session: Session) -> None:
        if not event.setting_urn:
            return  # a council's inspection
        rows_of(session).insert(
            setting_inspections,
            inspection_id=str(event.originator_id),
            urn=event.setting_urn,
            council=event.council,
            framework=event.framework,
            type=event.type,
            starts_on=event.starts_on,
            status=SCHEDULED,
            grades={},
            revised={},
        )

    @handles(Inspection.JudgmentRecorded, Inspection.JudgmentRevised)
    def graded(self, event: Any, session: Session) -> None:
        row = rows_of(session).get(setting_inspections, str(event.originator_id))
        if row is None:
            return
        grades = {**row["grades"], event.area: event.grade}
        revised = dict(row["revised"])
        if isinstance(event, Inspection.JudgmentRevised):
            revised[event.area] = event.challenge_id
        headline = framework(row["framework"]).headline(grades, DEFAULT_POLICY)
        _set_inspection(session, event, grades=grades, revised=revised, grade=headline)

    @handles(Inspection.Published)
    def published(self, event: Inspection.Published, session: Session) -> None:
        _set_inspection(session, event, status=PUBLISHED, published_on=event.on)

    @handles(Inspection.Withdrawn)
    def withdrawn(self, event: Inspection.Withdrawn, session: Session) -> None:
        _set_inspection(session, event, status=WITHDRAWN, withdrawn_on=event.on)

    @handles(Inspection.Cancelled)
    def cancelled(self, event: Inspection.Cancelled, session: Session) -> None:
        _set_inspection(session, event, status=CANCELLED)

    def finishing(self, session: Session) -> bool:
        """Say whether a setting's rating may have changed in the batch."""
        return bool(session.info.get(REFRESH))

    def finish(self, session: Session) -> None:
        """Recompute, once per batch, the rating of each setting whose inspections changed:
        a few queries for the batch, not two a setting."""
        urns = sorted(session.info.pop(REFRESH, set()))
        for start in range(0, len(urns), CHUNK):
            chunk = urns[start : start + CHUNK]
            standing: dict[str, Any] = dict.fromkeys(chunk)
            for row in session.execute(_STANDING, {"urns": chunk}).mappings():
                standing[row["urn"]] = row
            session.execute(
                _RATE,
                [
                    {
                        "setting": urn,
                        "grade": row["grade"] if row else None,
                        "rated_by": row["inspection_id"] if row else None,
                        "rated_on": row["published_on"] if row else None,
                    }
                    for urn, row in standing.items()
                ],
            )


# the published inspection that stands for each setting (its latest published), one row per
# setting: the server picks it, so a long-inspected setting's history never reaches the client
_ranked = (
    select(
        setting_inspections.c.urn,
        setting_inspections.c.inspection_id,
        setting_inspections.c.grade,
        setting_inspections.c.published_on,
        func.row_number()
        .over(
            partition_by=setting_inspections.c.urn,
            order_by=(
                setting_inspections.c.published_on.desc(),
                setting_inspections.c.starts_on.desc(),
                setting_inspections.c.inspection_id.desc(),  # a tie: the same one every time
            ),
        )
        .label("place"),
    )
    .where(
        setting_inspections.c.urn.in_(bindparam("urns", expanding=True))
        & (setting_inspections.c.status == PUBLISHED)
    )
    .subquery()
)
_STANDING = select(_ranked).where(_ranked.c.place == 1)
_RATE = update(settings).where(settings.c.urn == bindparam("setting"))


def _set_setting(session: Session, event: Any, **values: Any) -> None:
    session.execute(
        update(settings)
        .where(settings.c.id == str(event.originator_id))
        .values(version=event.originator_version, **values)
    )


def _set_inspection(session: Session, event: Any, **values: Any) -> None:
    row = rows_of(session).update(setting_inspections, (str(event.originator_id),), **values)
    if row is not None:
        session.info.setdefault(REFRESH, set()).add(row["urn"])
