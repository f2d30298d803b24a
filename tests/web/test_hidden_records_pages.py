"""Pages: a hidden record looks absent; step pages show only to those who may take the step."""

from __future__ import annotations

import re
from uuid import UUID, uuid4

import pytest

from tests.web.conftest import drafted_inspection


def id_routes(pages) -> list[str]:
    return sorted(
        rule.rule
        for rule in pages.app.url_map.iter_rules()
        if "<uuid:id>" in rule.rule and "GET" in rule.methods
    )


def kinds_of(rule: str) -> list[str]:
    if rule.startswith("/audit/"):
        return ["inspection", "challenge", "plan"]
    if rule.startswith("/inspections/<uuid:id>/action-plan"):
        return ["plan"]
    return ["challenge"] if rule.startswith("/challenges/") else ["inspection"]


def path_of(rule: str, kind: str, id: UUID) -> str:
    path = rule.replace("<any(inspection, challenge, plan):kind>", kind)
    return path.replace("<uuid:id>", str(id)).replace("<action_id>", "A1")


def same_page(html: str, id: str) -> str:
    """Return a page with the record's id and the request's CSP nonce (new every time) masked."""
    return re.sub(r'nonce="[^"]+"', 'nonce="<nonce>"', html.replace(id, "<id>"))


@pytest.mark.parametrize("role", ["other_officer", "cqc_inspector"])
def test_every_page_of_a_hidden_record_answers_exactly_as_for_an_absent_one(pages, role):
    records = {
        "inspection": drafted_inspection(pages),  # Barking's, unpublished
        "challenge": pages.story.challenge_revised,  # Barking's
        "plan": pages.story.revised,  # Barking's published inspection's plan
    }
    pages.sign_in(role)
    pages.get("/")  # shows, and so clears, the signed-in banner
    compared = []
    for rule in id_routes(pages):
        for kind in kinds_of(rule):
            hidden, absent = records[kind], uuid4()
            seen = pages.get(path_of(rule, kind, hidden))
            expected = pages.get(path_of(rule, kind, absent))
            assert seen.status_code == expected.status_code in (403, 404), (rule, kind)
            assert same_page(seen.text, str(hidden)) == same_page(expected.text, str(absent)), (
                rule,
                kind,
            )
            compared.append(expected.status_code)
    assert len(compared) >= 25 and 404 in compared


@pytest.mark.parametrize(
    ("role", "step", "status"),
    [
        ("cqc_inspector", "start", 403),  # CQC may read it, but Ofsted leads
        ("cqc_inspector", "complete", 403),
        ("cqc_inspector", "draft", 403),
        ("cqc_inspector", "final", 403),
        ("cqc_inspector", "publish", 403),
        ("cqc_inspector", "cancel", 403),
        ("inspector", "final", 403),
        ("inspector", "publish", 403),
        ("inspector", "cancel", 403),
        ("inspector", "draft", 200),
        ("moderator", "final", 200),
        ("moderator", "publish", 200),
    ],
)
def test_a_step_page_shows_only_to_those_who_may_take_the_step(pages, role, step, status):
    published = pages.story.revised  # Barking's, public: every role may read it
    pages.sign_in(role)
    assert pages.get(f"/inspections/{published}/{step}").status_code == status
