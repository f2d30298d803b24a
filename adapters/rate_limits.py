"""A `limits` storage in the ledger's own database, shared by every gunicorn worker.

Flask-Limiter keeps its counters in a `limits` storage; the library offers memory (one per
process, wrong under gunicorn), Redis, Memcached and MongoDB, but no SQL. This one keeps fixed
windows in a table: one row per key with its count and when its window ends, both moved in one
atomic upsert, on the application's clock (so tests move time instead of waiting).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from limits.storage import Storage
from sqlalchemy import Column, Float, Integer, MetaData, String, Table, case, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from adapters.persistence import release_engine, shared_engine

SCHEME = "ledger-database"
PRUNE_EVERY = 60.0  # seconds between deletions of windows that have ended
metadata = MetaData()
windows = Table(
    "ledger_rate_limits",
    metadata,
    Column("key", String(300), primary_key=True),
    Column("count", Integer, nullable=False),
    Column("expires_at", Float, nullable=False),
)


class DatabaseStorage(Storage):
    """Fixed-window counters in the ledger's database (SQLite or PostgreSQL)."""

    STORAGE_SCHEME = [SCHEME]

    def __init__(
        self,
        uri: str | None = None,
        wrap_exceptions: bool = False,
        url: str = "",
        now: Callable[[], float] = time.time,
        **options: Any,
    ) -> None:
        super().__init__(uri, wrap_exceptions, **options)
        self.engine: Engine = shared_engine(url)
        self.now = now
        self._pruned = 0.0
        metadata.create_all(self.engine)

    @property
    def base_exceptions(self) -> type[Exception]:
        return SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Add to the key's count, starting a new window if its last one has ended."""
        now = self.now()
        dialect = postgresql if self.engine.dialect.name == "postgresql" else sqlite
        ended = windows.c.expires_at <= now
        statement = dialect.insert(windows).values(key=key, count=amount, expires_at=now + expiry)
        statement = statement.on_conflict_do_update(
            index_elements=[windows.c.key],
            set_={
                "count": case((ended, amount), else_=windows.c.count + amount),
                "expires_at": case((ended, now + expiry), else_=windows.c.expires_at),
            },
        ).returning(windows.c.count)
        with self.engine.begin() as conn:
            count = int(conn.execute(statement).scalar_one())
            if now - self._pruned > PRUNE_EVERY:
                self._pruned = now
                conn.execute(windows.delete().where(ended))
        return count

    def get(self, key: str) -> int:
        """Return the key's count in its current window (0 when it has none)."""
        with self.engine.connect() as conn:
            found = conn.execute(
                select(windows.c.count).where(
                    (windows.c.key == key) & (windows.c.expires_at > self.now())
                )
            ).scalar()
        return int(found or 0)

    def get_expiry(self, key: str) -> float:
        """Return when the key's window ends (now, if it has none)."""
        now = self.now()
        with self.engine.connect() as conn:
            found = conn.execute(
                select(windows.c.expires_at).where(
                    (windows.c.key == key) & (windows.c.expires_at > now)
                )
            ).scalar()
        return float(found or now)

    def check(self) -> bool:
        """Say whether the database answers."""
        try:
            with self.engine.connect() as conn:
                conn.execute(select(1))
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        """Forget every counter."""
        with self.engine.begin() as conn:
            return int(conn.execute(windows.delete()).rowcount)

    def clear(self, key: str) -> None:
        """Forget one key's counter."""
        with self.engine.begin() as conn:
            conn.execute(windows.delete().where(windows.c.key == key))

    def close(self) -> None:
        release_engine(self.engine)
