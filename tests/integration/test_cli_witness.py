"""`ledger witness` against a log served over HTTP: cosigns growth, exits 3 on a fork."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner

from adapters.signed_note import generate_key, open_note, parse_verifier_key
from adapters.tlog_cosignature import parse_cosigner_key, parse_cosigner_verifier_key
from adapters.witness_client import encode_hashes
from tests.merkle_reference import consistency, entries
from tests.unit.test_witness import LOG_VKEY, ORIGIN, Log
from web.cli import main


class Served:
    """The log the server shows: its leaves and the size of the checkpoint it serves."""

    def __init__(self) -> None:
        self.log, self.size, self.requests = Log(entries(20)), 5, []


@pytest.fixture
def served() -> Iterator[tuple[Served, str]]:
    shown = Served()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
            parts = urlsplit(self.path)
            shown.requests.append(self.path)
            if parts.path == "/api/v1/log/checkpoint":
                self._answer(shown.log.checkpoint(shown.size).encode(), "text/plain")
            elif parts.path == "/api/v1/log/proofs/consistency":
                query = parse_qs(parts.query)
                old, new = int(query["from"][0]), int(query["to"][0])
                hashes = encode_hashes(consistency(shown.log.leaves[:new], old))
                body = json.dumps({"from": old, "to": new, "hashes": hashes})
                self._answer(body.encode(), "application/json")
            else:
                self.send_error(404)

        def _answer(self, body: bytes, kind: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield shown, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def witness_key(tmp_path: Path) -> tuple[Path, str]:
    result = CliRunner().invoke(main, ["witness", "keygen", "witness.example/w1"])
    assert result.exit_code == 0, result.output
    signer_key, verifier_key = result.output.split()
    (tmp_path / "witness-key").write_text(signer_key + "\n")
    return tmp_path / "witness-key", verifier_key


def run(url: str, key: Path, state: Path, log_key: str = LOG_VKEY):
    args = ["witness", "--log-url", url, "--key", str(key), "--log-key", log_key]
    return CliRunner().invoke(main, [*args, "--state", str(state)])


def test_keygen_prints_a_matching_signer_and_verifier_key(witness_key) -> None:
    key_file, verifier_key = witness_key
    signer = parse_cosigner_key(key_file.read_text())
    assert signer.verifier() == parse_cosigner_verifier_key(verifier_key)
    assert verifier_key.startswith("witness.example/w1+")


def test_the_witness_prints_a_cosignature_of_each_consistent_checkpoint(
    served, witness_key, tmp_path: Path
) -> None:
    shown, url = served
    key_file, verifier_key = witness_key
    first = run(url, key_file, tmp_path / "state.json")
    assert first.exit_code == 0, first.output
    shown.size = 12
    second = run(url, key_file, tmp_path / "state.json")
    assert second.exit_code == 0, second.output
    assert "/api/v1/log/proofs/consistency?from=5&to=12" in shown.requests
    cosigned = shown.log.checkpoint(12) + second.output
    verifiers = [parse_verifier_key(LOG_VKEY), parse_cosigner_verifier_key(verifier_key)]
    assert [s.name for s in open_note(cosigned, verifiers).signatures] == [
        ORIGIN,
        "witness.example/w1",
    ]


def test_a_fork_exits_3_with_one_line_and_keeps_the_evidence(
    served, witness_key, tmp_path: Path
) -> None:
    shown, url = served
    key_file, _ = witness_key
    assert run(url, key_file, tmp_path / "state.json").exit_code == 0
    honest = shown.log.checkpoint(5)
    shown.log = Log([*entries(2), b"rewritten", *entries(20)[3:]])
    shown.size = 9
    result = run(url, key_file, tmp_path / "state.json")
    assert result.exit_code == 3
    assert result.output.count("\n") == 1
    assert "FORK of the log" in result.output
    (evidence,) = tmp_path.glob("state.json.fork-*.txt")
    assert honest in evidence.read_text()
    assert shown.log.checkpoint(9) in evidence.read_text()


def test_a_checkpoint_under_another_key_is_refused_in_one_line(
    served, witness_key, tmp_path: Path
) -> None:
    _, url = served
    key_file, _ = witness_key
    _, other_vkey = generate_key(ORIGIN)
    result = run(url, key_file, tmp_path / "state.json", other_vkey)
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert not (tmp_path / "state.json").exists()


def test_an_unreachable_log_and_missing_options_are_refused(witness_key, tmp_path: Path) -> None:
    key_file, _ = witness_key
    result = run("http://127.0.0.1:9/", key_file, tmp_path / "state.json")
    assert result.exit_code == 1
    assert "could not be reached" in result.output
    missing = CliRunner().invoke(main, ["witness", "--log-url", "http://x"])
    assert missing.exit_code == 2
    assert "--key, --log-key, --state" in missing.output


def test_the_log_key_can_be_given_as_a_file(served, witness_key, tmp_path: Path) -> None:
    _, url = served
    key_file, _ = witness_key
    (tmp_path / "log.vkey").write_text(LOG_VKEY + "\n")
    assert run(url, key_file, tmp_path / "state.json", str(tmp_path / "log.vkey")).exit_code == 0
