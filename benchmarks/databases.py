"""Throw-away databases for a run: a SQLite file, or a database on the PostgreSQL server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from adapters.persistence import normalise_url

DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432/test"
BACKENDS = ("sqlite", "postgres")


def server_url() -> str:
    """Return the PostgreSQL server to create databases on: BENCH_POSTGRES_URL, DATABASE_URL."""
    given = os.environ.get("BENCH_POSTGRES_URL") or os.environ.get("DATABASE_URL", "")
    url = normalise_url(given)
    return url if url.startswith("postgresql") else normalise_url(DEFAULT_SERVER)


def postgres_available() -> bool:
    """Say whether the PostgreSQL server answers."""
    try:
        engine = create_engine(server_url(), connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:
        return False


@contextmanager
def database(backend: str, name: str, workdir: Path) -> Iterator[str]:
    """Yield the URL of a new, empty database; drop it afterwards."""
    if backend == "sqlite":
        path = workdir / f"{name}.sqlite"
        path.unlink(missing_ok=True)
        yield f"sqlite:///{path}"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    database_name = f"bench_{name}_{os.getpid()}"
    admin = create_engine(server_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{database_name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{database_name}"'))
    try:
        yield make_url(server_url()).set(database=database_name).render_as_string(False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{database_name}" WITH (FORCE)'))
        admin.dispose()
