"""Several processes writing to PostgreSQL at once still leave one gap-free chain that verifies,
and a Merkle tree whose root is the one its entries give."""

from __future__ import annotations

import multiprocessing
from datetime import date, timedelta

import pytest

from adapters.audit import verify
from adapters.persistence import ledger_env
from adapters.verifiable_log import tree_head
from domain.errors import ConflictingChange
from domain.events import JudgmentInput
from domain.services import Ledger
from tests.integration.test_merkle_tree import all_entries
from tests.merkle_reference import ReferenceTree
from tests.scenarios import ADMIN, BARKING, COUNCILS, register_councils

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
WRITERS, INSPECTIONS, INTERVENTIONS = 4, 15, 5
AREAS = ("leaders", "help_and_protection", "children_in_care", "overall")


def write(url: str, council: str, worker: int) -> int:
    """Import inspections of one council and add interventions to a shared one, retrying conflicts."""
    ledger = Ledger(env=ledger_env(url))
    for n in range(INSPECTIONS):
        start = date(2018, 2, 5) + timedelta(weeks=n * 10 + worker)
        ledger.import_published(
            ADMIN,
            council,
            "standard",
            start,
            start + timedelta(days=40),
            [JudgmentInput(a, "Good") for a in AREAS],
        )
    for _ in range(INTERVENTIONS):
        while True:
            try:
                ledger.record_intervention(
                    ADMIN,
                    BARKING,
                    "improvement_adviser_appointed",
                    date(2024, 1, 8),
                    f"writer {worker}",
                )
                break
            except ConflictingChange:
                continue
    ledger.close()
    return worker


def test_concurrent_writers_leave_a_chain_that_verifies(fresh_postgres_database):
    url = fresh_postgres_database("chain")
    ledger = Ledger(env=ledger_env(url))
    register_councils(ledger)
    councils = list(COUNCILS) + [BARKING]
    context = multiprocessing.get_context("spawn")
    with context.Pool(WRITERS) as pool:
        done = pool.starmap(write, [(url, councils[w % len(councils)], w) for w in range(WRITERS)])
    assert sorted(done) == list(range(WRITERS))
    result = verify(ledger.recorder)
    assert result.ok, result.problem and result.problem.describe()
    stored = len(ledger.recorder.select_notifications(0, 100_000))  # ids may have gaps
    assert result.checked == result.head_seq == stored
    assert stored == len(COUNCILS) + WRITERS * (INSPECTIONS * (2 + len(AREAS)) + INTERVENTIONS)
    entries = all_entries(ledger.recorder)  # each writer appended at the tip it remembered
    assert tree_head(ledger.recorder) == (stored, ReferenceTree(entries).root(stored))
    ledger.close()
