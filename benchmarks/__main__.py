"""`python -m benchmarks [--events N] [--backend sqlite|postgres|both] [--only NAME]`."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import api, report
from benchmarks.databases import BACKENDS, database, postgres_available
from benchmarks.phase import Figures, run_phase

NAMES = ("commands", "rebuild", "queries", "api", "merkle")
DEFAULT_EVENTS = 250_000


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--events", type=int, default=DEFAULT_EVENTS, help="size of the log")
    parser.add_argument("--backend", choices=(*BACKENDS, "both"), default="both")
    parser.add_argument("--only", choices=NAMES, action="append", help="run only these")
    parser.add_argument("--samples", type=int, default=200, help="as-of queries timed per size")
    parser.add_argument("--commands", type=int, default=500, help="record_judgments commands")
    parser.add_argument(  # one per core: more only contend for it (benchmark 3, README)
        "--api-workers", type=int, default=os.cpu_count() or 2, help="gunicorn workers"
    )
    parser.add_argument("--api-rate", type=float, default=200.0, help="API requests per second")
    parser.add_argument("--tree-leaves", type=int, default=1_000_000, help="tree proved from")
    parser.add_argument("--api-seconds", type=float, default=20.0, help="of the API's mix")
    return parser.parse_args(argv)


def run_backend(backend: str, options: argparse.Namespace, workdir: Path) -> dict[str, Figures]:
    """Write the log in two steps (a quarter, then all), measuring at each size."""
    chosen = set(options.only or NAMES) - ({"api"} if backend != "postgres" else set())
    results: dict[str, Figures] = {}
    if not chosen:
        return results
    state = str(workdir / f"{backend}-progress.json")
    sizes = sorted({max(options.events // 4, 1), options.events})
    if not chosen & {"rebuild", "queries"}:
        sizes = [options.events] if chosen - {"merkle"} else []  # the tree's own tables only
    with database(backend, "ledger", workdir) as url:
        for size in sizes:
            label = f"{size}"
            results[f"generate@{label}"] = run_phase(
                "generate", url=url, final_events=options.events, stop_at=size, state_file=state
            )
            if chosen & {"rebuild", "queries"}:
                results[f"read_log@{label}"] = run_phase("read_log", url=url)
                results[f"read_map@{label}"] = run_phase("read_log", url=url, map_events=True)
                results[f"rebuild@{label}"] = run_phase("rebuild", url=url)
                results[f"rebuild_one@{label}"] = run_phase("rebuild", url=url, workers=1)
            if "queries" in chosen:
                results[f"queries@{label}"] = run_phase("queries", url=url, samples=options.samples)
        if chosen & {"api", "commands"} and not chosen & {"rebuild", "queries"}:
            run_phase("rebuild", url=url)  # read models start from the head
        if "api" in chosen:
            results["api"] = run_phase(
                "api",
                url=url,
                workers=options.api_workers,
                rate=options.api_rate,
                seconds=options.api_seconds,
            )
        if "commands" in chosen:
            results["commands"] = run_phase("commands", url=url, count=options.commands)
        if "merkle" in chosen:
            results["merkle"] = run_phase(
                "merkle", url=url, appends=options.commands, leaves=options.tree_leaves
            )
    return results


def main(argv: list[str] | None = None) -> int:
    """Run the chosen benchmarks on the chosen backends and print their figures."""
    options = parse(argv)
    backends = list(BACKENDS) if options.backend == "both" else [options.backend]
    if "postgres" in backends and not postgres_available():
        print("PostgreSQL did not answer: skipping it", file=sys.stderr)
        backends.remove("postgres")
    if "api" in (options.only or NAMES) and "sqlite" in backends:
        print(f"-- {api.ONLY_POSTGRES}")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="ledger-bench-") as directory:
        for backend in backends:
            results = run_backend(backend, options, Path(directory))
            print(report.render(backend, results))
            sys.stdout.flush()
    print(f"-- total {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
