"""Signed-in sessions kept in the ledger's database, so that they can be ended from the server.

The browser's cookie carries only a random session id; the table keeps its SHA-256 digest (as
for API tokens), so a copy of the table opens no session. A session ends when its person signs
out, when it has been idle too long or has lasted too long, or when every session of an account
is ended (a password change, a disabled account).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import (
    Column,
    DateTime,
    MetaData,
    String,
    Table,
    func,
    select,
    update,
)
from sqlalchemy.engine import Engine

from adapters.persistence import release_engine, shared_engine

TOUCH_EVERY = timedelta(seconds=60)  # how stale `last_seen_at` may be: one write a minute at most
metadata = MetaData()
sessions = Table(
    "ledger_sessions",
    metadata,
    Column("id_hash", String(64), primary_key=True),
    Column("username", String(100), nullable=False, index=True),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("last_seen_at", DateTime(timezone=True), nullable=False),
    Column("ended_at", DateTime(timezone=True), nullable=True),
)


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # SQLite drops the zone


class SessionStore:
    """Sessions with an idle timeout and an absolute lifetime, on the application's clock."""

    def __init__(
        self,
        url: str,
        now: Callable[[], datetime],
        idle: timedelta = timedelta(minutes=30),
        lifetime: timedelta = timedelta(hours=12),
    ) -> None:
        self.engine: Engine = shared_engine(url)
        self.now, self.idle, self.lifetime = now, idle, lifetime
        metadata.create_all(self.engine)

    def start(self, username: str) -> str:
        """Open a session for an account; return its id (given to the browser only)."""
        session_id, now = secrets.token_urlsafe(32), self.now()
        with self.engine.begin() as conn:
            conn.execute(
                sessions.insert().values(
                    id_hash=_digest(session_id),
                    username=username,
                    started_at=now,
                    last_seen_at=now,
                )
            )
        return session_id

    def find(self, session_id: str) -> str | None:
        """Return the username of a live session (and note it was used), else None."""
        key, now = _digest(session_id), self.now()
        with self.engine.connect() as conn:
            row = conn.execute(select(sessions).where(sessions.c.id_hash == key)).first()
        if row is None or row.ended_at is not None:
            return None
        last_seen = _utc(row.last_seen_at)
        if now - last_seen > self.idle or now - _utc(row.started_at) > self.lifetime:
            self._end(sessions.c.id_hash == key, now)
            return None
        if now - last_seen >= TOUCH_EVERY:
            with self.engine.begin() as conn:
                conn.execute(
                    update(sessions).where(sessions.c.id_hash == key).values(last_seen_at=now)
                )
        return str(row.username)

    def end(self, session_id: str) -> None:
        """End one session (signing out)."""
        self._end(sessions.c.id_hash == _digest(session_id), self.now())

    def end_sessions_of(self, username: str, keep: str | None = None) -> int:
        """End every live session of an account (but the one `keep` names, if given)."""
        which = sessions.c.username == username
        if keep is not None:
            which = which & (sessions.c.id_hash != _digest(keep))
        return self._end(which, self.now())

    def last_sign_in(self, username: str) -> datetime | None:
        """Return when the account last signed in, if ever."""
        with self.engine.connect() as conn:
            found = conn.execute(
                select(sessions.c.started_at)
                .where(sessions.c.username == username)
                .order_by(sessions.c.started_at.desc())
                .limit(1)
            ).scalar()
        return None if found is None else _utc(found)

    def last_sign_ins(self) -> dict[str, datetime]:
        """Return when each account last signed in, by username."""
        latest = func.max(sessions.c.started_at)
        with self.engine.connect() as conn:
            rows = conn.execute(select(sessions.c.username, latest).group_by(sessions.c.username))
            return {username: _utc(at) for username, at in rows}

    def _end(self, which, now: datetime) -> int:  # type: ignore[no-untyped-def]
        with self.engine.begin() as conn:
            ended = conn.execute(
                update(sessions).where(which & sessions.c.ended_at.is_(None)).values(ended_at=now)
            )
        return int(ended.rowcount)

    def close(self) -> None:
        release_engine(self.engine)
