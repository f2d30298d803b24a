"""Forgetting an account on the administrator's pages: its name and email read "Erased"
everywhere, except where a published report names the person (published information)."""

from __future__ import annotations

from datetime import date

from tests.scenarios import CAMDEN, GOOD, MODERATOR, RI, ilacs_2018, run_to_final_report
from tests.web.conftest import ACCOUNTS

INSPECTOR, NAME = ACCOUNTS["inspector"][0], ACCOUNTS["inspector"][1]


def published_report(pages):
    """A report the inspector drafted, published; the inspector's account is in the log."""
    account = pages.app.extensions["identity"].get(INSPECTOR)
    pages.ledger.take_on_account(INSPECTOR, NAME, "inspector", "OFSTED", account.key_id)
    judgments = ilacs_2018(GOOD, GOOD, RI, GOOD)
    inspection = run_to_final_report(pages.ledger, pages.clock, CAMDEN, date(2021, 3, 8), judgments)
    pages.ledger.publish(MODERATOR, inspection)
    return inspection


def test_an_administrator_forgets_an_account_after_a_warning(pages):
    inspection = published_report(pages)
    pages.sign_in("admin")
    form = pages.get(f"/accounts/{INSPECTOR}/forget")
    assert form.status_code == 200 and "This cannot be undone" in form.text
    assert pages.post(f"/accounts/{INSPECTOR}/forget", {"reason": ""}).status_code == 400
    done = pages.post(f"/accounts/{INSPECTOR}/forget", {"reason": "Retired; asked"})
    assert done.status_code == 302
    page = pages.get(f"/accounts/{INSPECTOR}").text
    assert "Erased" in page and "Forgotten" in page and NAME not in page
    assert "Forget this account" not in page
    assert NAME not in pages.get("/accounts").text

    pages.sign_in("moderator")
    report = pages.get(f"/inspections/{inspection}/report").text
    assert f"by {NAME}" in report  # the published report still names its inspector
    timeline = pages.get(f"/inspections/{inspection}").text
    assert NAME not in timeline  # elsewhere the account reads as erased


def test_the_forgotten_person_can_no_longer_sign_in(pages):
    pages.sign_in("admin")
    pages.post(f"/accounts/{INSPECTOR}/forget", {"reason": "Asked"})
    pages.client.get("/sign-out")
    signed = pages.client.post("/sign-in", data={"username": INSPECTOR, "password": "x" * 16})
    assert signed.status_code == 400


def test_only_an_administrator_may_forget_an_account(pages):
    pages.sign_in("moderator")
    response = pages.post(f"/accounts/{INSPECTOR}/forget", {"reason": "Asked"})
    assert response.status_code in (403, 404)
    assert not pages.app.extensions["identity"].get(INSPECTOR).forgotten
