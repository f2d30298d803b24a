"""Count the calls of a module's function while a test runs (to show work was not repeated)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest


def count_calls(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> Counter[str]:
    """Wrap `owner.name` so each call adds one to the returned counter under `name`."""
    counts: Counter[str] = Counter()
    wrapped = getattr(owner, name)

    def counting(*args: Any, **kwargs: Any) -> Any:
        counts[name] += 1
        return wrapped(*args, **kwargs)

    monkeypatch.setattr(owner, name, counting)
    return counts
