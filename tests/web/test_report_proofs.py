"""A published report's page offers the proof that its publication is in the log, checked offline."""

from __future__ import annotations

import base64
import json
from uuid import uuid4

import pytest
from click.testing import CliRunner

from adapters.proof_bundle import BundleRefused, check_bundle
from adapters.signed_note import parse_verifier_key
from tests.web.conftest import drafted_inspection
from tests.web.test_hidden_records_pages import same_page
from web.cli import main


def verifier(pages):
    return pages.get("/api/v1/log/key").text.strip()


def test_a_published_report_links_its_proof_and_the_log_s_key(pages):
    page = pages.get(f"/reports/{pages.story.revised}").text
    assert f'href="/reports/{pages.story.revised}/proof"' in page
    assert "Download the proof that this report is in the log" in page
    assert 'href="/api/v1/log/key"' in page and "How to check the proof" in page


def test_the_downloaded_proof_checks_offline_with_the_log_s_key(pages, tmp_path):
    response = pages.get(f"/reports/{pages.story.revised}/proof")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    key = verifier(pages)
    proved = check_bundle(response.text, parse_verifier_key(key))
    assert str(pages.story.revised).encode() in proved.entry
    assert "Published), leaf hash" in proved.describe()
    bundle = tmp_path / "report-proof.json"
    bundle.write_text(response.text)
    result = CliRunner().invoke(main, ["audit", "check", str(bundle), "--key", key], env={})
    assert result.exit_code == 0 and result.output.startswith("Proved: entry ")
    assert "Published" in result.output


def test_a_tampered_proof_fails(pages, tmp_path):
    found = json.loads(pages.get(f"/reports/{pages.story.revised}/proof").text)
    entry = bytearray(base64.b64decode(found["entry"]))
    entry[-1] ^= 1
    altered = json.dumps({**found, "entry": base64.b64encode(bytes(entry)).decode()})
    with pytest.raises(BundleRefused, match="does not lead to the checkpoint's root"):
        check_bundle(altered, parse_verifier_key(verifier(pages)))
    bundle = tmp_path / "altered.json"
    bundle.write_text(altered)
    result = CliRunner().invoke(main, ["audit", "check", str(bundle), "--key", verifier(pages)])
    assert result.exit_code == 1 and "does not lead to the checkpoint's root" in result.output


def test_a_draft_has_no_proof_and_answers_as_an_absent_report(pages):
    draft, absent = drafted_inspection(pages), uuid4()
    hidden, missing = pages.get(f"/reports/{draft}/proof"), pages.get(f"/reports/{absent}/proof")
    assert hidden.status_code == missing.status_code == 404
    assert same_page(hidden.text, str(draft)) == same_page(missing.text, str(absent))
    assert pages.get(f"/reports/{draft}").status_code == 404  # no page, so no link
    pages.sign_in("inspector")
    page = pages.get(f"/inspections/{draft}/report")
    assert page.status_code == 200 and "/proof" not in page.text
