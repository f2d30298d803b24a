"""A throw-away PostgreSQL cluster of a test's own, so a restart never touches the machine's.

`initdb` in a temporary folder, `pg_ctl` on a free port of 127.0.0.1 with trust authentication
and its unix socket in that folder. PostgreSQL refuses to run as root, so as root every command
runs as the `postgres` OS user (through `runuser`), who owns the folder.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from benchmarks.serving import free_port

DATABASE = "ledger"


class ClusterUnavailable(Exception):
    """This machine cannot make a cluster of its own (no binaries, or no one to run them)."""


def binaries() -> Path:
    """Return the newest PostgreSQL server's bin folder under /usr/lib/postgresql."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3])
    )
    if not found:
        raise ClusterUnavailable("no initdb under /usr/lib/postgresql/*/bin")
    return Path(found[-1]).parent


def run_as() -> tuple[list[str], int | None]:
    """Return the command prefix that drops root to `postgres`, and that user's uid."""
    if os.geteuid() != 0:
        return [], None  # any other user may run a cluster as themselves
    try:
        uid = pwd.getpwnam("postgres").pw_uid
    except KeyError:
        raise ClusterUnavailable("running as root and there is no postgres OS user") from None
    if shutil.which("runuser"):
        return ["runuser", "-u", "postgres", "--"], uid
    if shutil.which("su"):
        return ["su", "-s", "/bin/sh", "-c", '"$0" "$@"', "postgres", "--"], uid
    raise ClusterUnavailable("running as root without runuser or su to become postgres")


def started_at(url: str) -> object:
    """Return when the server at the URL last started."""
    engine = create_engine(url, poolclass=NullPool)
    with engine.connect() as conn:
        moment = conn.execute(text("SELECT pg_postmaster_start_time()")).scalar()
    engine.dispose()
    return moment


class Cluster:
    """A PostgreSQL cluster in a temporary folder, listening on a free port of 127.0.0.1."""

    def __init__(self) -> None:
        self.bin = binaries()
        self.prefix, uid = run_as()
        self.folder = Path(tempfile.mkdtemp(prefix="ledger-pg-"))
        if uid is not None:
            os.chown(self.folder, uid, -1)
        self.data = self.folder / "data"
        self.port = free_port()
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{DATABASE}"

    def _run(self, program: str, *arguments: str) -> None:
        command = [*self.prefix, str(self.bin / program), *arguments]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if done.returncode:
            raise RuntimeError(f"{program} failed ({done.returncode}): {done.stderr.strip()}")

    def _pg_ctl(self, action: str) -> None:
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder}"
        log = str(self.folder / "server.log")
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", log, "-o", options, "-w", "-m", "fast", action
        )

    def start(self) -> None:
        """Initialise the cluster, start it and create the ledger's database."""
        self._run(
            "initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
            "--no-sync",
        )  # fmt: skip
        self._pg_ctl("start")
        admin = self.url.rsplit("/", 1)[0] + "/postgres"
        engine = create_engine(admin, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        with engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{DATABASE}"'))
        engine.dispose()

    def restart(self) -> None:
        """Restart this cluster's server (fast shutdown: every session is cut)."""
        self._pg_ctl("restart")

    def is_running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def stop(self) -> None:
        """Stop the server if it runs, and delete the folder."""
        try:
            if self.is_running():
                self._pg_ctl("stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
