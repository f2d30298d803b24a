"""Shared fixtures: actors, a settable clock, and a ledger on every backend that answers."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from adapters.persistence import is_postgres, ledger_env, normalise_url
from adapters.personal_data import KeyVault, master_key
from domain.actors import Actor
from domain.services import Ledger

# The tests sign moderators and administrators in with a password, as the demo does; the tests
# of two-factor sign-in ask for the requirement themselves (REQUIRE_2FA_ROLES, load_security).
# Set here, before any app is made, it reaches the gunicorn workers of the fault tests too.
os.environ["LEDGER_REQUIRE_2FA_ROLES"] = ""

LOCAL_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
TEST_DATABASE = f"ledger_test_{os.getpid()}"


class Clock:
    """A clock the test sets: `clock.day = date(...)`."""

    def __init__(self, day: date) -> None:
        self.day = day

    def __call__(self) -> date:
        return self.day

    def advance_to(self, day: date) -> None:
        self.day = day


def _server_url() -> str | None:
    given = os.environ.get("DATABASE_URL", "")
    candidates = [normalise_url(given)] if is_postgres(normalise_url(given)) else [LOCAL_POSTGRES]
    for url in candidates:
        try:
            engine = create_engine(url, connect_args={"connect_timeout": 3})
            with engine.connect():
                pass
            engine.dispose()
            return url
        except Exception:
            continue
    return None


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """Create a database for this test run on the PostgreSQL server, and drop it after."""
    server = _server_url()
    if server is None:
        if os.environ.get("LEDGER_REQUIRE_POSTGRES"):
            pytest.fail("PostgreSQL is required (LEDGER_REQUIRE_POSTGRES) but did not answer")
        pytest.skip("no PostgreSQL server answered; set DATABASE_URL to run these tests")
    admin = create_engine(server, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{TEST_DATABASE}"'))
        conn.execute(text(f'CREATE DATABASE "{TEST_DATABASE}"'))
    yield make_url(server).set(database=TEST_DATABASE).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{TEST_DATABASE}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def fresh_postgres_database(postgres_url: str):
    """Return a maker of extra, empty databases on the test server (dropped at the end)."""
    made: list[str] = []
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)

    def make(suffix: str) -> str:
        name = f"{TEST_DATABASE}_{suffix}"
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        made.append(name)
        return make_url(postgres_url).set(database=name).render_as_string(hide_password=False)

    yield make
    with admin.connect() as conn:
        for name in made:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _empty_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        tables = (
            conn.execute(  # the read models' shapes stay: their tables are made once a run
                text(
                    "SELECT tablename FROM pg_tables"
                    " WHERE schemaname = 'public' AND tablename <> 'rm_shapes'"
                )
            )
            .scalars()
            .all()
        )
        if tables:
            conn.execute(
                text(
                    "TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"
                )
            )
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database: a SQLite file, then the PostgreSQL test database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ledger.sqlite'}"
    url: str = request.getfixturevalue("postgres_url")
    _empty_postgres(url)
    return url


@pytest.fixture
def clock() -> Clock:
    return Clock(date(2026, 11, 2))


@pytest.fixture
def ledger(database_url: str, clock: Clock) -> Iterator[Ledger]:
    app = Ledger(env=ledger_env(database_url), today=clock)
    engine = app.recorder.datastore.engine  # type: ignore[attr-defined]
    app.personal_data = KeyVault(database_url, master_key(), engine)  # as build_ledger wires it
    yield app
    app.close()


@pytest.fixture
def admin() -> Actor:
    return Actor("ada.admin", "administrator", "LEDGER")


@pytest.fixture
def inspector() -> Actor:
    return Actor("ian.inspector", "inspector", "OFSTED")


@pytest.fixture
def moderator() -> Actor:
    return Actor("mo.moderator", "moderator", "OFSTED")


@pytest.fixture
def officer() -> Actor:
    return Actor("olu.officer", "council_officer", "E09000002")


@pytest.fixture
def auditor() -> Actor:
    return Actor("aud.itor", "auditor", "AUDIT")
