"""Fixtures for the JSON API: an app on a fresh database, accounts and tokens, a small client."""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.conftest import Clock
from tests.scenarios import BARKING, BARNET, register_councils
from web import create_app

# One account per role the permission matrix walks, named like the actors of tests/scenarios.py
ACCOUNTS = {
    "inspector": ("ian.inspector", "inspector", "OFSTED"),
    "moderator": ("mo.moderator", "moderator", "OFSTED"),
    "second_moderator": ("mo.second", "moderator", "OFSTED"),
    "cqc_inspector": ("cai.cqc", "inspector", "CQC"),
    "officer": (f"officer.{BARKING}", "council_officer", BARKING),
    "other_officer": (f"officer.{BARNET}", "council_officer", BARNET),
    "auditor": ("aud.itor", "auditor", "AUDIT"),
    "admin": ("ada.admin", "administrator", "LEDGER"),
    "third_moderator": ("mo.third", "moderator", "OFSTED"),
    "adjudicator": ("ida.adjudicator", "adjudicator", "ICASO"),
    "hmip_inspector": ("harri.hmip", "inspector", "HMIP"),
    "hmip_moderator": ("hemi.hmip", "moderator", "HMIP"),
}
_keys = itertools.count(1)


@dataclass
class Api:
    """The test client with a token per role; POSTs carry a fresh Idempotency-Key."""

    app: Flask
    client: FlaskClient
    tokens: dict[str, str]

    def headers(self, role: str | None, **extra: str) -> dict[str, str]:
        found = {"Authorization": f"Bearer {self.tokens[role]}"} if role else {}
        return found | {k.replace("_", "-"): v for k, v in extra.items()}

    def get(self, path: str, role: str | None = "auditor", **headers: str) -> TestResponse:
        return self.client.get("/api/v1" + path, headers=self.headers(role, **headers))

    def post(
        self,
        path: str,
        body: dict[str, Any] | None = None,
        role: str | None = "inspector",
        if_match: str | None = None,
        key: str | None = None,
        **headers: str,
    ) -> TestResponse:
        extra = dict(headers)
        if if_match is not None:
            extra["If_Match"] = if_match
        extra["Idempotency_Key"] = key or f"test-{next(_keys)}"
        return self.client.post(
            "/api/v1" + path, json=body or {}, headers=self.headers(role, **extra)
        )

    def put(
        self,
        path: str,
        body: dict[str, Any],
        role: str | None = "inspector",
        key: str | None = None,
    ) -> TestResponse:
        """PUT a whole representation (with a fresh Idempotency-Key, as every write has)."""
        headers = self.headers(role, Idempotency_Key=key or f"test-{next(_keys)}")
        return self.client.put("/api/v1" + path, json=body, headers=headers)

    def change(
        self, path: str, resource: str, body: dict[str, Any] | None = None, role: str = "inspector"
    ) -> TestResponse:
        """POST a change with If-Match set to the resource's current ETag."""
        tag = self.get(resource, role="auditor").headers["ETag"]
        return self.post(path, body, role=role, if_match=tag)

    @property
    def ledger(self) -> Any:
        return self.app.extensions["ledger"]


def make_api(url: str, clock: Clock, tokens: dict[str, str] | None = None) -> Iterator[Api]:
    """Yield the API on this database; without tokens, first add the accounts and councils."""
    app = create_app({"DATABASE_URL": url, "TESTING": True, "TODAY": clock, "SECRET_KEY": "t"})
    if tokens is None:
        tokens = {}
        for role, (username, kind, organisation) in ACCOUNTS.items():
            app.extensions["identity"].add(username, username, kind, organisation, "password")
            tokens[role] = app.extensions["api_tokens"].create(username, "tests")[1]
        register_councils(app.extensions["ledger"])
    yield Api(app, app.test_client(), tokens)
    for name in ("api_tokens", "api_idempotency", "identity", "ledger_services", "ledger_sessions"):
        app.extensions[name].close()


@pytest.fixture(autouse=True)
def inline_projections(monkeypatch: pytest.MonkeyPatch) -> None:
    """Read models catch up after each command on every backend, as on SQLite."""
    monkeypatch.setenv("LEDGER_INLINE_PROJECTIONS", "1")


@pytest.fixture(scope="session")
def template_database(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A SQLite file with the accounts, tokens and councils, made once (hashing is slow)."""
    path = tmp_path_factory.mktemp("api-template") / "api.sqlite"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LEDGER_INLINE_PROJECTIONS", "1")
        tokens = [api.tokens for api in make_api(f"sqlite:///{path}", Clock(date(2026, 11, 2)))]
    return path, tokens[0]  # the generator has run to its end: every engine is closed


@pytest.fixture
def api(
    tmp_path: Path, clock: Clock, template_database: tuple[Path, dict[str, str]]
) -> Iterator[Api]:
    """The API on a fresh SQLite file with three councils and a token per role."""
    template, tokens = template_database
    with (
        closing(sqlite3.connect(template)) as source,
        closing(sqlite3.connect(tmp_path / "api.sqlite")) as copy,
    ):
        source.backup(copy)  # a consistent copy, whatever is still in the write-ahead log
    yield from make_api(f"sqlite:///{tmp_path / 'api.sqlite'}", clock, tokens)


@pytest.fixture
def api_on_every_backend(database_url: str, clock: Clock) -> Iterator[Api]:
    """The same, on SQLite and then on PostgreSQL."""
    yield from make_api(database_url, clock)


def schedule_body(council: str = BARKING, starts_on: date = date(2026, 11, 23)) -> dict[str, Any]:
    return {"council": council, "type": "standard", "starts_on": starts_on.isoformat()}
