"""The report through /api/v1: writing sections, versions as JSON, comments answered, changes."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from uuid import UUID

from tests.api.conftest import Api
from tests.api.test_inspections_api import judged
from web.history import READER

LEADERS = "area:leaders"


def write(api: Api, inspection: str, section: str, body: dict, role: str = "inspector"):
    return api.post(f"/inspections/{inspection}/report/sections/{section}", body, role, "*")


def drafted(api: Api, clock) -> str:
    inspection = judged(api, clock)
    assert write(api, inspection, "headline", {"text": "Children are safer."}).status_code == 200
    response = write(api, inspection, LEADERS, {"working_well": "Leaders are visible."})
    assert response.status_code == 200, response.json
    assert api.post(f"/inspections/{inspection}/draft", if_match="*").status_code == 200
    return inspection


def test_writing_a_section_answers_the_inspection_with_its_new_etag(api: Api, clock) -> None:
    inspection = judged(api, clock)
    before = api.get(f"/inspections/{inspection}").headers["ETag"]
    response = api.post(
        f"/inspections/{inspection}/report/sections/headline", {"text": "Headline"}, if_match=before
    )
    assert response.status_code == 200 and response.headers["ETag"] != before


def test_before_the_draft_the_inspectorate_reads_the_working_copy_and_the_council_nothing(
    api: Api, clock
) -> None:
    inspection = judged(api, clock)
    write(api, inspection, "headline", {"text": "Draft in progress"})
    working = api.get(f"/inspections/{inspection}/report", role="inspector")
    assert working.status_code == 200
    assert (working.json["version"], working.json["stage"]) == (None, "working copy")
    assert working.json["sections"][0]["parts"] == {"text": "Draft in progress"}
    assert api.get(f"/inspections/{inspection}/report", role="officer").status_code == 404


def test_the_council_reads_its_draft_as_version_1_with_its_digest_and_place_in_the_log(
    api: Api, clock
) -> None:
    inspection = drafted(api, clock)
    response = api.get(f"/inspections/{inspection}/report", role="officer")
    assert response.status_code == 200
    report = response.json
    assert (report["version"], report["stage"]) == (1, "draft")
    assert report["chain_position"] > 0 and len(report["chain_hash"]) == 64
    leaders = next(s for s in report["sections"] if s["key"] == LEADERS)
    assert leaders["grade"] == "Good" and leaders["parts"]["working_well"] == "Leaders are visible."
    assert leaders["written_by"] == "ian.inspector"
    assert report["versions"][0]["sha256"] == report["sha256"]


def test_the_digest_is_the_sha256_of_the_canonical_content(api: Api, clock) -> None:
    inspection = drafted(api, clock)
    version = api.app.extensions["ledger"].inspection(READER, UUID(inspection)).report_version()
    content = json.dumps(version.content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    expected = hashlib.sha256(content.encode()).hexdigest()
    assert api.get(f"/inspections/{inspection}/report").json["sha256"] == expected


def test_another_council_gets_404_as_for_anything_it_may_not_see(api: Api, clock) -> None:
    inspection = drafted(api, clock)
    hidden = api.get(f"/inspections/{inspection}/report", role="other_officer")
    absent = api.get("/inspections/00000000-0000-0000-0000-000000000000/report", role="officer")
    assert hidden.status_code == absent.status_code == 404
    assert hidden.json["title"] == absent.json["title"]


def test_a_version_that_does_not_exist_is_404(api: Api, clock) -> None:
    inspection = drafted(api, clock)
    assert api.get(f"/inspections/{inspection}/report?version=2").status_code == 404


def test_comments_on_sections_are_answered_and_the_final_report_shows_the_change(
    api: Api, clock
) -> None:
    inspection = drafted(api, clock)
    comment = {"comment": "Leaders changed in May", "section": LEADERS}
    assert (
        api.post(f"/inspections/{inspection}/comments", comment, "officer", "*").status_code == 200
    )
    clock.advance_to(clock.day + timedelta(weeks=2))
    refused = api.post(f"/inspections/{inspection}/final-report", role="moderator", if_match="*")
    assert refused.status_code == 409 and refused.json["rule"] == "comments-unanswered"
    answer = {"accepted": True, "working_well": "New leaders since May are visible."}
    response = api.post(f"/inspections/{inspection}/report/answers/C1", answer, if_match="*")
    assert response.status_code == 200, response.json
    assert response.json["comments"][0]["answer"]["accepted"] is True
    final = api.post(f"/inspections/{inspection}/final-report", role="moderator", if_match="*")
    assert final.status_code == 200, final.json
    report = api.get(f"/inspections/{inspection}/report", role="officer").json
    assert (report["version"], report["stage"]) == (2, "final")
    changes = api.get(f"/inspections/{inspection}/report/changes?from=1&to=2", role="officer")
    assert changes.status_code == 200
    assert [(c["section"], c["part"]) for c in changes.json["changes"]] == [
        (LEADERS, "working_well")
    ]
    assert "+New leaders since May are visible." in changes.json["changes"][0]["lines"]


def test_a_comment_not_accepted_without_a_reason_is_422_naming_nothing_stored(
    api: Api, clock
) -> None:
    inspection = drafted(api, clock)
    comment = {"comment": "Wrong", "section": "headline"}
    api.post(f"/inspections/{inspection}/comments", comment, "officer", "*")
    version = api.get(f"/inspections/{inspection}").headers["ETag"]
    response = api.post(
        f"/inspections/{inspection}/report/answers/C1", {"accepted": False}, if_match="*"
    )
    assert response.status_code == 422
    assert api.get(f"/inspections/{inspection}").headers["ETag"] == version


def test_hostile_section_text_is_refused_naming_the_field(api: Api, clock) -> None:
    inspection = judged(api, clock)
    response = write(api, inspection, "headline", {"text": "nul\u0000"})
    assert response.status_code in (400, 422)
    assert "text" in json.dumps(response.json)


def test_the_council_may_not_write_its_own_report(api: Api, clock) -> None:
    inspection = judged(api, clock)
    assert write(api, inspection, "headline", {"text": "Ours"}, role="officer").status_code == 403


def test_the_report_endpoints_are_documented(api: Api) -> None:
    paths = api.client.get("/api/openapi.json").json["paths"]
    assert "get" in paths["/api/v1/inspections/{inspection_id}/report"]
    assert "get" in paths["/api/v1/inspections/{inspection_id}/report/changes"]
    assert "post" in paths["/api/v1/inspections/{inspection_id}/report/sections/{section}"]
    assert "post" in paths["/api/v1/inspections/{inspection_id}/report/answers/{comment_id}"]
