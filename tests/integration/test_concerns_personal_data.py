"""Personal data of concerns on both backends: never in the database's bytes, erased by key."""

from __future__ import annotations

import io
import json
from pathlib import Path
from uuid import uuid4

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text

from adapters.audit_export import export
from adapters.personal_data import KeyVault, master_key
from domain.actors import Actor
from domain.commands.concerns import RaisedConcern
from domain.errors import NotFound
from domain.personal_data import ERASED
from projections.concerns import concern_rows
from tests.integration.test_projections import snapshot
from tests.scenarios import BARKING
from web.cli import main

INSPECTOR = Actor("ian.inspector", "inspector", "OFSTED")
MODERATOR = Actor("mo.moderator", "moderator", "OFSTED")


@pytest.fixture
def secrets():
    """Plain text no other test writes, so finding it anywhere means it leaked."""
    tag = uuid4().hex[:12]
    return {
        "name": f"Persephone Quill {tag}",
        "email": f"persephone.{tag}@example.org",
        "concern": f"The night staff at the home lock the children in {tag}",
    }


def raise_one(services, secrets, relationship="staff_whistleblower"):
    raised = RaisedConcern(BARKING, "", relationship, **secrets)
    return services.ledger.raise_concern(raised)


def database_bytes(url: str) -> bytes:
    """Every byte the database holds: the SQLite file and its WAL, or every PostgreSQL row."""
    if url.startswith("sqlite"):
        path = Path(url.removeprefix("sqlite:///"))
        return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as conn:
        tables = conn.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        ).scalars()
        values = [
            value if isinstance(value, bytes) else str(value).encode()  # event state: bytea
            for table in list(tables)
            for row in conn.execute(text(f'SELECT * FROM "{table}"'))
            for value in row
        ]
    engine.dispose()
    return b"\n".join(values)


def leaked(found: bytes, secrets: dict[str, str]) -> list[str]:
    return [v for v in secrets.values() if v.encode() in found or v.lower().encode() in found]


def test_personal_data_never_appears_in_the_databases_bytes(services, secrets, database_url):
    concern_id = raise_one(services, secrets)
    opened = services.ledger.concern(INSPECTOR, concern_id)
    assert (opened.name, opened.email, opened.text) == tuple(secrets.values())
    services.ledger.acknowledge_concern(INSPECTOR, concern_id)
    found = database_bytes(database_url)
    assert b"enc:v1:" in found  # the sealed values are there to be seen, the plain text not
    assert leaked(found, secrets) == []


def test_the_read_model_holds_only_sealed_values(services, secrets, clock):
    raise_one(services, secrets)
    with services.read_models.engine.connect() as conn:
        (row,) = concern_rows(conn, "OFSTED", clock())
    assert row["name"].startswith("enc:v1:") and row["text"].startswith("enc:v1:")
    assert row["whistleblowing"] and not row["overdue"]


def test_erasure_leaves_the_data_unreadable_and_the_log_verifying(services, secrets, database_url):
    concern_id = raise_one(services, secrets)
    sealed = services.ledger.concern(INSPECTOR, concern_id).concern.text
    result = CliRunner().invoke(
        main,
        ["concerns", "erase", str(concern_id), "--reason", "The person asked us to"],
        env={"DATABASE_URL": database_url},
    )
    assert result.exit_code == 0, result.output
    opened = services.ledger.concern(INSPECTOR, concern_id)
    assert (opened.name, opened.email, opened.text, opened.erased) == (ERASED,) * 3 + (True,)
    other = KeyVault(database_url, master_key())  # even reading the log's own ciphertext
    assert other.open(sealed) == ERASED
    other.close()
    erased = services.ledger.events_of(concern_id)[-1]
    assert (erased.reason, erased.actor.role) == ("The person asked us to", "administrator")
    verified = CliRunner().invoke(main, ["audit", "verify"], env={"DATABASE_URL": database_url})
    assert verified.exit_code == 0, verified.output
    assert leaked(database_bytes(database_url), secrets) == []


def test_the_audit_export_carries_ciphertext_only(services, secrets):
    concern_id = raise_one(services, secrets)
    out = io.StringIO()
    export(services.ledger.recorder, out)
    assert str(concern_id) in out.getvalue()
    assert leaked(out.getvalue().encode(), secrets) == []
    assert leaked(json.dumps(out.getvalue()).encode(), secrets) == []


def test_concerns_closed_past_the_retention_period_are_erased(
    services, secrets, database_url, clock
):
    from datetime import date

    clock.advance_to(date(2025, 1, 6))
    old = raise_one(services, secrets)
    services.ledger.acknowledge_concern(INSPECTOR, old)
    services.ledger.close_concern(INSPECTOR, old, "no_further_action")
    recent = raise_one(services, secrets, "parent_or_carer")
    result = CliRunner().invoke(
        main,
        ["concerns", "erase-expired"],
        env={"DATABASE_URL": database_url, "LEDGER_CONCERN_RETENTION_DAYS": "30"},
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Erased 1 concerns")
    assert services.ledger.concern(INSPECTOR, old).erased
    assert not services.ledger.concern(INSPECTOR, recent).erased


def test_the_erase_command_refuses_an_unknown_id_in_one_line(database_url, services):
    result = CliRunner().invoke(
        main, ["concerns", "erase", "nonsense", "--reason", "x"], env={"DATABASE_URL": database_url}
    )
    assert result.exit_code == 1 and result.output.strip().startswith("Error:")


def test_a_council_officer_or_partner_finds_no_concern(services, secrets):
    concern_id = raise_one(services, secrets)
    for actor in (
        Actor("olu.officer", "council_officer", BARKING),
        Actor("cai.cqc", "inspector", "CQC"),
    ):
        with pytest.raises(NotFound):
            services.ledger.concern(actor, concern_id)
        with pytest.raises(NotFound):
            services.ledger.readable_events(actor, concern_id)


def test_the_rebuilt_concerns_read_model_equals_the_live_one(services, secrets):
    kept = raise_one(services, secrets)
    services.ledger.acknowledge_concern(INSPECTOR, kept)
    services.ledger.assess_concern(INSPECTOR, kept, "high")
    erased = raise_one(services, secrets, "parent_or_carer")
    services.ledger.erase_concern(MODERATOR, erased, "Asked")
    live = snapshot(services.read_models)
    assert len(live["rm_concerns"]) == 2
    services.read_models.rebuild(services.ledger, ["concerns"])
    assert snapshot(services.read_models) == live
