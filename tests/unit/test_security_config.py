"""Security settings come from the environment, with defaults, and refuse nonsense at start."""

from __future__ import annotations

from datetime import timedelta

import pytest

from adapters.config import SecuritySettings, load_security


def test_without_settings_sessions_last_30_idle_minutes_and_12_hours_and_metrics_stay_local():
    settings = load_security({})
    assert settings == SecuritySettings()
    assert settings.session_idle == timedelta(minutes=30)
    assert settings.session_lifetime == timedelta(hours=12)
    assert settings.metrics_allow == ("127.0.0.1", "::1") and not settings.behind_proxy
    assert settings.rate_limit_storage == "" and settings.base_url == ""


def test_the_environment_changes_every_setting():
    settings = load_security(
        {
            "LEDGER_SIGN_IN_LIMIT_PER_ACCOUNT": "5 per minute",
            "LEDGER_SIGN_IN_LIMIT_PER_ADDRESS": "20/hour",
            "LEDGER_RATE_LIMIT_STORAGE": "redis://127.0.0.1:6379",
            "LEDGER_SESSION_IDLE_MINUTES": "15",
            "LEDGER_SESSION_LIFETIME_HOURS": "8",
            "LEDGER_BEHIND_PROXY": "1",
            "LEDGER_BASE_URL": "https://ledger.example.gov.uk/",
            "LEDGER_METRICS_ALLOW": "10.0.0.0/8, 127.0.0.1",
            "LEDGER_METRICS_TOKEN": "scrape",
        }
    )
    assert settings == SecuritySettings(
        "5 per minute",
        "20/hour",
        "redis://127.0.0.1:6379",
        timedelta(minutes=15),
        timedelta(hours=8),
        True,
        "https://ledger.example.gov.uk",
        ("10.0.0.0/8", "127.0.0.1"),
        "scrape",
    )


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("LEDGER_SIGN_IN_LIMIT_PER_ACCOUNT", "lots", "must be a rate"),
        ("LEDGER_SIGN_IN_LIMIT_PER_ADDRESS", "10 per fortnight", "must be a rate"),
        ("LEDGER_SESSION_IDLE_MINUTES", "0", "must be a positive number"),
        ("LEDGER_SESSION_LIFETIME_HOURS", "forever", "must be a positive number"),
        ("LEDGER_BASE_URL", "ledger.example", "must be like https://"),
        ("LEDGER_BASE_URL", "https://ledger.example/?x=1", "must be like https://"),
        ("LEDGER_METRICS_ALLOW", "localhost", "must list addresses or networks"),
    ],
)
def test_a_setting_that_makes_no_sense_stops_the_start(name, value, message):
    with pytest.raises(ValueError, match=f"{name} {message}"):
        load_security({name: value})
