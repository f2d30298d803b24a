"""Rebuild read models beside the live tables, and swap them in only once complete.

The shadow tables (`projections.shadow`) are built while the live read models keep
answering, and the follower keeps them current. A rebuild of a long log is split into parts,
one per core (`LEDGER_REBUILD_WORKERS`), each a group of read models of about equal cost for
the log at hand (`projections.parts`), each built by its own process, which reads the log and
decodes only the events its read models handle, and writes its own shadow schema (SQLite: its
own file): applying events is bound by Python on one core, and the parts share nothing until
the swap. The first part is built by the rebuild's own process. A read model that cannot
apply an event halts in its shadow alone; the rebuild then swaps nothing and names the event.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import TYPE_CHECKING, Any

from domain.services import Ledger
from projections.halts import Halt
from projections.parts import sample, split
from projections.shadow import Shadow

if TYPE_CHECKING:
    from projections.runner import Progress, ReadModels

SWAP_ATTEMPTS = 5  # the live read models moved ahead meanwhile: catch the shadow up, try again
PARALLEL_FROM = 50_000  # events to read: below this, starting a process costs more than it saves


class RebuildFailed(Exception):
    """A rebuild met an event it cannot apply; the live read models are as they were."""

    def __init__(self, halt: Halt) -> None:
        super().__init__(f"Rebuild failed, nothing changed: {halt.summary}")
        self.halt = halt


def configured_workers() -> int:
    """Return how many processes a long rebuild uses (LEDGER_REBUILD_WORKERS; default: the
    cores this process may run on)."""
    given = os.environ.get("LEDGER_REBUILD_WORKERS", "")
    return max(int(given) if given else len(os.sched_getaffinity(0)), 1)


def parts_of(models: ReadModels, ledger: Ledger, names: list[str], parts: int) -> list[list[str]]:
    """Group the named read models into at most `parts` parts of about equal cost for this
    log (`projections.parts`), the dearest first."""
    handled = {n: set(models.projections[n].handled_topics) for n in names}
    head = ledger.recorder.max_notification_id() or 0
    return split(handled, sample(ledger.recorder, head) if parts > 1 else {}, parts)


def rebuild_beside(
    models: ReadModels,
    ledger: Ledger,
    names: list[str],
    progress: Progress | None,
    batch_size: int | None,
) -> int:
    """Build the named read models in shadow tables, then swap them in; return events read."""
    from projections.runner import configured_rebuild_batch

    size = batch_size or configured_rebuild_batch()
    head = ledger.recorder.max_notification_id() or 0
    groups = parts_of(models, ledger, names, configured_workers() if head >= PARALLEL_FROM else 1)
    shadow = Shadow(models.url, groups)
    workers: list[tuple[BaseProcess, Connection]] = []
    try:
        workers = [_start(models.url, groups, k, size) for k in range(1, len(groups))]
        count = build(shadow.parts[0], ledger, groups[0], progress, size)
        count = max([count, *(_result(*worker) for worker in workers)])
        for _ in range(SWAP_ATTEMPTS):
            failed = shadow.halts()
            if failed:
                raise RebuildFailed(next(iter(failed.values())))
            if shadow.swap_into(models):
                return count
            for part, group in zip(shadow.parts, groups, strict=True):
                count += build(part, ledger, group, None, size)
        raise RuntimeError("the live read models kept moving ahead of the rebuild; try again")
    finally:
        for process, _ in workers:
            if process.is_alive():
                process.terminate()
            process.join()
        shadow.drop()


def build(
    part: ReadModels, ledger: Ledger, group: list[str], progress: Progress | None, size: int
) -> int:
    """Catch one part of the shadow up; then do, once, what its batches left their `finish`
    (not for a read model that halted: the rebuild fails). Return the events read."""
    with collector_paused():
        count = part.catch_up(ledger, group, progress, size)
        halted = part.halts()
        for name in group:
            if name not in halted:
                part.projections[name].finish_deferred()
    return count


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector meanwhile. A batch holds some 100,000 rows,
    events and values, and each full collection walked them all: a fifth to a third of a
    rebuild's CPU. What a rebuild makes is freed by reference counting (its peak memory was
    the same with the collector off), and what cycles it leaves are collected afterwards."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _start(
    url: str, groups: list[list[str]], part: int, size: int
) -> tuple[BaseProcess, Connection]:
    """Start a process building one part; return it and where its result will come."""
    # Forked: a spawned process spent ~2 s of CPU importing the ledger before it read an event.
    # The child opens connections of its own and never touches those it inherits (it ends by
    # os._exit, closing none of them); the rebuild starts it before any thread of its own.
    forking = "fork" in multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if forking else "spawn")
    receiving, sending = context.Pipe(duplex=False)
    process = context.Process(
        target=build_part,
        args=(sending, url, groups, part, size, os.getpid()),
        name=f"ledger-rebuild-{part}",
        daemon=True,
    )
    process.start()
    sending.close()
    return process, receiving


def _result(process: BaseProcess, receiving: Connection) -> int:
    """Wait for a part's process; return the events it read, or raise what stopped it."""
    try:
        outcome, value = receiving.recv()
    except EOFError:
        process.join()
        raise RuntimeError(
            f"the rebuild's process {process.name} ended (exit code {process.exitcode})"
        ) from None
    finally:
        receiving.close()
    process.join()
    if outcome != "done":
        raise RuntimeError(f"the rebuild's process {process.name} failed: {value}")
    return int(value)


def build_part(
    sending: Connection, url: str, groups: list[list[str]], part: int, size: int, parent: int
) -> None:
    """In a process of its own: build one part of a rebuild's shadow, send the events read."""
    from adapters.persistence import ledger_env

    def orphaned(*_: Any) -> None:
        if os.getppid() != parent:  # the rebuild was killed: stop, as it did
            os._exit(1)

    shadow, ledger = Shadow(url, groups, fresh=False), Ledger(env=ledger_env(url))
    try:
        count = build(shadow.parts[part], ledger, groups[part], orphaned, size)
        sending.send(("done", count))
    except BaseException as error:  # noqa: BLE001 (sent to the rebuild, which raises it)
        sending.send(("failed", "".join(traceback.format_exception_only(error)).strip()))
    finally:
        sending.close()
        shadow.close()
        ledger.close()
