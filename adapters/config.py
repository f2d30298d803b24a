"""Configuration read from the environment: database, policy overrides, limits at the door."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from domain.policy import DEFAULT_POLICY, ChallengeEra, Policy


@dataclass(frozen=True)
class DoorLimits:
    """How large a request may be, and how long an Idempotency-Key is remembered."""

    max_request_bytes: int = 1024 * 1024
    idempotency_ttl: timedelta = timedelta(hours=24)


def load_door_limits(environ: dict[str, str] | None = None) -> DoorLimits:
    """Return the limits, changed by LEDGER_MAX_REQUEST_BYTES and LEDGER_IDEMPOTENCY_TTL_HOURS."""
    environ = dict(os.environ) if environ is None else environ
    default = DoorLimits()
    size = _positive(environ, "LEDGER_MAX_REQUEST_BYTES", default.max_request_bytes)
    hours = _positive(environ, "LEDGER_IDEMPOTENCY_TTL_HOURS", 24)
    return DoorLimits(int(size), timedelta(hours=hours))


def _positive(environ: dict[str, str], name: str, default: float) -> float:
    text = environ.get(name, "").strip()
    try:
        value = float(text) if text else default
    except ValueError:
        value = -1
    if not 0 < value < 1e9:
        raise ValueError(f"{name} must be a positive number, not {text!r}")
    return value


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
