"""`ledger tokens create|list|revoke`: a token is shown once, stored hashed, and revocable."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import create_engine, text

from adapters.identity import IdentityStore
from adapters.tokens import TokenStore, token_hash
from web.cli import main


def run(url: str, *args: str):
    return CliRunner().invoke(main, ["tokens", *args], env={"DATABASE_URL": url})


def test_a_token_is_printed_once_stored_hashed_listed_and_revoked(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ledger.sqlite'}"
    IdentityStore(url).add("ian.inspector", "Ian", "inspector", "OFSTED", "a-password")

    created = run(url, "create", "ian.inspector", "--label", "case system")
    token = created.output.splitlines()[-1]
    token_id = created.output.split()[1]

    assert created.exit_code == 0 and token.startswith("ledger_")
    with create_engine(url).connect() as conn:
        stored = conn.execute(text("SELECT token_hash FROM ledger_api_tokens")).scalar_one()
    assert stored == token_hash(token) and token not in stored
    listed = run(url, "list")
    assert token_id in listed.output and "live" in listed.output and token not in listed.output
    assert run(url, "revoke", token_id).exit_code == 0
    assert "revoked" in run(url, "list").output
    assert TokenStore(url, IdentityStore(url)).account_for(token) is None


def test_a_token_for_an_unknown_account_is_refused_in_one_line(tmp_path: Path) -> None:
    result = run(f"sqlite:///{tmp_path / 'ledger.sqlite'}", "create", "nobody")

    assert result.exit_code == 1 and result.output == "Error: No account is called 'nobody'\n"


def test_revoking_twice_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ledger.sqlite'}"
    IdentityStore(url).add("aud.itor", "Aud", "auditor", "AUDIT", "a-password")
    token_id = run(url, "create", "aud.itor").output.split()[1]
    run(url, "revoke", token_id)

    assert run(url, "revoke", token_id).exit_code == 1
