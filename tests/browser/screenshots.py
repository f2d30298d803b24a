"""Take the README's screenshots: the demo data, a live inspection taken through its stages.

Run `make screenshots` (or `python -m tests.browser.screenshots docs/screenshots`). Uses a
throw-away SQLite ledger with `ledger seed-demo`'s data, served on 127.0.0.1, and Chromium.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from domain.actors import Actor
from domain.events import JudgmentInput, Narrative
from domain.inspection import DEMONSTRATION
from tests.browser.conftest import ARGS, CHROMIUM, serve
from tests.conftest import Clock
from web import create_app
from web.demo import DEMO_PASSWORD, seed

BARKING, CAMDEN = "E09000002", "E09000007"
INSPECTOR = Actor("ofsted.inspector", "inspector", "OFSTED")
MODERATOR = Actor("ofsted.moderator", "moderator", "OFSTED")
OFFICER = Actor("barking.officer", "council_officer", BARKING)
RI, GOOD = "Requires improvement to be good", "Good"


def _judgments(grades: dict[str, str]) -> list[JudgmentInput]:
    return [
        JudgmentInput(
            area, grade, Narrative(recommendations=[f"Improve: {area.replace('_', ' ')}"])
        )
        for area, grade in grades.items()
    ]


def _demo(ledger: Any, council: str, status: str) -> Any:
    """The demo's own inspection of a council at a stage (never the published record's)."""
    return next(
        i.id
        for i in ledger.inspections_of(INSPECTOR, council)
        if i.source == DEMONSTRATION and i.status == status
    )


def tell(ledger: Any, clock: Clock) -> dict[str, Any]:
    """Take Barking's demo draft to publication, with a challenge upheld and a plan; Camden's
    demo inspection is on site, for its judgments."""
    barking = _demo(ledger, BARKING, "draft issued")
    ledger.comment_on_draft(OFFICER, barking, "Paragraph 12 names the wrong service", complete=True)
    ledger.issue_final_report(MODERATOR, barking)
    challenge = ledger.lodge_challenge(
        OFFICER,
        barking,
        "judgment",
        "children_in_care",
        "Our audit of 40 placements shows consistent practice",
        ["Placement audit 2025"],
    )
    ledger.decide_challenge(
        MODERATOR,
        challenge,
        "upheld",
        "The placement audit supports Good",
        ["Placement audit"],
        revisions={"children_in_care": GOOD},
    )
    clock.advance_to(clock.day + timedelta(days=7))
    ledger.publish(MODERATOR, barking)
    ledger.submit_action_plan(
        OFFICER, barking, "Consistent supervision across every team by summer"
    )
    action = ledger.add_action(
        OFFICER,
        barking,
        "leaders",
        "Improve: leaders",
        "Monthly audit of supervision",
        "Head of service",
        clock.day + timedelta(days=90),
    )
    ledger.update_action_progress(OFFICER, barking, action, "First audit done", ["Audit report"])
    camden = _demo(ledger, CAMDEN, "on site")
    return {"barking": barking, "challenge": challenge, "camden": camden}


def _sign_in(page: Any, username: str) -> None:
    page.goto("/sign-out")
    if page.get_by_role("button", name="Sign out").count():
        page.locator("main").get_by_role("button", name="Sign out").click()
    page.goto("/sign-in")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def shoot(page: Any, folder: Path, ids: dict[str, Any]) -> list[str]:
    """Visit each main page as the person who uses it; save a PNG of each."""
    taken: list[str] = []

    def snap(name: str, path: str | None = None) -> None:
        if path:
            page.goto(path)
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
        taken.append(name)

    snap("01-public-ratings", "/?region=London")
    snap("02-council-history", f"/councils/{BARKING}")
    snap("03-sign-in", "/sign-in")
    _sign_in(page, "ofsted.inspector")
    snap("04-inspectorate-work-list", "/work")
    snap("05-schedule-proposal", f"/inspections/new?council={CAMDEN}")
    page.goto(f"/inspections/{ids['camden']}/judgments")
    for field, grade in (
        ("leaders", GOOD),
        ("help_and_protection", RI),
        ("children_in_care", GOOD),
        ("care_leavers", GOOD),
    ):
        page.locator(f"#grade_{field}").select_option(grade)
    page.get_by_role("button", name="Continue").click()
    snap("06-check-your-answers")
    page.get_by_role("button", name="Confirm and submit").click()
    snap("07-judgments-recorded")
    snap("08-inspection-workspace", f"/inspections/{ids['barking']}")
    _sign_in(page, "barking.officer")
    snap("09-council-work-list", "/work")
    snap("10-action-plan-task-list", f"/inspections/{ids['barking']}/action-plan")
    snap("11-challenge", f"/challenges/{ids['challenge']}")
    _sign_in(page, "auditor")
    snap("12-auditor-timeline", f"/audit/inspection/{ids['barking']}")
    snap("13-auditor-ratings-on-a-date", f"/audit/ratings?council={BARKING}&on=1&on=6&on=2021")
    snap("14-disputed-judgments", "/audit/disputes")
    snap("15-not-found", "/no-such-page")
    return taken


def main(folder: Path) -> None:
    from playwright.sync_api import sync_playwright

    folder.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp())
    clock = Clock(date(2026, 11, 2))  # the demo's live work is judged under ILACS 2026
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{work / 'demo.sqlite'}",
            "TODAY": clock,
            "SECRET_KEY": "screenshots",
        }
    )
    for line in seed(app.extensions["ledger"], identity=app.extensions["identity"]):
        print(line)
    ids = tell(app.extensions["ledger"], clock)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for url in serve(app):
            page = browser.new_page(base_url=url, viewport={"width": 1100, "height": 900})
            for name in shoot(page, folder, ids):
                print(f"{folder / name}.png")
        browser.close()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
