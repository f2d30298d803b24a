"""The benchmarks run end to end at a tiny size, so they do not rot."""

from __future__ import annotations

import pytest

from benchmarks.__main__ import main

TINY = ["--events", "1500", "--samples", "3", "--commands", "5", "--tree-leaves", "3000"]
TINY_API = ["--api-seconds", "2", "--api-rate", "20", "--api-workers", "2"]
API_LINES = {  # the API is measured on PostgreSQL only
    "sqlite": ["API under load: measured on PostgreSQL only"],
    "postgres": [
        "3. API under load (2 gunicorn workers",
        "x healthz",
        "/s; target >= 0.5); errors",  # reads at saturation against /healthz
        "errors 0 of 40",
        "conditional GETs (If-None-Match, 100% answered 304)",
    ],
}


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_every_benchmark_prints_its_figures_and_ratios(backend, request, capsys, monkeypatch):
    if backend == "postgres":  # skips (or fails in CI) without a server
        monkeypatch.setenv("BENCH_POSTGRES_URL", request.getfixturevalue("postgres_url"))
    assert main([*TINY, *TINY_API, "--backend", backend]) == 0
    printed = capsys.readouterr().out
    assert f"== {backend} ==" in printed
    for heading in (
        "1. command throughput",
        "2. projection rebuild",
        "4. queries",
        "5. peak memory",
        "6. verifiable log",
        *API_LINES[backend],
    ):
        assert heading in printed
    assert "x raw" in printed and "raw append to a copy of the log" in printed
    assert "x current ratings' p99 (target <= 3)" in printed
    assert "target: flat" in printed
    assert "x the peak from" in printed  # memory across the log's sizes
    assert "(target >= 0.3)" in printed and "(target >= 0.6)" in printed
