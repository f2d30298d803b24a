"""The stored Merkle tree on SQLite and PostgreSQL: kept with every append, filled in, tamper-evident."""

from __future__ import annotations

import hashlib
from uuid import uuid4

import pytest
from eventsourcing.persistence import InfrastructureFactory, StoredEvent
from eventsourcing.utils import Environment
from sqlalchemy import delete, select, update

from adapters import merkle, merkle_store, verifiable_log
from adapters.merkle_store import ProofRefused
from adapters.merkle_verify import hash_leaf, verify_consistency, verify_inclusion
from adapters.persistence import ledger_env
from tests.merkle_reference import ReferenceTree

EVENTS = 300


def make_recorder(url):
    environment = Environment("merkletest", ledger_env(url))
    return InfrastructureFactory.construct(env=environment).application_recorder()


def append(recorder, count, start=0):
    """Append `count` events in transactions of one to five events each."""
    written, step = 0, 1
    while written < count:
        batch = [
            StoredEvent(uuid4(), 1, "tests:Thing", f"state {start + written + i}".encode() * 3)
            for i in range(min(step, count - written))
        ]
        recorder.insert_events(batch, correlation_id=f"c{written}")
        written, step = written + len(batch), step % 5 + 1


@pytest.fixture
def recorder(database_url):
    made = make_recorder(database_url)
    append(made, EVENTS)
    return made


def connection(recorder):
    return recorder.datastore.engine.connect()


def all_entries(recorder):
    with connection(recorder) as conn:
        return recorder.entries(conn, 1, EVENTS + 1000)


def test_each_entry_hashes_to_its_chain_hash_and_its_leaf_is_in_the_tree(recorder):
    entries = all_entries(recorder)
    with connection(recorder) as conn:
        chain = conn.execute(select(recorder.chain.c.event_hash).order_by("seq")).scalars().all()
        leaves = conn.execute(
            select(recorder.merkle.c.hash).where(recorder.merkle.c.level == 0).order_by("idx")
        ).scalars()
        assert [hashlib.sha256(e).hexdigest() for e in entries] == chain
        assert [bytes(h) for h in leaves] == [hash_leaf(e) for e in entries]


def test_the_stored_tree_answers_as_the_brute_force_tree_at_every_size(recorder):
    reference = ReferenceTree(all_entries(recorder))
    assert verifiable_log.tree_head(recorder) == (EVENTS, reference.root(EVENTS))
    with connection(recorder) as conn:
        read = merkle_store.reader(conn, recorder.merkle)
        for size in range(1, EVENTS + 1):
            assert merkle.root(size, read) == reference.root(size)
        for size in (1, 2, 3, 7, 8, 9, 64, 65, 255, 300):
            for index in range(size):
                proof = merkle_store.inclusion(conn, recorder.merkle, index, size)
                assert proof == reference.inclusion(index, size)
        pairs = [(m, n) for n in range(1, 41) for m in range(1, n + 1)]
        pairs += [(m, n) for n in (129, 256, 300) for m in range(1, n + 1, 11)]
        for m, n in pairs:
            assert merkle_store.consistency(conn, recorder.merkle, m, n) == reference.consistency(
                m, n
            )


def test_proofs_from_the_log_verify_with_the_independent_verifier(recorder):
    entries = all_entries(recorder)
    size, root = verifiable_log.tree_head(recorder)
    for index in (0, 1, 150, 299):
        proof = verifiable_log.inclusion(recorder, index, size)
        leaf = hash_leaf(verifiable_log.entry(recorder, index))
        assert leaf == hash_leaf(entries[index])
        assert verify_inclusion(leaf, index, size, proof, root)
    old_root = ReferenceTree(entries).root(100)
    assert verify_consistency(
        100, size, old_root, root, verifiable_log.consistency(recorder, 100, size)
    )


def test_a_log_chained_before_the_tree_gets_its_tree_when_it_is_opened(recorder, database_url):
    head = verifiable_log.tree_head(recorder)
    with recorder.datastore.engine.begin() as conn:
        conn.execute(delete(recorder.merkle))
    assert verifiable_log.tree_head(recorder)[0] == 0
    reopened = make_recorder(database_url)
    assert verifiable_log.tree_head(reopened) == head
    assert verifiable_log.backfill(reopened) == EVENTS  # again: nothing to add, nothing doubled
    assert verifiable_log.tree_head(reopened) == head


def test_an_append_fills_in_the_leaves_the_tree_lacks_before_adding_its_own(recorder):
    tree = recorder.merkle
    with recorder.datastore.engine.begin() as conn:  # the tree stops at 100 leaves
        for level in range(9):
            past = (tree.c.idx + 1) * 2**level > 100
            conn.execute(delete(tree).where(tree.c.level == level, past))
    assert verifiable_log.tree_head(recorder)[0] == 100
    append(recorder, 12, start=EVENTS)
    reference = ReferenceTree(all_entries(recorder))
    assert verifiable_log.tree_head(recorder) == (EVENTS + 12, reference.root(EVENTS + 12))


def test_an_altered_event_no_longer_proves_its_inclusion_in_the_root(recorder):
    size, root = verifiable_log.tree_head(recorder)
    events = recorder.events_record_cls.__table__
    with recorder.datastore.engine.begin() as conn:
        conn.execute(update(events).where(events.c.id == 41).values(state=b"forged"))
    forged = verifiable_log.entry(recorder, 40)
    assert not verify_inclusion(
        hash_leaf(forged), 40, size, verifiable_log.inclusion(recorder, 40, size), root
    )
    honest = verifiable_log.entry(recorder, 41)
    assert verify_inclusion(
        hash_leaf(honest), 41, size, verifiable_log.inclusion(recorder, 41, size), root
    )


REFUSED = [
    (lambda r: verifiable_log.inclusion(r, -1, 5), "index"),
    (lambda r: verifiable_log.inclusion(r, 5, 5), "index"),
    (lambda r: verifiable_log.inclusion(r, 0, 0), "size"),
    (lambda r: verifiable_log.inclusion(r, 0, EVENTS + 1), "size"),
    (lambda r: verifiable_log.consistency(r, 0, 5), "from"),
    (lambda r: verifiable_log.consistency(r, 6, 5), "to"),
    (lambda r: verifiable_log.consistency(r, 5, EVENTS + 1), "to"),
    (lambda r: verifiable_log.entry(r, EVENTS), "index"),
    (lambda r: verifiable_log.entry(r, -1), "index"),
]


def test_a_proof_or_entry_the_tree_cannot_give_is_refused_naming_the_field(recorder):
    for ask, field in REFUSED:
        with pytest.raises(ProofRefused) as refused:
            ask(recorder)
        assert refused.value.field == field
