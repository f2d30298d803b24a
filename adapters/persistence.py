"""Where the ledger is stored: a SQLite file by default, or the database DATABASE_URL names."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from threading import Lock, Semaphore
from typing import Any

from eventsourcing_sqlalchemy.datastore import SQLAlchemyDatastore
from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import StaticPool

DEFAULT_DATABASE_PATH = Path("instance") / "ledger.sqlite"
POOL_SIZE = 8  # connections a process keeps open: a gunicorn worker's threads (web/server.py)
_engines: dict[tuple[int, str], Engine] = {}
_engines_lock = Lock()


def database_url(environ: os._Environ[str] | dict[str, str] | None = None) -> str:
    """Return the SQLAlchemy URL of the ledger's database."""
    environ = os.environ if environ is None else environ
    url = environ.get("DATABASE_URL", "").strip()
    if not url:
        DEFAULT_DATABASE_PATH.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{DEFAULT_DATABASE_PATH.resolve()}"
    return normalise_url(url)


def normalise_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs written the usual way."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def is_postgres(url: str) -> bool:
    """Say whether the URL names a PostgreSQL database."""
    return url.startswith("postgresql")


def pool_size(environ: Mapping[str, str] | None = None) -> int:
    """Return how many connections a process keeps open (LEDGER_DB_POOL_SIZE, else 8)."""
    setting = (os.environ if environ is None else environ).get("LEDGER_DB_POOL_SIZE", "")
    return max(int(setting), 1) if setting.strip() else POOL_SIZE


def _engine_options(url: str) -> dict[str, Any]:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        size = pool_size()  # as many again for a request that holds two at once, then closed
        return {"pool_size": size, "max_overflow": size}
    if parsed.database in (None, "", ":memory:") or "mode=memory" in url:
        return {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
    return {}


def shared_engine(url: str) -> Engine:
    """Return this process's one engine on the database at the URL, made on first use.

    Every store of a process (the log, the read models, accounts, tokens, sessions,
    throttling, idempotency keys) takes its connections from this engine's one pool, so a
    process holds at most `pool_size()` connections open (twice that while busy) whatever the
    number of stores. A forked process makes its own: connections are never shared across one.
    """
    key = (os.getpid(), url)
    with _engines_lock:
        engine = _engines.get(key)
        if engine is None:
            engine = _engines[key] = create_engine(url, **_engine_options(url))
            if engine.dialect.name == "sqlite":
                event.listen(engine, "connect", _temporary_in_memory)
        return engine


def _temporary_in_memory(dbapi_connection: Any, _: Any) -> None:
    """Keep SQLite's temporary files in memory: a savepoint's journal (the original of each
    page first written within it) spills to a new temporary file past 64 KiB, and the read
    models kept inline write about 90 KiB of pages in theirs at every append: a file created,
    written and deleted per command, about a third of the CPU of their last statements."""
    dbapi_connection.execute("PRAGMA temp_store = MEMORY")


def release_engine(engine: Engine) -> None:
    """Close the engine's connections; the next store on its URL gets a new engine."""
    engine.dispose()
    with _engines_lock:
        for key in [k for k, e in _engines.items() if e is engine]:
            del _engines[key]


@contextmanager
def single_statements(engine: Engine) -> Iterator[Connection]:
    """Open a connection whose every statement is a transaction of its own (autocommit): one
    round trip to the server per statement, where a transaction takes three (BEGIN, the
    statement, COMMIT or ROLLBACK). For reads, and for writes of one statement: at PostgreSQL's
    READ COMMITTED each statement reads its own snapshot either way."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        yield conn


class SharedDatastore(SQLAlchemyDatastore):
    """eventsourcing-sqlalchemy's datastore on the process's shared engine for its URL (the
    log and every read model's view), with the same SQLite locks as its own engine gets."""

    def __init__(self, *, url: str | None = None, autoflush: bool = True, **given: Any) -> None:
        if not url or any(value is not None for value in given.values()):
            super().__init__(url=url, autoflush=autoflush, **given)  # a session or a creator
            return
        engine = shared_engine(url)
        super().__init__(session_maker=sessionmaker(bind=engine, autoflush=autoflush))
        if engine.dialect.name == "sqlite":
            self.is_sqlite_in_memory_db = isinstance(engine.pool, StaticPool)
            self.is_sqlite_filedb = not self.is_sqlite_in_memory_db
            if self.is_sqlite_in_memory_db:
                self.access_lock = Semaphore()
            else:
                self.write_lock = Semaphore()


def ledger_env(url: str) -> dict[str, str]:
    """Return the eventsourcing settings that store the ledger at this URL."""
    return {
        "PERSISTENCE_MODULE": "adapters.hash_chain:ChainedFactory",
        "SQLALCHEMY_URL": url,
        "AGGREGATE_CACHE_MAXSIZE": "2000",
    }


def kept_secret(path: Path, make: Callable[[], str]) -> str:
    """Return the secret kept in `path` (stripped), writing `make()` there first, readable by
    its owner only, if there is none; two processes starting at once keep the same one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(descriptor, "w") as handle:
            handle.write(make())
    return path.read_text().strip()


def add_missing_columns(connection: Connection, table: str, columns: Mapping[str, str]) -> None:
    """Add to a table made by an earlier version the columns (name: SQL type) it lacks."""
    present = {c["name"] for c in inspect(connection).get_columns(table)}
    for name, kind in columns.items():
        if name not in present:
            connection.execute(text(f"ALTER TABLE {table} ADD COLUMN {name} {kind}"))
