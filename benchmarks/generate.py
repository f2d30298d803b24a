"""Write a realistic log fast: 153 councils, years of inspections, challenges and action plans.

Stories are built through the real aggregates (with a fake clock), then their events are
sorted by time within each write batch, so different inspections interleave as they would in
life, and stored through the ledger's own recorder (hash chain included), many aggregates per
insert. The schedule is deterministic for a given final size, so a log can be written in two
steps (a first size, then on to the final size) with the progress kept in a small JSON file.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

from adapters.reference_data import read_councils, read_former_councils
from benchmarks.episodes import ADMIN, home_urn, imported, live
from benchmarks.fake_clock import CLOCK, stamped_by_fake_clock
from domain.council import Council, council_id
from domain.events import LedgerAggregate
from domain.services import Ledger
from domain.setting import Setting, SettingDetails

FIRST_DAY, LAST_DAY = date(2014, 1, 6), date(2026, 10, 30)
EVENTS_PER_STORY = 24  # measured average, used only to size the schedule
WRITE_BATCH = 5000  # events per insert


@dataclass(frozen=True, order=True)
class Story:
    starts_on: date
    council: str
    type_key: str


def _weekday(day: date) -> date:
    return day + timedelta(days=max(0, 7 - day.weekday()) if day.weekday() >= 5 else 0)


def _core(council: str, rng: random.Random) -> Iterator[Story]:
    """Graded inspections every three years, visits between them, joint inspections."""
    day = FIRST_DAY + timedelta(days=rng.randint(0, 1000))
    while day < LAST_DAY:
        short = rng.random() < 0.4 and day >= date(2018, 1, 1)
        yield Story(_weekday(day), council, "short" if short else "standard")
        if day >= date(2018, 6, 1):
            yield Story(_weekday(day + timedelta(days=500)), council, "focused_visit")
        if rng.random() < 0.15 and day >= date(2018, 1, 1):  # inadequate: monitoring visits
            for quarter in range(1, 7):
                yield Story(
                    _weekday(day + timedelta(days=91 * quarter + 3)), council, "monitoring_visit"
                )
        day += timedelta(days=1095 + rng.randint(-60, 60))
    jtai = date(2015, 6, 1) + timedelta(days=rng.randint(0, 1800))
    yield Story(_weekday(jtai), council, "jtai")


def schedule(total_events: int, seed: int = 7) -> list[Story]:
    """Return every story of a log of about `total_events`, in the order they start."""
    rng = random.Random(seed)
    codes = [c.code for c in read_councils()]
    core = [s for code in codes for s in _core(code, rng)]
    wanted = total_events // EVENTS_PER_STORY + 1
    if wanted < len(core):
        return sorted(rng.sample(core, min(len(core), total_events // 15 + 1)))
    homes_first, span = date(2017, 4, 3), (LAST_DAY - date(2017, 4, 3)).days
    per_council = min((wanted - len(core)) // len(codes) + 1, span * 5 // 7)
    settings = []
    for code in codes:  # regulated children's homes: each inspection on a distinct day
        days = sorted(
            {
                _weekday(homes_first + timedelta(days=d))
                for d in rng.sample(range(span), per_council)
            }
        )
        settings += [Story(d, code, "sccif_full") for d in days]
    return sorted([*core, *settings])


class LogWriter:
    """Collect aggregates' new events and store them, time-ordered, in large inserts."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger, self.written = ledger, 0
        self.pending: list[Any] = []
        self.councils: dict[str, Council] = {}

    def add(self, *aggregates: LedgerAggregate) -> None:
        """Queue the aggregates' new events, writing a batch when enough are queued."""
        for aggregate in aggregates:
            self.pending.extend(aggregate.collect_events())
        if len(self.pending) >= WRITE_BATCH:
            self.flush()

    def flush(self) -> None:
        """Store every queued event in one insert, in the order they happened."""
        if not self.pending:
            return
        events = sorted(self.pending, key=lambda e: e.timestamp)
        stored = [self.ledger.mapper.to_stored_event(e) for e in events]
        self.ledger.recorder.insert_events(stored, correlation_id=uuid4().hex, causation={})
        self.written += len(stored)
        self.pending = []


def register_councils(writer: LogWriter) -> None:
    """Register the 153 councils and the former ones, and abolish those."""
    current = read_councils()
    CLOCK.at(date(2013, 12, 2))
    councils = [Council.register(ADMIN, c.code, c.name, c.details) for c in current]
    for record in read_former_councils(None, current):
        council = Council.register(ADMIN, record.code, record.name, record.details)
        if record.abolished_on:
            council.abolish(ADMIN, record.abolished_on, record.successors)
        councils.append(council)
    writer.councils = {c.code: c for c in councils}
    writer.add(*councils)
    homes = [  # each council's own children's home, inspected under SCCIF
        Setting.register(
            ADMIN,
            home_urn(c.code),
            SettingDetails(f"{c.name} Lodge", "childrens_home", c.code, c.code),
        )
        for c in current
    ]
    writer.add(*homes)


def _intervene(ledger: Ledger, writer: LogWriter, story: Story, rng: random.Random) -> None:
    if rng.random() < 0.03:  # DfE steps in after a poor inspection
        council = writer.councils.get(story.council) or ledger.repository.get(
            council_id(story.council)
        )
        writer.councils[story.council] = council
        CLOCK.at(story.starts_on + timedelta(days=90))
        council.record_intervention(ADMIN, "improvement_adviser_appointed", CLOCK.day, "Adviser")
        writer.add(council)


def generate(ledger: Ledger, final_events: int, stop_at: int, state_file: Path) -> dict[str, Any]:
    """Write stories of the final-size schedule until the log holds `stop_at` events."""
    state = json.loads(state_file.read_text()) if state_file.exists() else {"next": 0, "events": 0}
    stories = schedule(final_events)
    writer = LogWriter(ledger)
    writer.written = state["events"]
    with stamped_by_fake_clock():
        if state["next"] == 0:
            register_councils(writer)
        index = state["next"]
        while index < len(stories) and writer.written + len(writer.pending) < stop_at:
            story = stories[index]
            rng = random.Random(f"{story}")
            CLOCK.rewind()
            build = imported if story.starts_on < date(2018, 1, 1) else live
            writer.add(*build(story.council, story.type_key, story.starts_on, rng))
            if story.type_key in ("standard", "short"):
                _intervene(ledger, writer, story, rng)
            index += 1
        writer.flush()
    state_file.write_text(json.dumps({"next": index, "events": writer.written}))
    return {"events": writer.written, "stories": index, "stories_planned": len(stories)}
