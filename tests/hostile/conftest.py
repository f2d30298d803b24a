"""The production shape on PostgreSQL for hostile-input tests: gunicorn, a follower, a story."""

from __future__ import annotations

import contextlib
import http.client
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from adapters.audit import verify
from adapters.persistence import ledger_env
from benchmarks.serving import Server, api_token, follower, wait_until
from domain.services import Ledger
from projections.runner import ReadModels
from tests.api.conftest import ACCOUNTS
from tests.conftest import Clock
from tests.scenarios import BARNET, INSPECTOR, Story, tell_story

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


@dataclass
class Answer:
    status: int
    body: str


@dataclass
class Deployment:
    url: str
    base: str
    ledger: Ledger
    story: Story
    on_site: str  # Barnet's inspection, fieldwork under way
    tokens: dict[str, str]
    follower_alive: Callable[[], bool]
    answers: list[tuple[str, int]] = field(default_factory=list)

    def send(
        self,
        method: str,
        path: str,
        data: bytes | None = None,
        role: str | None = "moderator",
        **headers: str,
    ) -> Answer:
        """Send bytes as they are, as the role; remember the status.

        A server may answer a body over its limit (413) before reading it all: the answer is
        read even when sending the rest of the body failed."""
        sent = {"Content-Type": "application/json", **headers}
        if role:
            sent["Authorization"] = f"Bearer {self.tokens[role]}"
        connection = http.client.HTTPConnection(urlsplit(self.base).netloc, timeout=60)
        try:
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                connection.request(method, path, data, sent)
            response = connection.getresponse()
            answer = Answer(response.status, response.read().decode())
        finally:
            connection.close()
        self.answers.append((f"{method} {path}", answer.status))
        return answer

    def post(self, path: str, body: Any, role: str = "moderator", **headers: str) -> Answer:
        data = json.dumps(body).encode()  # ensure_ascii: a lone surrogate is sent as \ud800
        return self.send("POST", path, data, role, **headers)

    def server_errors(self) -> list[tuple[str, int]]:
        return [(what, status) for what, status in self.answers if status >= 500]

    def assert_ledger_intact(self) -> None:
        """The follower is alive, every read model has caught up, and the log verifies."""
        assert self.follower_alive(), "the follower stopped"
        models = ReadModels(self.url)
        try:
            assert models.halts() == {}, models.halts()
            wait_until(lambda: all(s.lag == 0 for s in models.status(self.ledger)), seconds=90)
        finally:
            models.close()
        result = verify(self.ledger.recorder)
        assert result.ok, result.problem and result.problem.describe()


@pytest.fixture(scope="module")
def deployment(
    fresh_postgres_database: Callable[[str], str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Deployment]:
    """A story on PostgreSQL served by gunicorn (no inline catch-up) with a follower running."""
    url = fresh_postgres_database("hostile")
    clock = Clock(date(2025, 1, 6))
    ledger = Ledger(env=ledger_env(url), today=clock)
    story = tell_story(ledger, clock)
    clock.advance_to(date(2026, 11, 2))
    on_site = ledger.schedule_inspection(INSPECTOR, BARNET, "standard", date(2026, 11, 23))
    clock.advance_to(date(2026, 11, 23))
    ledger.start_on_site(INSPECTOR, on_site)
    tokens = {role: api_token(url, *account) for role, account in ACCOUNTS.items()}
    env = {"LEDGER_INLINE_PROJECTIONS": "0", "LEDGER_LOG_FORMAT": "text"}
    with follower(url) as process:
        server = Server(url, Path(tmp_path_factory.mktemp("hostile")), 2, env)
        try:
            yield Deployment(
                url,
                server.base,
                ledger,
                story,
                str(on_site),
                tokens,
                lambda: process.poll() is None,
            )
        finally:
            server.stop()
            ledger.close()
