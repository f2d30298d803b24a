"""Where the ledger is stored: a SQLite file by default, or the database DATABASE_URL names."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

DEFAULT_DATABASE_PATH = Path("instance") / "ledger.sqlite"


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
