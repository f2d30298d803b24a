"""Configuration read from the environment: database, policy overrides."""

from __future__ import annotations

import os
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

from domain.policy import DEFAULT_POLICY, ChallengeEra, Policy


def load_policy(environ: dict[str, str] | None = None) -> Policy:
    """Return the default policy, changed by the TOML file LEDGER_POLICY_FILE names, if any."""
    environ = dict(os.environ) if environ is None else environ
    path = environ.get("LEDGER_POLICY_FILE", "").strip()
    if not path:
        return DEFAULT_POLICY
    with Path(path).open("rb") as handle:
        settings: dict[str, Any] = tomllib.load(handle)
    if "challenge_eras" in settings:
        settings["challenge_eras"] = tuple(_era(e) for e in settings["challenge_eras"])
    return DEFAULT_POLICY.with_overrides(settings)


def _era(raw: dict[str, Any]) -> ChallengeEra:
    starts = raw["starts_on"]
    return ChallengeEra(
        name=raw["name"],
        starts_on=starts if isinstance(starts, date) else date.fromisoformat(starts),
        lodge_within_working_days=int(raw["lodge_within_working_days"]),
        stages=tuple(raw["stages"]),
        stage_response_working_days=int(raw["stage_response_working_days"]),
        withholds_publication=bool(raw["withholds_publication"]),
    )
