"""The permission matrix: every route walked with every role; a route not listed fails (deny by default)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from domain.commands.concerns import RaisedConcern
from tests.api.conftest import ACCOUNTS, Api
from tests.scenarios import BARKING, BARNET, CAMDEN, HOME, tell_story

ALL = frozenset(ACCOUNTS)
INSPECTORATE = frozenset({"inspector", "moderator", "second_moderator", "third_moderator"})
MODERATORS = frozenset({"moderator", "second_moderator", "third_moderator"})
OTHER_AGENCIES = frozenset({"cqc_inspector", "hmip_inspector", "hmip_moderator"})
OFFICER = frozenset({"officer"})
INSP, CHAL = "/inspections/<uuid:inspection_id>", "/challenges/<uuid:challenge_id>"
PLAN = INSP + "/action-plan"
ACCOUNT, ADMIN = "/accounts/<username>", frozenset({"admin"})
CONCERN = "/concerns/<uuid:concern_id>"
RAISED = {"council": BARKING, "relationship": "parent_or_carer", "concern": "A worry"}
RAISE = {"relationship": "staff_whistleblower", "name": "N", "email": "e", "concern": "A worry"}
SPARE = "spare.person"  # an account no role's token belongs to, administered in the walk
# Who may use each route on the story's published Barking inspection, its decided challenge and
# its plan. A published report is public; unpublished ones are tested in test_inspections_api.
MATRIX: dict[tuple[str, str], frozenset[str]] = {
    ("GET", "/inspections"): ALL,
    ("POST", "/inspections"): INSPECTORATE,
    ("GET", INSP): ALL,
    ("POST", INSP + "/on-site"): INSPECTORATE,
    ("POST", INSP + "/findings"): INSPECTORATE,
    ("POST", INSP + "/judgments"): INSPECTORATE,
    ("POST", INSP + "/judgments-complete"): INSPECTORATE,
    ("POST", INSP + "/draft"): INSPECTORATE,
    ("POST", INSP + "/comments"): OFFICER,
    ("GET", INSP + "/report"): ALL,  # the published report's latest version
    ("GET", INSP + "/report/changes"): ALL,
    ("POST", INSP + "/report/sections/<section>"): INSPECTORATE,
    ("POST", INSP + "/report/answers/<comment_id>"): INSPECTORATE,
    ("POST", INSP + "/final-report"): MODERATORS,
    ("POST", INSP + "/publication"): MODERATORS,
    ("POST", INSP + "/cancellation"): MODERATORS,
    ("POST", INSP + "/withdrawal"): MODERATORS,
    ("POST", INSP + "/challenges"): OFFICER,
    ("GET", CHAL): ALL - OTHER_AGENCIES - {"other_officer"},  # challenges are not published
    ("POST", CHAL + "/decision"): MODERATORS,
    ("POST", CHAL + "/escalation"): OFFICER,
    ("POST", CHAL + "/adjudicator-recommendation"): MODERATORS | {"adjudicator"},
    # its council and lead inspectorate
    ("GET", PLAN): ALL - OTHER_AGENCIES - {"other_officer", "adjudicator"},
    ("POST", PLAN + "/submission"): OFFICER,
    ("POST", PLAN + "/actions"): OFFICER,
    ("POST", PLAN + "/actions/<action_id>/progress"): OFFICER,
    ("POST", PLAN + "/actions/<action_id>/completion"): OFFICER,
    ("POST", PLAN + "/completion"): OFFICER,
    ("GET", "/councils"): ALL,
    ("GET", "/councils/<code>"): ALL,
    ("POST", "/councils/<code>/interventions"): MODERATORS | {"admin"},
    ("GET", "/councils/<code>/history"): ALL,
    ("GET", "/ratings"): ALL,
    ("GET", "/statistics"): ALL,
    ("GET", "/schedule"): ALL,
    ("GET", "/disputes"): ALL,
    ("GET", "/worklist"): ALL - {"auditor", "admin"},
    ("GET", "/events/<uuid:aggregate_id>"): ALL,
    ("GET", "/accounts"): ADMIN,
    ("POST", "/accounts"): ADMIN,
    ("GET", ACCOUNT): ADMIN,
    ("POST", ACCOUNT + "/role"): ADMIN,
    ("POST", ACCOUNT + "/disable"): ADMIN,
    ("POST", ACCOUNT + "/enable"): ADMIN,
    ("POST", ACCOUNT + "/password-reset"): ADMIN,
    ("POST", ACCOUNT + "/two-factor-removal"): ADMIN,
    ("POST", ACCOUNT + "/email-erasure"): ADMIN,
    ("POST", ACCOUNT + "/forgetting"): ADMIN,
    ("GET", "/accounts/me/notification-preferences"): ALL,  # each person's own
    ("PUT", "/accounts/me/notification-preferences"): ALL,
    ("GET", "/settings"): ALL,
    ("GET", "/settings/<urn>"): ALL,
    ("POST", "/settings"): frozenset({"admin"}),
    ("POST", "/settings/<urn>/details"): frozenset({"admin"}),
    ("GET", "/log/tree"): ALL,
    ("GET", "/log/proofs/inclusion"): ALL,
    ("GET", "/log/proofs/consistency"): ALL,
    ("GET", "/log/entries/<int:index>"): frozenset({"auditor"}),
    ("POST", "/concerns"): ALL,  # anyone, with a token or without (PUBLIC)
    ("GET", CONCERN): INSPECTORATE,  # never a council, a partner, an auditor or an administrator
    ("POST", CONCERN + "/acknowledge"): INSPECTORATE,
    ("POST", CONCERN + "/assess"): INSPECTORATE,
    ("POST", CONCERN + "/link"): INSPECTORATE,
    ("POST", CONCERN + "/close"): INSPECTORATE,
    ("POST", CONCERN + "/erasure"): MODERATORS,  # of the triaging inspectorate
    ("GET", "/log/checkpoint"): ALL,
    ("GET", "/log/key"): ALL,
    ("POST", "/log/cosignatures"): ALL,  # a witness key, not a token, is what it checks
}
PUBLIC = {  # answer without a token
    ("GET", "/log/tree"),
    ("GET", "/log/proofs/inclusion"),
    ("GET", "/log/proofs/consistency"),
    ("POST", "/concerns"),
    ("GET", "/log/checkpoint"),
    ("GET", "/log/key"),
    ("POST", "/log/cosignatures"),
}
SETTING = {"name": "Elm House", "type": "childrens_home", "council": BARNET, "provider": "Acme"}


def api_routes(api: Api) -> set[tuple[str, str]]:
    return {
        (method, rule.rule.removeprefix("/api/v1"))
        for rule in api.app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def bodies(day: Any) -> dict[str, dict[str, Any]]:
    later = (day + timedelta(days=60)).isoformat()
    return {
        "/findings": {"agency": "OFSTED", "summary": "Seen"},
        "/judgments": {"judgments": [{"area": "leaders", "grade": "Good"}]},
        "/comments": {"comment": "A fact"},
        "/cancellation": {"reason": "Why"},
        "/withdrawal": {"reason": "Why"},
        "/challenges": {"subject": "report", "grounds": "Why"},
        "/decision": {"outcome": "not upheld", "reasons": "Why"},
        "/escalation": {"grounds": "Why"},
        "/adjudicator-recommendation": {"outcome": "not upheld", "recommendation": "None"},
        "/submission": {"summary": "Plan"},
        "/actions": {
            "area": "a",
            "recommendation": "r",
            "description": "d",
            "owner": "o",
            "due_on": later,
        },
        "/progress": {"note": "Going"},
        "/interventions": {"kind": "intervention_ended", "on": day.isoformat(), "details": ""},
        "<comment_id>": {"accepted": False, "reason": "Why"},
        "/accounts": {
            "username": "new.person",
            "display_name": "New Person",
            "role": "inspector",
            "organisation": "OFSTED",
            "email": "new.person@ofsted.gov.uk",
            "reason": "Why",
        },
        "/role": {"role": "moderator", "organisation": "OFSTED", "reason": "Why"},
        "/disable": {"reason": "Why"},
        "/enable": {"reason": "Why"},
        "/password-reset": {"reason": "Why"},
        "/two-factor-removal": {"reason": "Why"},
        "/email-erasure": {"reason": "Why"},
        "/forgetting": {"reason": "Why"},
        "/settings": SETTING | {"urn": "SC999003"},
        "/details": SETTING,
        "/concerns": RAISED,
        "/assess": {"risk": "low"},
        "/link": {"inspection_id": ""},
        "/close": {"outcome": "no_further_action"},
        "/notification-preferences": {"emails_off": ["published"]},
        "/erasure": {"reason": "The person asked"},
    }


def test_every_api_route_is_in_the_permission_matrix(api: Api) -> None:
    assert api_routes(api) == set(MATRIX)


def test_every_route_answers_every_role_as_the_matrix_says(api: Api, clock) -> None:
    story = tell_story(api.ledger, clock)
    api.app.extensions["identity"].add(SPARE, "Spare", "inspector", "OFSTED", "a spare password")
    api.app.config["PROPAGATE_EXCEPTIONS"] = False
    ids = {
        "<uuid:inspection_id>": str(story.revised),
        "<uuid:challenge_id>": str(story.challenge_revised),
        "<uuid:aggregate_id>": str(story.revised),
        "<action_id>": "A1",
        "<code>": BARKING,
        "<section>": "headline",
        "<comment_id>": "C1",
        "<username>": SPARE,
        "<urn>": HOME,
        "<int:index>": "0",
        "<uuid:concern_id>": str(api.ledger.raise_concern(RaisedConcern(BARKING, "", **RAISE))),
    }
    payloads, wrong, seen = bodies(clock.day), [], []
    for (method, rule), allowed in sorted(MATRIX.items()):
        path = rule
        for name, value in ids.items():
            path = path.replace(name, value)
        for offset, role in enumerate(sorted(ALL)):
            if method == "GET":
                status = api.get(path, role=role).status_code
            else:
                body = next((b for suffix, b in payloads.items() if rule.endswith(suffix)), {})
                if rule == "/inspections":  # a different Monday per request, so none conflicts
                    monday = clock.day + timedelta(weeks=5 + offset, days=-clock.day.weekday())
                    body = {"council": CAMDEN, "type": "standard", "starts_on": monday.isoformat()}
                if method == "PUT":
                    status = api.put(path, body, role=role).status_code
                else:
                    status = api.post(path, body, role=role, if_match="*").status_code
            permitted = role in allowed
            refused = status in (401, 403, 404)  # 404: a record the caller may not see
            seen.append(refused)
            if permitted == refused or status >= 500:
                wrong.append((method, rule, role, status))
    assert wrong == []
    assert len(seen) == len(MATRIX) * len(ALL) and 0 < sum(seen) < len(seen)


def test_no_route_answers_without_a_token(api: Api) -> None:
    placeholders = {
        "<uuid:inspection_id>": "00000000-0000-0000-0000-000000000001",
        "<uuid:challenge_id>": "00000000-0000-0000-0000-000000000002",
        "<uuid:aggregate_id>": "00000000-0000-0000-0000-000000000003",
        "<action_id>": "A1",
        "<code>": BARKING,
        "<username>": SPARE,
        "<urn>": HOME,
        "<int:index>": "0",
        "<uuid:concern_id>": "00000000-0000-0000-0000-000000000004",
    }
    statuses = {}
    for method, rule in set(MATRIX) - PUBLIC:
        path = rule
        for name, value in placeholders.items():
            path = path.replace(name, value)
        statuses[method, rule] = api.client.open("/api/v1" + path, method=method).status_code

    assert set(statuses.values()) == {401}

    assert api.client.post("/api/v1/concerns", json=RAISED).status_code == 201


def test_the_log_s_public_routes_answer_anyone(api: Api) -> None:
    anonymous = api.client.post("/api/v1/log/cosignatures", data=b"x", content_type="text/plain")
    assert anonymous.status_code == 400  # judged on its body, not refused for want of a token
    query = {
        "/log/proofs/inclusion": "?index=0&size=1",
        "/log/proofs/consistency": "?from=1&to=1",
    }
    for method, rule in PUBLIC - {("POST", "/concerns"), ("POST", "/log/cosignatures")}:
        assert method == "GET"
        assert api.client.get("/api/v1" + rule + query.get(rule, "")).status_code == 200
