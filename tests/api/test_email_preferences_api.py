"""Your own email preferences over the API: any member of staff, their own account only;
unknown or statutory kinds refused as a 422 naming `emails_off`; each change an event."""

from __future__ import annotations

from domain.account import Account, account_id
from projections import messages
from tests.api.conftest import ACCOUNTS, Api

PATH = "/accounts/me/notification-preferences"
OFFICER = ACCOUNTS["officer"][0]


def put(api: Api, body: dict, role: str | None = "officer", key: str | None = None):
    return api.put(PATH, body, role=role, key=key)


def chosen_events(api: Api, username: str) -> list:
    return [
        e for e in api.ledger.events_of(account_id(username)) if isinstance(e, Account.EmailsChosen)
    ]


def test_everyone_gets_every_email_until_they_choose(api: Api):
    found = api.get(PATH, role="officer")

    assert found.status_code == 200
    assert found.json == {
        "emails_off": [],
        "optional": messages.optional_kinds(),
        "statutory": messages.statutory_kinds(),
    }
    assert "published" in found.json["optional"] and "notice" in found.json["statutory"]
    assert "draft_reminder" in found.json["optional"]
    assert "final_issued" in found.json["statutory"]


def test_turning_emails_off_is_recorded_and_shown(api: Api):
    done = put(api, {"emails_off": ["published", "draft_reminder"]}, key="off-1")

    assert done.status_code == 200, done.json
    assert done.json["emails_off"] == ["draft_reminder", "published"]
    assert api.get(PATH, role="officer").json["emails_off"] == ["draft_reminder", "published"]
    assert api.app.extensions["identity"].get(OFFICER).emails_off == {"published", "draft_reminder"}
    (event,) = chosen_events(api, OFFICER)
    assert event.off == ["draft_reminder", "published"] and event.actor.user == OFFICER
    assert put(api, {"emails_off": []}, key="on-again").json["emails_off"] == []
    assert [e.off for e in chosen_events(api, OFFICER)] == [["draft_reminder", "published"], []]


def test_choosing_the_same_again_records_nothing_new(api: Api):
    put(api, {"emails_off": ["published"]}, key="first")
    put(api, {"emails_off": ["published"]}, key="second")

    assert len(chosen_events(api, OFFICER)) == 1


def test_a_statutory_or_unknown_email_is_refused_naming_the_field(api: Api):
    for kind, says in (("notice", "statutory"), ("final_issued", "statutory"), ("spam", "not")):
        refused = put(api, {"emails_off": ["published", kind]}, key=f"bad-{kind}")
        assert refused.status_code == 422, refused.json
        assert refused.headers["Content-Type"] == "application/problem+json"
        assert refused.json["errors"][0]["field"] == "emails_off"
        assert says in refused.json["detail"]
    missing = put(api, {}, key="missing")
    assert missing.status_code == 422
    assert {e["field"] for e in missing.json["errors"]} == {"emails_off"}
    assert api.get(PATH, role="officer").json["emails_off"] == []
    assert chosen_events(api, OFFICER) == []


def test_each_person_chooses_only_their_own(api: Api):
    put(api, {"emails_off": ["published"]}, role="inspector", key="ian")

    assert api.get(PATH, role="inspector").json["emails_off"] == ["published"]
    assert api.get(PATH, role="officer").json["emails_off"] == []
    assert api.get(PATH, role=None).status_code == 401
    assert put(api, {"emails_off": []}, role=None, key="anon").status_code == 401


def test_a_put_without_an_idempotency_key_is_refused(api: Api):
    headers = api.headers("officer")
    refused = api.client.put("/api/v1" + PATH, json={"emails_off": []}, headers=headers)

    assert refused.status_code == 400 and refused.json["rule"] == "idempotency-key-required"
