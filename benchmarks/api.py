"""Benchmark 3, the API under load: gunicorn workers and a follower on the benchmark database.

Set-up, untimed: an Ofsted inspector's account and API token, and a short inspection on site
at every current council (started on this week's Monday, through the Ledger with a clock set
to each step's day), so every write has a record that no other write touches at the same
moment; then VACUUM ANALYZE, as pgbench does before a run, and CHECKPOINT. Then, with
`ledger serve --workers W` and `ledger projections follow` running: a warm-up; the baseline,
GET /healthz at the fixed rate (the floor of gunicorn, Flask and this client); the mix at the
same rate (reads: a council's region's current ratings, a council's rating history; writes: a
finding, a set of judgments), after short closed-loop saturation runs of /healthz and of reads
(first, so that a mix the server could not keep up with leaves no queue in them).
"""

from __future__ import annotations

import asyncio
import gc
import itertools
import os
import random
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote
from uuid import uuid4

from sqlalchemy import create_engine

from adapters.persistence import ledger_env
from benchmarks.commands import Clock
from benchmarks.cpu import Meter, meter, postmaster_of
from benchmarks.episodes import INSPECTORS
from benchmarks.load import Client, Job, Reply, Run, alternating, open_loop
from benchmarks.phase import Figures
from benchmarks.serving import Server, api_token, follower, peak_mb_of
from domain.errors import ConflictingChange
from domain.frameworks import Framework, framework_for
from domain.rules import OVERALL
from domain.services import Ledger

INSPECTOR = INSPECTORS["OFSTED"]
TYPE = "short"  # the commands benchmark schedules standard inspections: no clash with it
READS, WRITES = ("ratings", "history"), ("finding", "judgments")
SHARES = {"read": 0.8, "finding": 0.1, "judgments": 0.1}  # reads: half ratings, half history
FINDING = {
    "agency": "OFSTED",
    "summary": "Supervision is irregular in the assessment teams",
    "recommendations": ["Audit supervision"],
}
ONLY_POSTGRES = "3. API under load: measured on PostgreSQL only (run with --backend postgres)"


@dataclass
class Record:
    path: str
    etag: str


def on_site_this_week(url: str, today: date) -> tuple[list[Record], Framework]:
    """Start a short inspection at every current council; return them and their framework."""
    starts = today - timedelta(days=today.weekday())
    clock = Clock()
    ledger = Ledger(env=ledger_env(url), today=clock)
    records = []
    for council in ledger.councils():
        if council.abolished_on is not None:
            continue
        clock.day = starts - timedelta(days=28)
        try:
            made = ledger.schedule_inspection(
                INSPECTOR, council.code, TYPE, starts, reason="benchmark: short inspections"
            )
        except ConflictingChange:  # the generated log holds this one already
            continue
        clock.day = starts
        ledger.start_on_site(INSPECTOR, made)
        version = ledger.inspection(INSPECTOR, made).version
        records.append(Record(f"/api/v1/inspections/{made}", f'"{version}"'))
    ledger.close()
    if not records:
        raise RuntimeError(f"every council already has a {TYPE} inspection starting {starts}")
    return records, framework_for(TYPE, starts)


class Mix:
    """Requests as agencies' systems send them: mostly reads, some writes."""

    def __init__(
        self,
        client: Client,
        councils: list[dict[str, Any]],
        records: list[Record],
        framework: Framework,
        seed: int = 3,
    ) -> None:
        self.client, self.councils = client, councils
        self.areas = [a.key for a in framework.areas if a.required]
        self.areas += [OVERALL] if framework.has_overall else []
        self.grades = framework.scale.grades  # the same grade in every area breaks no rule
        self.rng = random.Random(seed)
        self.free: asyncio.Queue[Record] = asyncio.Queue()
        for record in records:
            self.free.put_nowait(record)

    def read(self) -> Job:
        """Return a read: a region's current ratings or a council's rating history."""
        council = self.rng.choice(self.councils)
        if self.rng.random() < 0.5:
            return "ratings", self.client.get(f"/api/v1/ratings?region={quote(council['region'])}")
        return "history", self.client.get(f"/api/v1/councils/{council['code']}/history")

    def next(self) -> Job:
        """Return the next request of the mix."""
        kind = self.rng.choices(list(SHARES), list(SHARES.values()))[0]
        if kind == "read":
            return self.read()
        if kind == "finding":
            return kind, lambda: self.write("findings", FINDING)
        grade = self.rng.choice(self.grades)
        judgments = {"judgments": [{"area": area, "grade": grade} for area in self.areas]}
        return kind, lambda: self.write("judgments", judgments)

    def jobs(self, count: int) -> list[Job]:
        """Return the next `count` requests."""
        return [self.next() for _ in range(count)]

    async def write(self, what: str, body: dict[str, Any]) -> Reply:
        """POST to an inspection no other request is changing, with its ETag as If-Match."""
        record = await self.free.get()  # waiting counts: latency runs from when it was due
        etag, record.etag = record.etag, "*"  # unless this write answers with the new one
        try:
            headers = {"If-Match": etag, "Idempotency-Key": uuid4().hex}
            reply = await self.client.send("POST", f"{record.path}/{what}", body, headers)
            record.etag = reply.headers.get("etag", "*")
            return reply
        finally:
            self.free.put_nowait(record)


