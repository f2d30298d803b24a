"""The hash chain: a clean log verifies; every kind of tampering is found and named."""

from __future__ import annotations

import io
import json
from uuid import uuid4

import pytest
from sqlalchemy import delete, insert, select, update

from adapters.audit import verify
from adapters.audit_export import export, read_export, replay
from adapters.chain_entry import event_hash
from adapters.checkpoints import check_signature, extends, generate_keys, make_checkpoint
from adapters.persistence import ledger_env
from domain.services import Ledger
from tests.scenarios import BARKING, tell_story


@pytest.fixture
def story(ledger, clock):
    return tell_story(ledger, clock)


def tables(ledger):
    recorder = ledger.recorder
    return recorder.datastore.engine, recorder.events_record_cls.__table__, recorder.chain


def event_row(ledger, position: int):
    engine, events, _ = tables(ledger)
    with engine.connect() as conn:
        return conn.execute(select(events).where(events.c.id == position)).one()


def change(ledger, statement) -> None:
    engine, _, _ = tables(ledger)
    with engine.begin() as conn:
        conn.execute(statement)


def test_a_clean_log_verifies_every_event_and_gives_the_head_hash(ledger, story):
    result = verify(ledger.recorder)
    assert result.ok
    assert result.checked == ledger.recorder.max_notification_id() == result.head_seq
    engine, _, chain = tables(ledger)
    with engine.connect() as conn:
        assert (
            result.head_hash
            == conn.execute(
                select(chain.c.event_hash).order_by(chain.c.seq.desc()).limit(1)
            ).scalar()
        )


def test_a_changed_field_is_found_and_named_altered(ledger, story):
    _, events, _ = tables(ledger)
    row = event_row(ledger, 40)
    forged = (
        row.state.replace(b'"Good"', b'"Outstanding"')
        if b'"Good"' in row.state
        else row.state + b" "
    )
    change(ledger, update(events).where(events.c.id == 40).values(state=forged))
    problem = verify(ledger.recorder).problem
    assert (problem.kind, problem.position, problem.seq) == ("altered", 40, 40)
    assert str(row.originator_id) == problem.originator_id


def test_a_deleted_event_is_found_and_named_deleted(ledger, story):
    _, events, _ = tables(ledger)
    change(ledger, delete(events).where(events.c.id == 25))
    problem = verify(ledger.recorder).problem
    assert (problem.kind, problem.seq, problem.position) == ("deleted", 25, 25)


def test_a_deleted_event_and_its_chain_row_leave_a_gap_that_is_found(ledger, story):
    _, events, chain = tables(ledger)
    change(ledger, delete(chain).where(chain.c.seq == 30))
    change(ledger, delete(events).where(events.c.id == 30))
    problem = verify(ledger.recorder).problem
    assert (problem.kind, problem.seq) == ("deleted", 30)


def test_a_forged_event_is_found_and_named_inserted(ledger, story):
    _, events, _ = tables(ledger)
    template = event_row(ledger, 10)
    change(
        ledger,
        insert(events).values(
            originator_id=uuid4(), originator_version=1, topic=template.topic, state=template.state
        ),
    )
    problem = verify(ledger.recorder).problem
    assert problem.kind == "inserted"
    assert problem.position == ledger.recorder.max_notification_id()


def test_an_event_chained_twice_is_found_without_a_constraint_to_refuse_it(ledger, story):
    _, _, chain = tables(ledger)
    change(ledger, update(chain).where(chain.c.seq == 13).values(notification_id=12))
    problem = verify(ledger.recorder).problem
    assert (problem.kind, problem.seq, problem.position) == ("deleted", 13, 12)


def test_two_swapped_events_are_found_and_named_reordered(ledger, story):
    _, events, _ = tables(ledger)
    first, second = event_row(ledger, 12), event_row(ledger, 13)
    change(ledger, update(events).where(events.c.id == 12).values(originator_version=-1))
    for row, other in ((second, first), (first, second)):  # the unique index allows no overlap
        change(
            ledger,
            update(events)
            .where(events.c.id == row.id)
            .values(
                originator_id=other.originator_id,
                originator_version=other.originator_version,
                topic=other.topic,
                state=other.state,
            ),
        )
    problem = verify(ledger.recorder).problem
    assert (problem.kind, problem.position) == ("reordered", 12)


def rewrite_tail(ledger, from_seq: int) -> None:
    """Alter one event and recompute every later hash, as an attacker with the code would."""
    engine, events, chain = tables(ledger)
    with engine.begin() as conn:
        links = conn.execute(
            select(chain).where(chain.c.seq >= from_seq - 1).order_by(chain.c.seq)
        ).all()
        target = links[1]
        conn.execute(
            update(events)
            .where(events.c.id == target.notification_id)
            .values(state=event_row(ledger, target.notification_id).state + b" ")
        )
        prev = links[0].event_hash
        last: dict[str, str] = {}
        for link in links[1:]:
            row = conn.execute(select(events).where(events.c.id == link.notification_id)).one()
            aggregate_prev = last.get(link.originator_id, link.aggregate_prev_hash)
            digest = event_hash(
                link.seq,
                link.originator_id,
                link.originator_version,
                row.topic,
                row.state,
                link.correlation_id,
                link.causation_id,
                aggregate_prev,
                prev,
            )
            conn.execute(
                update(chain)
                .where(chain.c.seq == link.seq)
                .values(prev_hash=prev, aggregate_prev_hash=aggregate_prev, event_hash=digest)
            )
            prev, last[link.originator_id] = digest, digest


