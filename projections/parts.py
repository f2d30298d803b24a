"""Split a rebuild's read models into parts of about equal cost, for the log at hand.

Each part's process reads every row of the log, decodes each event that any of its read
models handles (once, however many of them handle it) and applies it to each that does. So a
part's cost depends on the log's mix of topics (early in a log inspections' events dominate,
later action plans' do) and on which read models share their events: the four that take
inspections' events decode them once if they are together, twice if not. The mix is counted
on a sample of the log (a few windows of ids, read by the primary key), and of the ways to
group the read models the one whose dearest part costs least is chosen.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, or_, select

# CPU per event (µs), measured on 2026-12-03 (250,000 events, SQLite): every part reads every
# row, decodes each event it needs once, and applies it to each of its read models handling it
READING, DECODING = 2.0, 8.0
APPLYING = {"ratings": 42.0, "disputes": 20.0, "action_plans": 9.5, "inspections": 8.5}
OTHERWISE = 8.0  # a read model not listed
WINDOWS, WINDOW = 16, 500  # the sample: this many windows of this many ids, evenly spread
SEARCHED = 5_000  # groupings tried at most; past that, the dearest read model first


def sample(recorder: Any, head: int) -> Counter[str]:
    """Count the topics of a sample of the log up to `head` (all of it, if short)."""
    table = recorder.events_record_cls.__table__
    starts = [0] if head <= WINDOWS * WINDOW else [k * head // WINDOWS for k in range(WINDOWS)]
    size = head if starts == [0] else WINDOW
    windows = [(table.c.id > s) & (table.c.id <= s + size) for s in starts]
    query = select(table.c.topic, func.count()).where(or_(*windows)).group_by(table.c.topic)
    with recorder.transaction(commit=False) as session:
        return Counter(dict(session.execute(query).tuples().all()))


def cost(group: list[str], handled: Mapping[str, set[str]], counts: Mapping[str, int]) -> float:
    """Estimate the CPU of building these read models in one process."""
    decoded = set().union(*(handled[n] for n in group))
    applying = sum(APPLYING.get(n, OTHERWISE) * _events(handled[n], counts) for n in group)
    return READING * sum(counts.values()) + DECODING * _events(decoded, counts) + applying


def split(
    handled: Mapping[str, set[str]], counts: Mapping[str, int], parts: int
) -> list[list[str]]:
    """Group the read models (name: topics it handles) into at most `parts` groups whose
    dearest costs least, for a log of these topics' counts; the dearest group first."""
    names = sorted(handled, key=lambda n: (-cost([n], handled, counts), n))
    parts = max(min(parts, len(names)), 1)
    if parts ** max(len(names) - 1, 0) > SEARCHED:
        return _dearest_first(names, handled, counts, parts)
    best: tuple[float, float, list[list[str]]] | None = None
    for rest in itertools.product(range(parts), repeat=len(names) - 1):
        groups: list[list[str]] = [[] for _ in range(parts)]
        for name, part in zip(names, (0, *rest), strict=True):
            groups[part].append(name)
        costs = [cost(g, handled, counts) for g in groups if g]
        if best is None or (max(costs), sum(costs)) < best[:2]:
            best = (max(costs), sum(costs), [g for g in groups if g])
    assert best is not None
    return sorted(best[2], key=lambda g: -cost(g, handled, counts))


def _dearest_first(
    names: list[str], handled: Mapping[str, set[str]], counts: Mapping[str, int], parts: int
) -> list[list[str]]:
    groups: list[list[str]] = [[] for _ in range(parts)]
    for name in names:  # each, dearest first, to the group it adds least to
        min(groups, key=lambda g: cost([*g, name], handled, counts)).append(name)
    return [g for g in groups if g]


def _events(topics: set[str], counts: Mapping[str, int]) -> int:
    return sum(counts.get(t, 0) for t in topics)
