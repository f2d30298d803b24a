"""Browser fixtures: the app served on 127.0.0.1 in a thread, Debian's Chromium, axe."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from tests.conftest import Clock
from tests.web.conftest import ACCOUNTS, PASSWORD, make_app

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def _browser_required() -> bool:
    return any(
        os.environ.get(v) for v in ("LEDGER_REQUIRE_BROWSER", "LEDGER_REQUIRE_POSTGRES", "CI")
    )


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium driven by Playwright; skipped only when absent outside CI."""
    if not Path(CHROMIUM).exists():
        if _browser_required():
            pytest.fail(f"{CHROMIUM} is required (LEDGER_REQUIRE_BROWSER or CI) but missing")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@dataclass
class Live:
    """The app as a browser reaches it."""

    app: Flask
    url: str
    clock: Clock


def serve(app: Flask) -> Iterator[str]:
    """Serve the app from a thread on a free port of 127.0.0.1; stop it afterwards."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture
def live(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Live]:
    """A fresh SQLite ledger with the staff accounts, served over HTTP, CSRF on."""
    monkeypatch.setenv("LEDGER_INLINE_PROJECTIONS", "1")
    clock = Clock(date(2025, 1, 6))
    app = make_app(f"sqlite:///{tmp_path / 'ledger.sqlite'}", clock, WTF_CSRF_ENABLED=True)
    identity = app.extensions["identity"]
    for username, name, role, organisation in ACCOUNTS.values():
        identity.add(username, name, role, organisation, PASSWORD)
    for url in serve(app):
        yield Live(app, url, clock)
    app.extensions["ledger_services"].close()
    identity.close()


@pytest.fixture
def page(browser: object, live: Live, tmp_path: Path) -> Iterator[object]:
    """A page in a fresh browser context; its last view is kept as last-page.png for a failure."""
    context = browser.new_context(base_url=live.url)  # type: ignore[attr-defined]
    page = context.new_page()
    page.set_default_timeout(15_000)
    refused: list[str] = []  # what the Content-Security-Policy blocked, as the console says
    page.on(
        "console",
        lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
    )
    yield page
    page.screenshot(path=str(tmp_path / "last-page.png"), full_page=True)
    context.close()
    assert refused == [], refused


def check_accessibility(page: object) -> None:
    """Fail with axe's report if the page breaks any WCAG 2.2 AA rule."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    assert results.violations_count == 0, results.generate_report()


def published_history(live: Live) -> None:
    """Register the councils and import Barnet's Good inspection of 2021."""
    from domain.events import JudgmentInput
    from tests.scenarios import ADMIN, BARNET, GOOD, register_councils

    ledger = live.app.extensions["ledger"]
    register_councils(ledger)
    judgments = [
        JudgmentInput(a, GOOD)
        for a in ("leaders", "help_and_protection", "children_in_care", "overall")
    ]
    ledger.import_published(
        ADMIN, BARNET, "standard", date(2021, 5, 10), date(2021, 6, 21), judgments
    )
