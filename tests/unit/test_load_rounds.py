"""The benchmark's saturation runs alternate their kinds of request, then join each kind's rounds."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from benchmarks import load
from benchmarks.load import Reply, alternating


def test_alternating_closed_loops_take_turns_and_join_each_kinds_rounds():
    sent: list[str] = []

    def job(kind: str, status: int) -> load.Job:
        async def call() -> Reply:
            sent.append(kind)
            await asyncio.sleep(0.01)
            return Reply(status, {}, b"")

        return kind, call

    rounds = alternating([lambda: job("a", 200), lambda: job("b", 503)], clients=2, seconds=0.3)
    # a thread of its own: the browser tests' Playwright may keep an event loop running here
    with ThreadPoolExecutor(1) as loop_thread:
        first, second = loop_thread.submit(asyncio.run, rounds).result()
    turns = [k for i, k in enumerate(sent) if i == 0 or sent[i - 1] != k]
    assert turns == ["a", "b"] * load.ROUNDS  # a round of each kind, in turn
    assert {o.kind for o in first.outcomes} == {"a"} and {o.kind for o in second.outcomes} == {"b"}
    assert 0.3 <= first.seconds < 0.6 and 0.3 <= second.seconds < 0.6  # the rounds' sum
    assert first.summary()["errors"] == 0 and second.summary()["errors"] == len(second.outcomes)
