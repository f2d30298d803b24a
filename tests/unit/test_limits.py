"""One definition of every text field's limits, checked by the aggregates themselves."""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta

import pytest

from domain import limits
from domain.challenge import Challenge
from domain.events import JudgmentInput, Narrative
from domain.inspection import FINAL_ISSUED, ON_SITE, Inspection
from domain.limits import TextRefused
from domain.policy import DEFAULT_POLICY
from tests.unit.builders import (
    COUNCIL,
    INSPECTOR,
    MODERATOR,
    OFFICER,
    STARTS_2025,
    cases,
    inspection_at,
)

THEME, REASON = limits.THEME, limits.REASON


@pytest.mark.parametrize(
    "limit, value, refused_because",
    cases(
        ("a NUL character is refused", THEME, "nul\x00theme", "U+0000"),
        ("a lone surrogate is refused", REASON, "bad \ud800 text", "U+D800"),
        ("an escape character is refused", REASON, "bell\x1b[31m", "U+001B"),
        ("a newline in a one-line field is refused", THEME, "two\nlines", "U+000A"),
        ("one character over the limit is refused", THEME, "x" * 201, "200 characters or fewer"),
        ("a blank required field is refused", REASON, "   ", "Enter reason"),
        ("a number is not text", REASON, 12, "must be text"),
    ),
)
def test_a_text_value_outside_its_limits_is_refused_with_the_reason(
    limit: limits.TextLimit, value: object, refused_because: str
) -> None:
    message = limit.problem(value)

    assert message is not None and refused_because in message


@pytest.mark.parametrize(
    "limit, value",
    cases(
        ("text at exactly the limit is accepted", THEME, "x" * 200),
        ("newlines, carriage returns and tabs are accepted in prose", REASON, "a\r\nb\tc"),
        ("right-to-left text, emoji and combining marks are accepted", REASON, "مرحبا 👩‍👧 Z̤͔ͧ"),
        ("an empty optional field is accepted", THEME, ""),
    ),
)
def test_a_text_value_within_its_limits_is_accepted(limit: limits.TextLimit, value: str) -> None:
    assert limit.problem(value) is None
    assert limit.checked(value) == value


def test_exactly_control_characters_and_lone_surrogates_are_refused() -> None:
    """Every code point: refused where Unicode calls it a control (Cc) or a surrogate (Cs);
    a text area keeps its newline, carriage return and tab."""
    every = "".join(map(chr, range(0x110000)))
    controls = {c for c in every if unicodedata.category(c) in ("Cc", "Cs")}

    assert {m.group() for m in limits.REFUSED.finditer(every)} == controls
    assert {m.group() for m in limits.REFUSED_MULTILINE.finditer(every)} == controls - set("\n\r\t")
    assert THEME.problem("a\x85b") is not None and REASON.problem("a\u2028b") is None


def test_a_list_may_hold_no_more_items_than_its_limit() -> None:
    assert limits.EVIDENCE.problem(["x"] * 50) is None
    assert "50 items or fewer" in (limits.EVIDENCE.problem(["x"] * 51) or "")
    assert "U+0000" in (limits.EVIDENCE.problem(["fine", "\x00"]) or "")


def test_a_refusal_names_the_field_it_was_about() -> None:
    with pytest.raises(TextRefused) as refused:
        limits.REFERENCE.checked("R" * 61)

    assert refused.value.field == "reference"
    assert refused.value.rule == "text-limits"


def test_scheduling_refuses_a_theme_with_a_nul_character() -> None:
    with pytest.raises(TextRefused, match="U\\+0000"):
        Inspection.schedule(
            INSPECTOR,
            COUNCIL,
            "focused_visit",
            "ilacs_2023",
            STARTS_2025,
            STARTS_2025 - timedelta(days=28),
            DEFAULT_POLICY,
            theme="nul\x00theme",
        )


def test_a_finding_with_too_many_strengths_records_nothing() -> None:
    inspection = inspection_at(ON_SITE)

    with pytest.raises(TextRefused, match="Strengths"):
        inspection.record_finding(
            INSPECTOR, "OFSTED", "Summary", Narrative(strengths=["a strength"] * 51)
        )

    assert inspection.collect_events() == []


def test_judgments_whose_grade_holds_a_control_character_are_refused() -> None:
    inspection = inspection_at(ON_SITE)

    with pytest.raises(TextRefused, match="Grade"):
        inspection.record_judgments(INSPECTOR, [JudgmentInput("leaders", "Good\x07")])


def test_a_cancellation_reason_over_its_limit_is_refused() -> None:
    inspection = inspection_at(ON_SITE)

    with pytest.raises(TextRefused, match="4,000 characters or fewer"):
        inspection.cancel(MODERATOR, "x" * 4001, STARTS_2025)


def test_a_challenge_reference_over_its_limit_is_refused() -> None:
    inspection = inspection_at(FINAL_ISSUED)
    assert inspection.final_report_on is not None

    with pytest.raises(TextRefused, match="Reference"):
        Challenge.lodge(
            OFFICER,
            inspection,
            "report",
            "R" * 61,
            "grounds",
            [],
            inspection.final_report_on,
            DEFAULT_POLICY,
        )


def test_an_inspection_cannot_start_beyond_the_scheduling_horizon() -> None:
    today = date(2026, 11, 2)
    horizon = DEFAULT_POLICY.scheduling_horizon(today)
    assert horizon == today.replace(year=today.year + 2)

    with pytest.raises(limits.InvalidInput, match="2 years ahead"):
        Inspection.schedule(
            INSPECTOR,
            COUNCIL,
            "standard",
            "ilacs_2026",
            horizon + timedelta(days=7),
            today,
            DEFAULT_POLICY,
        )
