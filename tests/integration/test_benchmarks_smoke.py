"""The benchmarks run end to end at a tiny size, so they do not rot."""

from __future__ import annotations

import pytest

from benchmarks.__main__ import main


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_every_benchmark_prints_its_figures_and_ratios(backend, request, capsys, monkeypatch):
    if backend == "postgres":  # skips (or fails in CI) without a server
        monkeypatch.setenv("BENCH_POSTGRES_URL", request.getfixturevalue("postgres_url"))
    assert (
        main(["--events", "1500", "--backend", backend, "--samples", "3", "--commands", "5"]) == 0
    )
    printed = capsys.readouterr().out
    assert f"== {backend} ==" in printed
    for heading in (
        "1. command throughput",
        "2. projection rebuild",
        "4. queries",
        "5. peak memory",
    ):
        assert heading in printed
    assert "x raw" in printed and "API under load" in printed
