"""API reads carry content validators and answer If-None-Match with 304; tokens' are private."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest

from domain.events import JudgmentInput
from tests.api.conftest import Api
from tests.calls import count_calls
from tests.scenarios import ADMIN, BARKING, GOOD
from web.api import reports

AREAS = ("leaders", "help_and_protection", "children_in_care", "overall")


@pytest.fixture
def computed(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    return count_calls(monkeypatch, reports, "rating_rows")


def test_a_tokens_read_has_a_validator_and_is_never_shared(
    api: Api, computed: Counter[str]
) -> None:
    first = api.get("/ratings")
    tag = first.headers["ETag"]
    assert tag.startswith('"c-') and first.headers["Cache-Control"] == "private, no-store"
    assert "Authorization" in first.vary

    again = api.get("/ratings", **{"If-None-Match": tag})

    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == tag
    assert again.headers["Cache-Control"] == "private, no-store"
    assert computed["rating_rows"] == 1  # the 304 was answered from the stamps, not computed


def test_a_new_report_gives_the_read_a_new_validator(api: Api) -> None:
    tag = api.get("/ratings").headers["ETag"]
    starts = date(2019, 2, 18)
    judgments = [JudgmentInput(a, GOOD) for a in AREAS]
    api.ledger.import_published(
        ADMIN, BARKING, "standard", starts, starts + timedelta(days=42), judgments
    )

    fresh = api.get("/ratings", **{"If-None-Match": tag})

    assert fresh.status_code == 200 and fresh.headers["ETag"] != tag


def test_a_public_read_may_be_kept_by_any_cache(api: Api) -> None:
    first = api.get("/log/key", role=None)
    assert first.status_code == 200
    assert first.headers["Cache-Control"].startswith("public, max-age=60")

    again = api.get("/log/key", role=None, **{"If-None-Match": first.headers["ETag"]})

    assert again.status_code == 304 and again.data == b""


def test_a_records_version_is_for_if_match_and_never_answers_304(api: Api) -> None:
    first = api.get(f"/councils/{BARKING}")
    tag = first.headers["ETag"]
    assert not tag.startswith('"c-')

    assert api.get(f"/councils/{BARKING}", **{"If-None-Match": tag}).status_code == 200
