"""Every configurable period and deadline in one place (DOMAIN.md, '(configurable)')."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any


@dataclass(frozen=True)
class ChallengeEra:
    """The challenge process in force for final reports issued on or after `starts_on`."""

    name: str
    starts_on: date
    lodge_within_working_days: int
    stages: tuple[str, ...]  # in order; the adjudicator stage is always last
    stage_response_working_days: int
    withholds_publication: bool


@dataclass(frozen=True)
class Policy:
    factual_accuracy_working_days: int = 5
    notice_working_days: dict[str, int] = field(
        default_factory=lambda: {"focused_visit": 5, "jtai": 10, "area_send": 5}
    )
    action_plan_working_days: int = 70
    focused_visit_plan_working_days: int = 20
    next_inspection_years: int = 3
    next_inspection_window_months: int = 6
    monitoring_visit_interval_months: int = 3
    first_monitoring_visit_weeks_after_plan: int = 4
    reinspection_of_inadequate_years: int = 2
    scheduling_horizon_years: int = 2  # how far ahead an inspection may start
    concern_acknowledge_working_days: int = 3  # a concern raised is acknowledged within these
    concerns_inspectorate: str = "OFSTED"  # the prescribed person for children's services
    # ILACS 2026 makes no overall judgment: a council counts as Inadequate when any judgment is
    ilacs_2026_inadequate_when_any_judgment_inadequate: bool = True
    challenge_eras: tuple[ChallengeEra, ...] = (
        ChallengeEra(
            "before 2023",
            date(1900, 1, 1),
            10,
            ("formal_review", "internal_review", "adjudicator"),
            30,
            False,
        ),
        ChallengeEra("from 2023", date(2023, 1, 1), 2, ("formal_review", "adjudicator"), 30, True),
    )

    def scheduling_horizon(self, today: date) -> date:
        """Return the latest day an inspection scheduled today may start."""
        try:
            return today.replace(year=today.year + self.scheduling_horizon_years)
        except ValueError:  # 29 February
            return today.replace(year=today.year + self.scheduling_horizon_years, day=28)

    def challenge_era(self, final_report_on: date) -> ChallengeEra:
        """Return the challenge process for a report issued on this day."""
        eras = [e for e in self.challenge_eras if e.starts_on <= final_report_on]
        return max(eras, key=lambda e: e.starts_on)

    def with_overrides(self, overrides: dict[str, Any]) -> Policy:
        """Return a copy with the named periods changed (unknown names are refused)."""
        unknown = set(overrides) - set(self.__dataclass_fields__) - {"challenge_eras"}
        if unknown:
            raise ValueError(f"Unknown policy settings: {', '.join(sorted(unknown))}")
        merged = dict(overrides)
        if "notice_working_days" in merged:  # a partial table keeps the other types' notice
            merged["notice_working_days"] = self.notice_working_days | merged["notice_working_days"]
        return replace(self, **merged)


DEFAULT_POLICY = Policy()
