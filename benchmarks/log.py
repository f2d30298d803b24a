"""Phases on the whole log: write it, read it raw (the baseline), rebuild every read model."""

from __future__ import annotations

import os
import resource
import time
from pathlib import Path
from typing import Any

from adapters.persistence import ledger_env
from benchmarks.generate import generate
from domain.services import Ledger
from projections.runner import ReadModels

READ_BATCH = 1000


def open_ledger(url: str) -> Ledger:
    """Return the ledger application on the benchmark database."""
    return Ledger(env=ledger_env(url))


def generate_phase(url: str, final_events: int, stop_at: int, state_file: str) -> dict[str, Any]:
    """Write the log up to `stop_at` events (of a schedule sized for `final_events`)."""
    ledger = open_ledger(url)
    started = time.perf_counter()
    before = ledger.recorder.max_notification_id() or 0
    figures = generate(ledger, final_events, stop_at, Path(state_file))
    seconds = time.perf_counter() - started
    written = figures["events"] - before
    ledger.close()
    return figures | {"written": written, "seconds": seconds, "rate": written / seconds}


def read_log_phase(url: str, map_events: bool = False) -> dict[str, Any]:
    """Read the whole notification log through the recorder, as a projection would."""
    ledger = open_ledger(url)
    started, cpu, start, count = time.perf_counter(), time.process_time(), 0, 0
    while True:
        batch = ledger.recorder.select_notifications(start, READ_BATCH, inclusive_of_start=False)
        if not batch:
            break
        if map_events:
            for notification in batch:
                ledger.mapper.to_domain_event(notification)
        count, start = count + len(batch), batch[-1].id
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    ledger.close()
    return {"events": count, "seconds": seconds, "rate": count / seconds, "cpu": cpu}


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def rebuild_phase(url: str, workers: int | None = None) -> dict[str, Any]:
    """Rebuild every read model from the log (in `workers` processes: else as configured)."""
    if workers is not None:
        os.environ["LEDGER_REBUILD_WORKERS"] = str(workers)
    ledger = open_ledger(url)
    models = ReadModels(url)
    started, cpu, workers_cpu = time.perf_counter(), time.process_time(), _children_cpu()
    count = models.rebuild(ledger)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    workers_cpu = _children_cpu() - workers_cpu
    models.close()
    ledger.close()
    workers_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "events": count,
        "seconds": seconds,
        "rate": count / seconds,
        "workers_mb": workers_mb,
        "cpu": cpu,  # this process's CPU seconds
        "workers_cpu": workers_cpu,  # its worker processes', together
    }
