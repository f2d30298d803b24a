"""Configuration read from the environment: database, policy overrides, limits, security."""

from __future__ import annotations

import ipaddress
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


@dataclass(frozen=True)
class SecuritySettings:
    """Throttling, sessions, proxying, links and metrics access (README, "Security")."""

    sign_in_limit_per_account: str = "10 per 15 minutes"
    sign_in_limit_per_address: str = "100 per 15 minutes"
    rate_limit_storage: str = ""  # empty: the ledger's own database
    session_idle: timedelta = timedelta(minutes=30)
    session_lifetime: timedelta = timedelta(hours=12)
    behind_proxy: bool = False
    base_url: str = ""  # empty: links are relative to the request's own path
    metrics_allow: tuple[str, ...] = ("127.0.0.1", "::1")
    metrics_token: str = ""
    require_two_factor: tuple[str, ...] = ("moderator", "administrator")
    concern_limit_per_address: str = "10 per hour"  # concerns raised, page or API, each counts


ROLE_ALIASES = {"admin": "administrator"}


def _roles(environ: dict[str, str]) -> tuple[str, ...]:
    """Read LEDGER_REQUIRE_2FA_ROLES: roles by name ('admin' too); set but empty: none."""
    from domain.actors import ROLES

    if "LEDGER_REQUIRE_2FA_ROLES" not in environ:
        return SecuritySettings.require_two_factor
    value = environ["LEDGER_REQUIRE_2FA_ROLES"]
    found = [ROLE_ALIASES.get(r.strip(), r.strip()) for r in value.split(",") if r.strip()]
    unknown = [r for r in found if r not in ROLES]
    if unknown:
        raise ValueError(
            f"LEDGER_REQUIRE_2FA_ROLES must list roles ({', '.join(sorted(ROLES))}), not {value!r}"
        )
    return tuple(found)


def load_security(environ: dict[str, str] | None = None) -> SecuritySettings:
    """Return the security settings from LEDGER_* variables, refusing nonsense at start."""
    environ = dict(os.environ) if environ is None else environ
    default = SecuritySettings()

    def text(name: str, fallback: str) -> str:
        return environ.get(f"LEDGER_{name}", "").strip() or fallback

    return SecuritySettings(
        sign_in_limit_per_account=_rate(
            "LEDGER_SIGN_IN_LIMIT_PER_ACCOUNT",
            text("SIGN_IN_LIMIT_PER_ACCOUNT", default.sign_in_limit_per_account),
        ),
        sign_in_limit_per_address=_rate(
            "LEDGER_SIGN_IN_LIMIT_PER_ADDRESS",
            text("SIGN_IN_LIMIT_PER_ADDRESS", default.sign_in_limit_per_address),
        ),
        rate_limit_storage=text("RATE_LIMIT_STORAGE", ""),
        session_idle=timedelta(minutes=_positive(environ, "LEDGER_SESSION_IDLE_MINUTES", 30)),
        session_lifetime=timedelta(hours=_positive(environ, "LEDGER_SESSION_LIFETIME_HOURS", 12)),
        behind_proxy=text("BEHIND_PROXY", "0").lower() in ("1", "true", "yes", "on"),
        base_url=_base_url(text("BASE_URL", "")),
        metrics_allow=_networks(text("METRICS_ALLOW", ",".join(default.metrics_allow))),
        metrics_token=text("METRICS_TOKEN", ""),
        require_two_factor=_roles(environ),
        concern_limit_per_address=_rate(
            "LEDGER_CONCERN_LIMIT_PER_ADDRESS",
            text("CONCERN_LIMIT_PER_ADDRESS", default.concern_limit_per_address),
        ),
    )


def _rate(name: str, value: str) -> str:
    from limits import parse_many

    try:
        parse_many(value)
    except ValueError:
        raise ValueError(
            f"{name} must be a rate such as '10 per 15 minutes', not {value!r}"
        ) from None
    return value


def _base_url(value: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(value)
    if value and (parts.scheme not in ("http", "https") or not parts.netloc or parts.query):
        raise ValueError(
            f"LEDGER_BASE_URL must be like https://ledger.example, not {value!r}"
        ) from None
    return value.rstrip("/")


def _networks(value: str) -> tuple[str, ...]:
    found = tuple(part.strip() for part in value.split(",") if part.strip())
    try:
        for network in found:
            ipaddress.ip_network(network, strict=False)
    except ValueError:
        raise ValueError(
            f"LEDGER_METRICS_ALLOW must list addresses or networks, not {value!r}"
        ) from None
    return found


CONCERN_RETENTION_DAYS = 365  # a closed concern's personal data is kept this long, then erased


def load_concern_retention(environ: dict[str, str] | None = None) -> int:
    """Return how many days a closed concern is kept (LEDGER_CONCERN_RETENTION_DAYS)."""
    environ = dict(os.environ) if environ is None else environ
    return int(_positive(environ, "LEDGER_CONCERN_RETENTION_DAYS", CONCERN_RETENTION_DAYS))


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
