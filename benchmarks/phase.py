"""Run one benchmark phase in its own process and print its figures as one JSON line.

A phase per process keeps each peak memory (ru_maxrss) its own: one phase cannot mask another.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

Figures = dict[str, Any]
PROJECT = Path(__file__).resolve().parents[1]


def peak_mb() -> float:
    """Return this process's peak resident memory so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def phases() -> dict[str, Callable[..., Figures]]:
    """Return every phase by name."""
    from benchmarks import api, commands, log, merkle, queries

    return {
        "generate": log.generate_phase,
        "read_log": log.read_log_phase,
        "rebuild": log.rebuild_phase,
        "queries": queries.queries_phase,
        "commands": commands.commands_phase,
        "api": api.api_phase,
        "merkle": merkle.merkle_phase,
    }


def run_phase(name: str, **arguments: Any) -> Figures:
    """Run a phase in a child process and return its figures (with its peak memory)."""
    child = subprocess.run(
        [sys.executable, "-m", "benchmarks.phase", name, json.dumps(arguments)],
        capture_output=True,
        text=True,
        check=False,
        cwd=PROJECT,
    )
    if child.returncode != 0:
        raise RuntimeError(f"benchmark phase {name} failed:\n{child.stderr[-4000:]}")
    return json.loads(child.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    """Run the phase named on the command line."""
    name, arguments = sys.argv[1], json.loads(sys.argv[2])
    chosen = phases()[name]
    started_mb = peak_mb()
    figures = chosen(**arguments)
    figures.update(peak_mb=round(peak_mb(), 1), start_mb=round(started_mb, 1))
    print(json.dumps(figures, default=str))


if __name__ == "__main__":
    main()
