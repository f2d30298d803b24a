"""Benchmark 3, the API under load: a hook until the JSON API (issue 5) is built.

To add it: write `api_phase(url: str, ...) -> dict` here (start the app on the benchmark
database, drive it with concurrent clients, return requests per second and p50/p99), register
it in `benchmarks.phase.phases()`, and give `report.api` its lines; `--only api` then runs it.
"""

from __future__ import annotations

READY = False


def describe() -> str:
    """Say why the API benchmark does not run yet."""
    return "API under load: waits for the JSON API (issue 5); see benchmarks/api.py for the hook"
