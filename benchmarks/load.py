"""A cheap HTTP load generator on asyncio: an open loop at a fixed rate, or a closed loop.

Requests go over persistent HTTP/1.1 connections, as an agency's system (or a proxy in front
of the service) sends them: a request takes an idle connection, or opens one, and gives it
back once the whole answer (its Content-Length) is read, unless the server closed it. A
connection the server dropped while idle (gunicorn keeps one open for `keepalive` seconds) is
replaced and the request sent again, as HTTP clients do. That takes a few lines on asyncio's
streams and far less of the client's CPU than an HTTP library would, which matters when the
client shares two cores with the server and the database. `keep_alive=False` opens a
connection per request. In the open loop, latency runs from when a request was due, not from
when it went out: a server (or a client) that falls behind cannot hide it.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from benchmarks.queries import percentiles

NO_BODY = {204, 304}  # answers that never have a body (RFC 9112, 6.3); no HEADs are sent
Call = Callable[[], Awaitable["Reply"]]
Job = tuple[str, Call]  # what kind of request, and how to send it


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]  # names in lower case
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass(frozen=True)
class Outcome:
    kind: str
    status: int  # 0: no answer (refused, reset, timed out)
    seconds: float
    detail: str = ""  # what went wrong

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300 or self.status == 304  # 304: a conditional GET's answer


@dataclass(frozen=True)
class Run:
    outcomes: list[Outcome]
    seconds: float
    cpu_seconds: float  # the client's own

    def summary(self, kinds: Iterable[str] | None = None) -> dict[str, Any]:
        """Return requests, requests per second, errors and p50/p99 (of these kinds)."""
        wanted = set(kinds) if kinds is not None else None
        chosen = [o for o in self.outcomes if wanted is None or o.kind in wanted]
        answered = sum(o.ok for o in chosen)
        return {
            "requests": len(chosen),
            "per_s": answered / self.seconds,  # answered successfully
            "errors": len(chosen) - answered,
            "client_cpu": self.cpu_seconds / self.seconds,  # share of one core
            **percentiles([o.seconds for o in chosen] or [0.0]),
        }

    def errors(self) -> list[str]:
        """Describe each failed request."""
        return [f"{o.kind}: {o.status} {o.detail}" for o in self.outcomes if not o.ok]

    @classmethod
    def joined(cls, runs: list[Run]) -> Run:
        """Return these runs of one kind of request as one."""
        outcomes = [o for run in runs for o in run.outcomes]
        return cls(outcomes, sum(r.seconds for r in runs), sum(r.cpu_seconds for r in runs))


def parse_head(head: bytes) -> tuple[int, dict[str, str]]:
    """Return an HTTP/1.1 response's status and headers (names in lower case)."""
    status_line, *lines = head.decode("latin-1").rstrip("\r\n").split("\r\n")
    fields = (line.partition(":") for line in lines)
    return int(status_line.split()[1]), {k.strip().lower(): v.strip() for k, _, v in fields}


async def read_reply(reader: asyncio.StreamReader) -> tuple[Reply, bool]:
    """Read one whole response; return it and whether the connection can carry another."""
    status, headers = parse_head(await reader.readuntil(b"\r\n\r\n"))
    reusable = headers.get("connection", "").lower() != "close"
    if status in NO_BODY:
        return Reply(status, headers, b""), reusable
    if "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
        return Reply(status, headers, body), reusable
    if headers.get("transfer-encoding", "").lower() == "chunked":
        chunks = []
        while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
            chunks.append((await reader.readexactly(size + 2))[:-2])
        await reader.readuntil(b"\r\n")  # no trailers are sent
        return Reply(status, headers, b"".join(chunks)), reusable
    return Reply(status, headers, await reader.read()), False  # to the end: it closes


