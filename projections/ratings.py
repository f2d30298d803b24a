"""Ratings, bitemporally: every grade with the date it took effect and the time it was recorded."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    Table,
    Text,
    bindparam,
    case,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session

from domain.frameworks import framework
from domain.inspection import Inspection
from domain.inspection_types import inspection_type
from projections.base import LedgerProjection, handles, metadata
from projections.batch import Rows, rows_of
from projections.grade_intervals import grade_intervals, load_open, record_change
from projections.publications import publications, standing_candidates
from projections.standings import latest_publications, standings
from projections.views import ReadModelView, utc_naive


def _grade_columns() -> list[Column[Any]]:
    return [
        Column("inspection_id", Text, primary_key=True),
        Column("version", Integer, primary_key=True),
        Column("council", Text, nullable=False, index=True),
        Column("area", Text, nullable=False),
        Column("grade", Text, nullable=False),
        Column("previous_grade", Text),
        Column("challenge_id", Text),
        Column("reason", Text),
        Column("effective_on", Date),  # NULL: takes effect when the inspection is published
        Column("took_effect_on", Date),  # NULL until published; then the later of the two dates
        Column("recorded_at", DateTime, nullable=False),
        Column("recorded_by", Text, nullable=False),
    ]


grade_changes = Table("rm_grade_changes", metadata, *_grade_columns())
# The grade changes that have taken effect (their inspection published), what a council's
# history lists: apart, so that judging an inspection, most of what is written, never raises
# the stamp of the table a history is read from, and cached histories stand (web/api/cache.py).
published_grades = Table(
    "rm_published_grades",
    metadata,
    *_grade_columns(),
    Index(  # a council's history, a page at a time, in order
        "ix_rm_published_grades_history",
        "council",
        "took_effect_on",
        "recorded_at",
        "inspection_id",
        "version",
    ),
)
current_ratings = Table(
    "rm_current_ratings",
    metadata,
    Column("council", Text, primary_key=True),
    Column("area", Text, primary_key=True),
    Column("grade", Text, nullable=False),
    Column("inspection_id", Text, nullable=False),
    Column("framework", Text, nullable=False),
    Column("type", Text, nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("published_on", Date, nullable=False),
    Column("challenge_id", Text),
)


class RatingsView(ReadModelView):
    model_tables = (
        publications,
        grade_changes,
        published_grades,
        current_ratings,
        grade_intervals,
    )
    rules_version = 2  # 2: only council-level frameworks rate a council


REFRESH = "ratings_refresh"  # where a session keeps the councils whose ratings changed
PUBLISHED = "ratings_published"  # and the inspections it published, with the day


class RatingsProjection(LedgerProjection):
    name = "ratings"

    def prefetch(self, events: list[Any], rows: Rows) -> None:
        ids = {str(e.originator_id) for e in events if self.handles(e)}
        rows.load(publications, 0, ids)
        judged = (Inspection.JudgmentRecorded, Inspection.JudgmentRevised)
        load_open(rows, {str(e.originator_id) for e in events if isinstance(e, judged)})

    @handles(Inspection.Scheduled)
    def scheduled(self, event: Inspection.Scheduled, session: Session) -> None:
        rows_of(session).insert(
            publications,
            inspection_id=str(event.originator_id),
            council=event.council,
            framework=event.framework,
            type=event.type,
            # a framework rating a setting never stands as its council's rating
            graded=inspection_type(event.type).graded and framework(event.framework).rates_council,
            starts_on=event.starts_on,
        )

    @handles(Inspection.JudgmentRecorded, Inspection.JudgmentRevised)
    def grade_changed(self, event: Any, session: Session) -> None:
        publication = _publication_of(session, event)
        council = str(publication["council"])
        revised = isinstance(event, Inspection.JudgmentRevised)
        effective_on = event.effective_on if revised else None
        rows = rows_of(session)
        change = rows.insert(
            grade_changes,
            inspection_id=str(event.originator_id),
            version=event.originator_version,
            council=council,
            area=event.area,
            grade=event.grade,
            previous_grade=event.previous_grade if revised else None,
            challenge_id=event.challenge_id if revised else None,
            reason=event.reason if revised else None,
            effective_on=effective_on,
            took_effect_on=_took_effect(publication["published_on"], effective_on),
            recorded_at=utc_naive(event.timestamp),
            recorded_by=event.actor.user,
        )
        record_change(rows, change)
        if change["took_effect_on"] is not None:  # a revision of a published grade
            rows.insert(published_grades, **change)
        if revised:
            _refresh_current(session, council)

    @handles(Inspection.Published)
    def published(self, event: Inspection.Published, session: Session) -> None:
        self._mark(session, event, published_on=event.on, published_at=utc_naive(event.timestamp))
        session.info.setdefault(PUBLISHED, {})[str(event.originator_id)] = event.on

    @handles(Inspection.Withdrawn)
    def withdrawn(self, event: Inspection.Withdrawn, session: Session) -> None:
        self._mark(session, event, withdrawn_on=event.on, withdrawn_at=utc_naive(event.timestamp))

    @staticmethod
    def _mark(session: Session, event: Any, **values: Any) -> None:
        rows_of(session).update(publications, (str(event.originator_id),), **values)
        _refresh_current(session, _council_of(session, event))

    def finishing(self, session: Session) -> bool:
        """Say whether the batch published an inspection or changed a current rating."""
        return bool(session.info.get(PUBLISHED) or session.info.get(REFRESH))

    def finish(self, session: Session) -> None:
        """Date the grades of the inspections the batch published; recompute the current
        ratings of every council it changed, once each."""
        published = session.info.pop(PUBLISHED, {})
        if published:
            on = bindparam("on")
            session.connection().execute(
                update(grade_changes)
                .where(grade_changes.c.inspection_id == bindparam("id"))
                .values(
                    took_effect_on=case(
                        (grade_changes.c.effective_on > on, grade_changes.c.effective_on),
                        else_=on,
                    )
                ),
                [{"id": id, "on": day} for id, day in published.items()],
            )
            _copy_to_history(session, list(published))
        refresh_current_ratings(session, session.info.pop(REFRESH, set()))


def _copy_to_history(session: Session, ids: list[str]) -> None:
    """List these newly published inspections' grade changes in the rating history."""
    names = [column.name for column in grade_changes.columns]
    for chunk in _chunks(ids):
        session.execute(delete(published_grades).where(published_grades.c.inspection_id.in_(chunk)))
        chosen = select(grade_changes).where(grade_changes.c.inspection_id.in_(chunk))
        session.execute(insert(published_grades).from_select(names, chosen))


