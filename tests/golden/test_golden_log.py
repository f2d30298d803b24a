"""Every golden log, as an earlier version wrote it, is read, verified and projected by this one.

See README "Golden log". A new event class: extend tests/golden/scenarios.py and run
`python -m tests.golden.generate` (writes the next version; never rewrite a released one).
"""

from __future__ import annotations

import json
from pathlib import Path
from uuid import UUID

import pytest
from eventsourcing.utils import get_topic, resolve_topic

from adapters.audit import verify
from adapters.audit_export import is_complete, read_export, replay
from adapters.persistence import ledger_env
from domain.services import Ledger
from projections.reading import decoder_of, read_rows
from projections.runner import ReadModels
from tests.golden.event_classes import event_topics
from tests.golden.generate import generate, log_file, read_models_file, versions
from tests.golden.rows import differences, read_model_rows

VERSIONS = versions()
NEWEST = VERSIONS[-1]


def golden_records(version: int) -> list[dict]:
    with log_file(version).open(encoding="utf-8") as lines:
        return read_export(lines)  # checks every line's hash and link


@pytest.fixture
def empty_ledger(database_url: str, clock):
    ledger = Ledger(env=ledger_env(database_url), today=clock)
    yield ledger
    ledger.close()


@pytest.mark.parametrize("version", VERSIONS)
def test_a_golden_log_replays_verifies_and_projects_to_its_recorded_read_models(
    version, database_url, empty_ledger
):
    records = golden_records(version)
    assert is_complete(records)
    assert replay(records, empty_ledger.recorder) == records[-1]["event_hash"]
    result = verify(empty_ledger.recorder)
    assert result.ok, result.problem and result.problem.describe()
    last = {r["originator_id"]: r["originator_version"] for r in records}
    for originator, version_ in last.items():  # every event is read by today's classes
        assert empty_ledger.repository.get(UUID(originator)).version == version_
    models = ReadModels(database_url)
    try:
        models.catch_up(empty_ledger)
        expected = json.loads(read_models_file(version).read_text(encoding="utf-8"))
        assert differences(expected, read_model_rows(models.engine)) == []
    finally:
        models.close()


def test_the_newest_golden_log_holds_every_event_class_the_domain_defines():
    stored = {get_topic(resolve_topic(r["topic"])) for r in golden_records(NEWEST)}
    missing = sorted(event_topics() - stored)
    assert not missing, (
        f"{log_file(NEWEST).name} has no {', '.join(missing)}: add a step that records it to "
        f"tests/golden/scenarios.py, then run `python -m tests.golden.generate` to write "
        f"{log_file(NEWEST + 1).name} beside the old files (never rewrite a released version)"
    )


def test_a_golden_log_whose_event_was_altered_is_refused():
    lines = log_file(NEWEST).read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[3])
    record["state"] = record["state"].replace("+00:00", "+01:00", 1)  # recorded an hour earlier
    lines[3] = json.dumps(record)
    with pytest.raises(ValueError, match="line 4: the event does not match its recorded hash"):
        read_export(lines)


def test_the_generator_writes_the_same_golden_files_each_time(tmp_path: Path):
    generate(1, tmp_path / "first")
    generate(1, tmp_path / "second")
    for name in (
        log_file(1, tmp_path / "first").name,
        read_models_file(1, tmp_path / "first").name,
    ):
        assert (tmp_path / "first" / name).read_bytes() == (tmp_path / "second" / name).read_bytes()


def test_the_read_models_decoder_makes_from_a_golden_log_the_events_the_mapper_makes(
    database_url, empty_ledger
):
    records = golden_records(NEWEST)
    replay(records, empty_ledger.recorder)
    head = empty_ledger.recorder.max_notification_id()
    _, count, rows = read_rows(empty_ledger.recorder, 0, head, head, {r["topic"] for r in records})
    mapper, decoder = empty_ledger.mapper, decoder_of(empty_ledger)
    expected = [
        mapper.to_domain_event(n) for n in empty_ledger.recorder.select_notifications(0, head)
    ]
    made = [
        decoder.event(topic, raw_id, version, state) for _, raw_id, version, topic, state in rows
    ]
    assert count == len(made) == len(expected) == len(records)
    for event, wanted in zip(made, expected, strict=True):
        assert type(event) is type(wanted)
        assert event.__dict__ == wanted.__dict__
        assert kinds(event) == kinds(wanted)  # a date stays a date
        assert isinstance(event.originator_id, UUID)
        assert str(event.originator_id) == str(wanted.originator_id)


def kinds(event) -> dict[str, type]:
    return {k: type(v) for k, v in event.__dict__.items() if k != "originator_id"}