@dataclass(frozen=True)
class Load:
    rate: float  # requests per second, open loop
    seconds: float  # of the baseline and of the mix each
    clients: int  # of the closed-loop saturation runs

    @property
    def requests(self) -> int:
        return max(int(self.rate * self.seconds), 1)

    @property
    def warm_up(self) -> int:
        return max(int(self.rate * min(2.0, self.seconds / 4)), 1)

    @property
    def saturation_seconds(self) -> float:
        return max(0.5, min(5.0, self.seconds / 4))


async def _current_councils(client: Client) -> list[dict[str, Any]]:
    listed = (await client.send("GET", "/api/v1/councils?limit=500")).json()["items"]
    return [c for c in listed if not c["abolished_on"]]


async def _lag_once_served(client: Client, seconds: float = 300.0) -> int:
    """Wait until requests queued by an overload are served; return the read models' lag."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            reply = await client.send("GET", "/readyz")  # queued behind what is waiting
            return max(reply.json().get("projection_lag", {}).values(), default=0)
        except (TimeoutError, OSError):
            if time.monotonic() > deadline:
                raise


async def _revalidations(client: Client, mix: Mix, load: Load) -> tuple[Run, Run]:
    """Closed loops of full reads and of the same reads sent with the ETag they last got."""
    paths = sorted({f"/api/v1/ratings?region={quote(c['region'])}" for c in mix.councils})
    tags = {p: (await client.send("GET", p)).headers.get("etag", "") for p in paths}
    turns = itertools.cycle(paths)

    def conditional() -> Job:
        path = next(turns)
        return "304", client.get(path, {"If-None-Match": tags[path]})

    full, revalidated = await alternating(
        [lambda: ("full", client.get(next(turns))), conditional],
        load.clients,
        load.saturation_seconds,
    )
    return full, revalidated


async def drive(
    client: Client, records: list[Record], framework: Framework, load: Load, cpu: Meter = dict
) -> Figures:
    """Warm up, then run the baseline, the mix and both saturation runs; return the figures
    (with the CPU each part spent on the mix, until its last request was answered)."""
    mix = Mix(client, await _current_councils(client), records, framework)
    healthz: Job = ("healthz", client.get("/healthz"))
    await open_loop(mix.jobs(load.warm_up), load.rate)  # every worker's first requests
    # saturation first: a mix the server cannot keep up with leaves a queue behind it
    floor, ceiling = await alternating(
        [lambda: healthz, mix.read], load.clients, load.saturation_seconds
    )
    baseline = await open_loop([healthz] * load.requests, load.rate)
    before = cpu()
    loaded = await open_loop(mix.jobs(load.requests), load.rate)
    lag = await _lag_once_served(client)
    spent = {part: seconds - before[part] for part, seconds in cpu().items()}
    spent["load generator"] = loaded.cpu_seconds
    full, revalidated = await _revalidations(client, mix, load)
    return {
        "full_reads": full.summary(),
        "not_modified": revalidated.summary(),
        "not_modified_share": sum(o.status == 304 for o in revalidated.outcomes)
        / max(len(revalidated.outcomes), 1),
        "baseline": baseline.summary(),
        "mix": loaded.summary(),
        "reads": loaded.summary(READS),
        "writes": loaded.summary(WRITES),
        "lag_after": lag,
        "mix_cpu_ms": {part: 1000 * s / load.requests for part, s in spent.items()},
        "saturation_healthz": floor.summary(),
        "saturation_reads": ceiling.summary(),
        "error_details": [
            e for r in (baseline, loaded, floor, ceiling, full, revalidated) for e in r.errors()
        ][:5],
    }


def vacuum(url: str) -> None:
    """VACUUM ANALYZE, as pgbench does before a run, then CHECKPOINT: otherwise autovacuum of
    the freshly written log, and the flush of the pages writing it dirtied, would run during
    the measurement, which in a database in service they do not."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql("VACUUM ANALYZE")
        conn.exec_driver_sql("CHECKPOINT")
    engine.dispose()


def api_phase(
    url: str, workers: int | None = None, rate: float = 200.0, seconds: float = 20.0
) -> Figures:
    """Serve the benchmark database as production does and drive its API at a fixed rate
    (with one gunicorn worker per core unless told)."""
    workers = workers or os.cpu_count() or 2
    records, framework = on_site_this_week(url, date.today())
    token = api_token(url, INSPECTOR.user, INSPECTOR.role, INSPECTOR.organisation)
    vacuum(url)
    load = Load(rate, seconds, clients=2 * workers)  # enough to keep every worker busy
    with (
        tempfile.TemporaryDirectory(prefix="ledger-bench-metrics-") as folder,
        follower(url) as follows,
    ):
        server = Server(url, Path(folder), workers, {"LEDGER_INLINE_PROJECTIONS": "0"})
        try:
            server.wait_for("/readyz")  # the follower has caught up with the set-up
            cpu = meter(server.worker_pids(), follows.pid, postmaster_of(url))
            client = Client(server.base, token)
            gc.freeze()  # the generator's own full collections would add pauses to latencies
            figures = asyncio.run(drive(client, records, framework, load, cpu))
            figures |= {
                "worker_peak_mb": max(map(peak_mb_of, server.worker_pids()), default=0.0),
                "follower_peak_mb": peak_mb_of(follows.pid),
            }
        finally:
            server.stop()
    return figures | asdict(load) | {"workers": workers, "inspections": len(records)}