def _took_effect(published_on: date | None, effective_on: date | None) -> date | None:
    """Return when a grade took effect: never before its report was published."""
    if published_on is None:
        return None
    return max(effective_on or published_on, published_on)


def _publication_of(session: Session, event: Any) -> dict[str, Any]:
    row = rows_of(session).get(publications, str(event.originator_id))
    if row is None:
        raise LookupError(f"No publication of inspection {event.originator_id} is recorded")
    return row


def _council_of(session: Session, event: Any) -> str:
    return str(_publication_of(session, event)["council"])


def _refresh_current(session: Session, council: str) -> None:
    """Note that the council's current ratings change; they are recomputed once per batch."""
    session.info.setdefault(REFRESH, set()).add(council)


def refresh_current_ratings(session: Session, councils: set[str]) -> None:
    """Recompute the councils' current ratings after publications, revisions or withdrawals."""
    for chunk in _chunks(sorted(councils)):
        pubs = session.execute(standing_candidates(None, None, chunk)).mappings()
        latest = latest_publications(list(pubs), None, None)
        ids = [row["inspection_id"] for row in latest.values()]
        changes = session.execute(
            select(grade_changes).where(grade_changes.c.inspection_id.in_(ids))
        ).mappings()
        found = standings(latest.values(), list(changes))
        session.execute(delete(current_ratings).where(current_ratings.c.council.in_(chunk)))
        rows = [
            {
                "council": council,
                "area": area,
                "grade": grade,
                "inspection_id": standing.inspection_id,
                "framework": standing.framework,
                "type": standing.type,
                "starts_on": standing.starts_on,
                "published_on": standing.published_on,
                "challenge_id": standing.revised_by.get(area),
            }
            for council, standing in found.items()
            for area, grade in standing.grades.items()
        ]
        if rows:
            session.execute(current_ratings.insert(), rows)


def _chunks(values: list[str], size: int = 500) -> list[list[str]]:
    return [values[i : i + size] for i in range(0, len(values), size)]
