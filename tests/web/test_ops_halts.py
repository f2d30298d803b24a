"""What an operator sees of a halted read model (readiness, metrics, status) and how it resumes."""

from __future__ import annotations

import json

from click.testing import CliRunner

from tests.integration.test_halts import FAULT, cannot_apply
from tests.scenarios import ADMIN, BARKING
from web.cli import main


def halt_councils(pages, monkeypatch) -> int:
    """Make the councils read model fail on the next event, record one; return its id."""
    services = pages.app.extensions["ledger_services"]
    cannot_apply(monkeypatch, services.read_models.projections["councils"], object)
    services.ledger.record_intervention(ADMIN, BARKING, "intervention_ended", pages.clock.day, "")
    return int(services.ledger.recorder.max_notification_id())


def ledger_cli(pages, *args: str) -> str:
    url = pages.app.config["DATABASE_URL"]
    result = CliRunner().invoke(main, list(args), env={"DATABASE_URL": url})
    assert result.exit_code == 0, result.output
    return result.output


def test_not_ready_while_a_read_model_is_halted_naming_it_the_event_and_the_error(
    pages, monkeypatch
):
    event = halt_councils(pages, monkeypatch)
    response = pages.get("/readyz")
    assert response.status_code == 503 and response.json["status"] == "halted"
    [halt] = response.json["halted"]
    assert (halt["projection"], halt["notification_id"]) == ("councils", event)
    assert halt["error"] == f"RuntimeError: {FAULT}" and halt["topic"].endswith("Recorded")
    assert response.json["projection_lag"]["ratings"] == 0  # the others carried on


def halted_metrics(pages) -> dict[str, str]:
    """Return the halted gauge's lines that are 1, and those that are 0."""
    lines = [line for line in pages.get("/metrics").text.splitlines() if "_halted{" in line]
    return {value: line for line in lines for value in [line.rsplit(" ", 1)[1]]}


def test_metrics_name_a_halted_read_model_until_it_resumes(pages, monkeypatch):
    event = halt_councils(pages, monkeypatch)
    shown = halted_metrics(pages)["1.0"]
    assert 'projection="councils"' in shown and f'notification_id="{event}"' in shown
    assert f'error="RuntimeError: {FAULT}"' in shown
    monkeypatch.undo()  # the code is fixed
    assert "Resumed councils" in ledger_cli(pages, "projections", "resume", "councils")
    assert pages.get("/readyz").status_code == 200
    assert halted_metrics(pages) == {"0.0": shown.replace(" 1.0", " 0.0")}


def test_projections_status_names_the_halted_read_model_the_event_and_the_error(pages, monkeypatch):
    event = halt_councils(pages, monkeypatch)
    text = ledger_cli(pages, "projections", "status")
    assert f"HALTED at event {event}" in text and f"RuntimeError: {FAULT}" in text
    rows = {r["name"]: r for r in json.loads(ledger_cli(pages, "projections", "status", "--json"))}
    assert rows["councils"]["halted"]["notification_id"] == event
    assert rows["councils"]["halted"]["error"] == f"RuntimeError: {FAULT}"
    assert rows["ratings"]["halted"] is None and rows["ratings"]["lag"] == 0
