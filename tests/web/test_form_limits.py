"""Forms refuse text outside its field's limits with a GOV.UK error summary, storing nothing."""

from __future__ import annotations

import pytest

from tests.web.conftest import event_count, live_inspection


@pytest.mark.parametrize(
    "summary, message",
    [
        ("nul\x00summary", "Summary must not contain the character U+0000"),
        ("x" * 4001, "Summary must be 4,000 characters or fewer"),
    ],
    ids=["NUL", "one over the limit"],
)
def test_a_finding_outside_its_limits_is_an_error_summary(pages, summary, message):
    inspection = live_inspection(pages)
    pages.sign_in("inspector")
    before = event_count(pages)

    response = pages.post(
        f"/inspections/{inspection}/findings/new",
        {"agency": "OFSTED", "summary": summary},
        "confirm",
    )

    assert response.status_code == 400
    assert "govuk-error-summary" in response.text and message in response.text
    assert event_count(pages) == before


def test_more_lines_of_strengths_than_allowed_is_an_error_summary(pages):
    inspection = live_inspection(pages)
    pages.sign_in("inspector")

    response = pages.post(
        f"/inspections/{inspection}/findings/new",
        {"agency": "OFSTED", "summary": "s", "strengths": "\n".join(["strong"] * 51)},
        "confirm",
    )

    assert response.status_code == 400 and "Strengths: give 50 items or fewer" in response.text


def test_a_cancellation_reason_over_its_limit_is_an_error_summary(pages):
    inspection = live_inspection(pages)
    pages.sign_in("moderator")

    response = pages.post(f"/inspections/{inspection}/cancel", {"reason": "x" * 4001}, "confirm")

    assert response.status_code == 400 and "4,000 characters or fewer" in response.text
    assert "cancelled" not in pages.get(f"/inspections/{inspection}").text