class Client:
    """Sends requests to a server over kept connections (one per request if not
    `keep_alive`), with a bearer token if given."""

    def __init__(
        self, base: str, token: str = "", timeout: float = 10.0, keep_alive: bool = True
    ) -> None:
        address = urlsplit(base)
        self.host, self.port = address.hostname or "127.0.0.1", address.port or 80
        self.token, self.timeout, self.keep_alive = token, timeout, keep_alive
        self.idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []

    def _request(self, method: str, path: str, body: bytes, headers: dict[str, str]) -> bytes:
        lines = [
            f"{method} {path} HTTP/1.1",
            f"Host: {self.host}:{self.port}",
            *([] if self.keep_alive else ["Connection: close"]),
            f"Content-Length: {len(body)}",
            *([f"Authorization: Bearer {self.token}"] if self.token else []),
            *(f"{name}: {value}" for name, value in headers.items()),
        ]
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + body

    async def send(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> Reply:
        """Send a request (a JSON body if given) and return the whole response."""
        payload = b"" if body is None else json.dumps(body).encode()
        extra = (headers or {}) | ({"Content-Type": "application/json"} if payload else {})
        request = self._request(method, path, payload, extra)
        return await asyncio.wait_for(self._exchange(request), self.timeout)

    async def _exchange(self, request: bytes) -> Reply:
        while self.idle:  # a kept connection the server may have closed meanwhile
            reader, writer = self.idle.pop()
            try:
                return await self._over(reader, writer, request)
            except asyncio.IncompleteReadError as error:
                if error.partial:  # part of an answer: not a connection dropped while idle
                    raise
            except ConnectionError:
                continue  # dropped while idle: the request was not read
        return await self._over(*await asyncio.open_connection(self.host, self.port), request)

    async def _over(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
    ) -> Reply:
        kept = False
        try:
            writer.write(request)
            reply, kept = await read_reply(reader)
            return reply
        finally:
            if kept and self.keep_alive:
                self.idle.append((reader, writer))
            else:
                writer.close()

    def get(self, path: str, headers: dict[str, str] | None = None) -> Call:
        """Return a call that GETs the path (with these headers, say If-None-Match)."""
        return lambda: self.send("GET", path, headers=headers)


async def _timed(kind: str, call: Call, due: float) -> Outcome:
    clock = asyncio.get_running_loop().time
    try:
        reply = await call()
    except Exception as error:  # every failure is an error of the run, never a crash
        return Outcome(kind, 0, clock() - due, f"{type(error).__name__} {error}".strip())
    detail = (
        ""
        if 200 <= reply.status < 300 or reply.status == 304
        else reply.body[:300].decode(errors="replace")
    )
    return Outcome(kind, reply.status, clock() - due, detail)


async def open_loop(jobs: Iterable[Job], rate: float) -> Run:
    """Send the jobs at a fixed rate whatever the answers; time each from when it was due."""
    loop, cpu = asyncio.get_running_loop(), time.process_time()
    started = loop.time()
    tasks = []
    for n, (kind, call) in enumerate(jobs):
        due = started + n / rate
        await asyncio.sleep(max(0.0, due - loop.time()))
        tasks.append(asyncio.create_task(_timed(kind, call, due)))
    outcomes = await asyncio.gather(*tasks)
    return Run(list(outcomes), loop.time() - started, time.process_time() - cpu)


async def closed_loop(next_job: Callable[[], Job], clients: int, seconds: float) -> Run:
    """Let each client send its next request as soon as its last is answered."""
    loop, cpu = asyncio.get_running_loop(), time.process_time()
    started = loop.time()
    outcomes: list[Outcome] = []

    async def client() -> None:
        while loop.time() < started + seconds:
            kind, call = next_job()
            outcomes.append(await _timed(kind, call, loop.time()))

    await asyncio.gather(*(client() for _ in range(clients)))
    return Run(outcomes, loop.time() - started, time.process_time() - cpu)


ROUNDS = 3  # of alternating closed loops


async def alternating(jobs: list[Callable[[], Job]], clients: int, seconds: float) -> list[Run]:
    """Run a closed loop of each kind of job in turn, for `ROUNDS` rounds of a share of
    `seconds` each; return each kind's rounds as one run. A slow spell of the machine then
    hits every kind alike, as the ratio of their rates wants."""
    rounds: list[list[Run]] = [[] for _ in jobs]
    for _ in range(ROUNDS):
        for runs, job in zip(rounds, jobs, strict=True):
            runs.append(await closed_loop(job, clients, seconds / ROUNDS))
    return [Run.joined(runs) for runs in rounds]
