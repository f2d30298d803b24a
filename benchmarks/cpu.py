"""CPU time the processes of a run spend, read from /proc: what each part costs a request.

Counted per process rather than from the load average, so that other work on a shared machine
does not enter the figures (it only slows them). A local PostgreSQL server's share is its
postmaster's children, those still running and those it has reaped meanwhile: every client's
backends, so the figure is the run's own only on a server no one else uses meanwhile.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

TICKS = os.sysconf("SC_CLK_TCK")
Meter = Callable[[], dict[str, float]]  # CPU seconds so far, by part


def _stat(pid: int) -> list[str]:
    """The fields of /proc/<pid>/stat after the command's name (the state is the first)."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def cpu_seconds(pid: int, reaped: bool = False) -> float:
    """Return the CPU a process has used, user and system (and its reaped children's)."""
    try:
        fields = _stat(pid)
    except OSError:
        return 0.0  # it has ended
    chosen = fields[11:15] if reaped else fields[11:13]  # utime stime [cutime cstime]
    return sum(map(int, chosen)) / TICKS


def children_of(parent: int) -> list[int]:
    """Return the ids of the parent's running child processes."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and int(_stat(int(entry.name))[1]) == parent:
                found.append(int(entry.name))
        except OSError:
            continue  # ended while we looked
    return found


def postmaster_of(url: str) -> int | None:
    """Return the process id of the PostgreSQL server at the URL if it runs on this machine."""
    engine = create_engine(url, poolclass=NullPool)
    with engine.connect() as conn:
        backend = int(conn.execute(text("SELECT pg_backend_pid()")).scalar_one())
        try:
            parent = int(_stat(backend)[1])
        except OSError:
            parent = None  # another machine's, or out of sight
    engine.dispose()
    return parent


def meter(workers: Iterable[int], follower: int, postmaster: int | None) -> Meter:
    """Return a reading of the CPU the web workers, the follower and the server have used."""
    chosen = list(workers)

    def read() -> dict[str, float]:
        spent = {
            "workers": sum(map(cpu_seconds, chosen)),
            "follower": cpu_seconds(follower),
        }
        if postmaster is not None:
            backends = sum(map(cpu_seconds, children_of(postmaster)))
            spent["postgres"] = cpu_seconds(postmaster, reaped=True) + backends
        return spent

    return read
