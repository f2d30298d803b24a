"""Command throughput: judgments recorded through the Ledger's commands, against raw appends.

Two raw baselines: the chained append is held against a raw append to a fresh table (both
start empty), the commands against a raw append to a table holding a copy of the log (the
commands append to the log, so their baseline appends to a table of the same size: otherwise
the ratio would count the log's size against the command).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder, InfrastructureFactory, StoredEvent
from eventsourcing.utils import Environment
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from adapters.persistence import ledger_env, shared_engine
from benchmarks.episodes import INSPECTORS
from domain.events import JudgmentInput
from domain.inspection import Inspection
from domain.services import Ledger
from projections.inline import InlineReadModels
from projections.runner import ReadModels

INSPECTOR = INSPECTORS["OFSTED"]
AREAS = ("leaders", "help_and_protection", "children_in_care", "care_leavers")  # ILACS 2026
FIRST_START = date(2027, 1, 4)
ROUNDS = 5  # after the generated history: no inspection clashes


class Clock:
    """The day the commands run on."""

    def __init__(self) -> None:
        self.day = FIRST_START

    def __call__(self) -> date:
        return self.day


def _on_site(ledger: Ledger, clock: Clock, codes: list[str], count: int, offset: int) -> list[UUID]:
    """Schedule inspections and start fieldwork (untimed set-up); return their ids."""
    ids = []
    for k in range(offset, offset + count):
        starts = FIRST_START + timedelta(weeks=k // len(codes))
        clock.day = starts - timedelta(days=28)
        inspection = ledger.schedule_inspection(
            INSPECTOR, codes[k % len(codes)], "standard", starts
        )
        clock.day = starts
        ledger.start_on_site(INSPECTOR, inspection)
        ids.append(inspection)
    return ids


def _judge(ledger: Ledger, ids: list[UUID]) -> float:
    """Record a full set of judgments on each inspection; return the seconds it took."""
    grades = [JudgmentInput(area, "Good") for area in AREAS]
    started = time.perf_counter()
    for inspection in ids:
        ledger.record_judgments(INSPECTOR, inspection, grades)
    return time.perf_counter() - started


def _recorder(url: str, name: str, module: str) -> ApplicationRecorder:
    environment = Environment(
        name, {"PERSISTENCE_MODULE": module, "SQLALCHEMY_URL": ledger_env(url)["SQLALCHEMY_URL"]}
    )
    return InfrastructureFactory.construct(env=environment).application_recorder()


def _copy_of_log(url: str, name: str) -> int:
    """Fill a raw recorder's (new, empty) table with a copy of the ledger's events; return
    how many there are."""
    engine = create_engine(ledger_env(url)["SQLALCHEMY_URL"])
    columns = "originator_id, originator_version, topic, state"
    with engine.begin() as conn:
        copied = conn.execute(
            text(f"INSERT INTO {name}_events ({columns}) SELECT {columns} FROM ledger_events")
        ).rowcount
    engine.dispose()
    return int(copied)


def _append(
    insert: Callable[[list[StoredEvent]], object], groups: list[list[StoredEvent]]
) -> float:
    """Insert each group of events in its own transaction; return the seconds it took."""
    started = time.perf_counter()
    for group in groups:
        insert(group)
    return time.perf_counter() - started


def _checkpoint(engine: Engine) -> None:
    """Copy SQLite's write-ahead log into the database file (untimed), so that the next timed
    part pays for the checkpoints its own writes make, not for what the part before wrote."""
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def _judgments(ledger: Ledger, ids: list[UUID]) -> list[list[StoredEvent]]:
    return [
        [
            ledger.mapper.to_stored_event(e)
            for e in ledger.events_of(i)
            if isinstance(e, Inspection.JudgmentRecorded)
        ]
        for i in ids
    ]


def commands_phase(url: str, count: int = 300) -> dict[str, Any]:
    """Time record_judgments commands, with and without the read models kept inline,
    alternating with raw appends of the same events."""
    clock = Clock()
    ledger = Ledger(env=ledger_env(url), today=clock)
    engine = shared_engine(url)  # the ledger's own
    inline_ledger = Ledger(env=ledger_env(url), today=clock)  # the same log, read models inline
    codes = sorted(c.code for c in ledger.councils() if c.abolished_on is None)
    raw = _recorder(url, "benchraw", "eventsourcing_sqlalchemy")
    sized = _recorder(url, "benchsized", "eventsourcing_sqlalchemy")
    log_events = _copy_of_log(url, "benchsized")
    chained = _recorder(url, "benchchain", "adapters.hash_chain:ChainedFactory")
    models = ReadModels(url)
    InlineReadModels(models, inline_ledger).attach()  # in each of its appends' transactions
    gc.collect()
    gc.freeze()  # what is loaded, as each of the server's workers freezes it (`web.server`)
    appends: dict[str, Callable[[list[StoredEvent]], object]] = {
        "raw": raw.insert_events,
        "sized": sized.insert_events,
        "chained": lambda g: chained.insert_events(g, correlation_id="b"),
    }
    spent = dict.fromkeys(("commands", "raw", "sized", "chained", "inline"), 0.0)
    per_round = max(count // ROUNDS, 1)
    for round_ in range(ROUNDS):  # alternate, so a slow spell of the disk hits them all
        ids = _on_site(ledger, clock, codes, per_round, 2 * round_ * per_round)
        inline_ids = _on_site(inline_ledger, clock, codes, per_round, (2 * round_ + 1) * per_round)
        _checkpoint(engine)  # before each timed part: it pays for its own writes' checkpoints
        spent["commands"] += _judge(ledger, ids)
        groups = _judgments(ledger, ids)
        for name, insert in appends.items():
            _checkpoint(engine)
            spent[name] += _append(insert, groups)
        models.catch_up(ledger)  # untimed: the inline commands find every read model at the head
        _checkpoint(engine)
        spent["inline"] += _judge(inline_ledger, inline_ids)
    judgments = ROUNDS * per_round * len(AREAS)
    models.close()
    inline_ledger.close()
    ledger.close()
    return {
        "commands": ROUNDS * per_round,
        "judgments_per_s": judgments / spent["commands"],
        "raw_append_per_s": judgments / spent["raw"],
        "sized_append_per_s": judgments / spent["sized"],
        "log_events": log_events,
        "chained_append_per_s": judgments / spent["chained"],
        "inline_read_models_per_s": judgments / spent["inline"],
    }
