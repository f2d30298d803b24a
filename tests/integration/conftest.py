"""Fixtures for the integration tests: read models caught up after each command."""

from __future__ import annotations

import pytest

from projections.runner import ReadModels


@pytest.fixture
def read_models(database_url: str, ledger):
    models = ReadModels(database_url)
    ledger.after_save.append(lambda: models.catch_up(ledger))
    yield models
    models.close()
