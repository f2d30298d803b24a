"""Every question asked in a fieldset has a legend people see and hear (WCAG 1.3.1, 3.3.2)."""

from __future__ import annotations

import re

import pytest

from tests.scenarios import BARKING, CAMDEN
from tests.web.conftest import lodged_challenge

LEGEND = re.compile(r"<legend\b[^>]*>(.*?)</legend>", re.S)


def legends(html: str) -> list[str]:
    """Return the visible text of every legend on the page."""
    return [re.sub(r"<[^>]+>|\s+", " ", inner).strip() for inner in LEGEND.findall(html)]


def fieldsets(html: str) -> int:
    return html.count("<fieldset")


@pytest.mark.parametrize(
    ("role", "path", "expected"),
    [
        ("inspector", f"/inspections/new?council={CAMDEN}", {"Type of inspection", "When does fieldwork start?"}),
        ("auditor", "/audit/", set()),
        ("moderator", f"/councils/{BARKING}/interventions/new", set()),
    ],
)
def test_every_fieldset_on_the_page_has_a_legend_with_text(pages, role, path, expected):
    pages.sign_in(role)
    page = pages.get(path).text
    found = legends(page)
    assert fieldsets(page) and len(found) == fieldsets(page)
    assert all(found), found
    assert all(any(word in text for text in found) for word in expected), found


def test_the_challenge_decision_asks_its_outcome_in_a_legend(pages):
    challenge = lodged_challenge(pages)
    pages.sign_in("moderator")
    page = pages.get(f"/challenges/{challenge}/decide").text
    assert fieldsets(page) == len(legends(page)) and all(legends(page))


def test_an_actions_due_date_is_asked_in_a_legend(pages):
    pages.sign_in("officer")
    page = pages.get(f"/inspections/{pages.story.revised}/action-plan/actions/new").text
    assert fieldsets(page) == len(legends(page)) and all(legends(page))