def test_a_rewritten_tail_passes_alone_but_not_against_a_signed_checkpoint(ledger, story, tmp_path):
    private, public = generate_keys(tmp_path)
    checkpoint = make_checkpoint(verify(ledger.recorder), private.read_bytes())
    rewrite_tail(ledger, from_seq=20)
    result = verify(ledger.recorder, positions={checkpoint["seq"]})
    assert result.ok, "a consistent rewrite is invisible without a checkpoint"
    check_signature(checkpoint, public.read_bytes())
    reason = extends(result, checkpoint)
    assert reason and f"chain position {checkpoint['seq']}" in reason and "rewritten" in reason


def test_a_checkpoint_altered_or_signed_by_another_key_is_refused(ledger, story, tmp_path):
    private, public = generate_keys(tmp_path / "ours")
    _, other_public = generate_keys(tmp_path / "theirs")
    checkpoint = make_checkpoint(verify(ledger.recorder), private.read_bytes())
    with pytest.raises(ValueError, match="signature does not match"):
        check_signature(checkpoint, other_public.read_bytes())
    with pytest.raises(ValueError, match="signature does not match"):
        check_signature(checkpoint | {"head_hash": "0" * 64}, public.read_bytes())


def test_two_ledgers_writing_one_record_in_turn_keep_its_links_whole(
    ledger, story, admin, database_url
):
    # each recorder remembers the newest hash it wrote per record; the other's writes in
    # between must be read, not assumed
    other = Ledger(env=ledger_env(database_url), today=ledger.today)
    try:
        for turn in range(3):
            for writer in (ledger, other, other, ledger):
                writer.record_intervention(
                    admin, BARKING, "intervention_ended", ledger.today(), f"turn {turn}"
                )
    finally:
        other.close()
    assert verify(ledger.recorder).ok
    engine, events, chain = tables(ledger)
    with engine.connect() as conn:
        originator = conn.execute(
            select(chain.c.originator_id).order_by(chain.c.seq.desc()).limit(1)
        ).scalar()
        rows = conn.execute(
            select(chain.c.originator_version, chain.c.aggregate_prev_hash, chain.c.event_hash)
            .where(chain.c.originator_id == originator)
            .order_by(chain.c.originator_version)
        ).all()
    assert len(rows) >= 13
    assert [r.aggregate_prev_hash for r in rows[1:]] == [r.event_hash for r in rows[:-1]]


def test_a_revision_records_the_decision_that_caused_it_and_one_correlation_per_command(
    ledger, story
):
    engine, events, chain = tables(ledger)
    with engine.connect() as conn:
        rows = conn.execute(
            select(chain, events.c.topic)
            .join(events, events.c.id == chain.c.notification_id)
            .where(chain.c.originator_id == str(story.revised))
        ).all()
    revisions = [r for r in rows if r.topic.endswith("Inspection.JudgmentRevised")]
    assert len(revisions) == 2
    assert {r.causation_id for r in revisions} == {f"{story.challenge_revised}:2"}
    assert len({r.correlation_id for r in revisions}) == 1


def test_events_saved_inside_a_request_carry_its_correlation_id(ledger, story, admin):
    with ledger.correlated("request-42"):
        ledger.record_intervention(admin, BARKING, "intervention_ended", ledger.today(), "Lifted")
    engine, _, chain = tables(ledger)
    with engine.connect() as conn:
        assert (
            conn.execute(
                select(chain.c.correlation_id).order_by(chain.c.seq.desc()).limit(1)
            ).scalar()
            == "request-42"
        )


def test_export_then_replay_into_an_empty_ledger_gives_the_same_head_hash(ledger, story, tmp_path):
    out = io.StringIO()
    assert export(ledger.recorder, out) == ledger.recorder.max_notification_id()
    records = read_export(out.getvalue().splitlines())
    fresh = Ledger(env=ledger_env(f"sqlite:///{tmp_path / 'replayed.sqlite'}"))
    head = replay(records, fresh.recorder)
    assert head == verify(ledger.recorder).head_hash == verify(fresh.recorder).head_hash
    fresh.close()


def test_a_council_export_holds_only_that_councils_records_and_cannot_be_replayed(
    ledger, story, tmp_path
):
    out = io.StringIO()
    export(ledger.recorder, out, council=BARKING)
    records = read_export(out.getvalue().splitlines())
    assert records and {r["council"] for r in records} == {BARKING}
    assert str(story.revised) in {r["originator_id"] for r in records}
    fresh = Ledger(env=ledger_env(f"sqlite:///{tmp_path / 'partial.sqlite'}"))
    with pytest.raises(ValueError, match="complete export"):
        replay(records, fresh.recorder)
    fresh.close()


def test_an_export_line_that_was_edited_is_refused(ledger, story):
    out = io.StringIO()
    export(ledger.recorder, out)
    lines = out.getvalue().splitlines()
    record = json.loads(lines[5])
    record["state"] = record["state"].replace("Good", "Outstanding", 1) + " "
    lines[5] = json.dumps(record)
    with pytest.raises(ValueError, match="line 6"):
        read_export(lines)
