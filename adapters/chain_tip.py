"""Where the hash chain ends and its Merkle tree's frontier, and writing an append's rows there.

An append needs the chain's head (its position and hash, to link the first new event to) and
the tree's frontier at that size (the complete subtrees its leaves join with). A recorder
remembers both after each append it commits, and writes its next append's chain and tree rows
only if the chain still ends where it remembers: on PostgreSQL in one statement that checks
the head and inserts both (data-modifying WITH), on SQLite (one writer, no round trips) after
a read of the head. Another process's appends show as a different head, and the recorder reads
the tip afresh. The head's hash stands for the whole chain before it, so an equal head means
an equal tree: nothing a rolled-back or another process's append left can pass for it. The
check also asks for the tip's last leaf, so that a tree found cut short is filled in first.
Only that leaf: tree rows deleted further in (tampering) go unnoticed by an append from a
remembered tip, which still writes correct nodes; the next checkpoint (its root is read from
the frontier) and every proof that needs a missing node report them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, Table, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import TextClause

from adapters import merkle, merkle_store
from adapters.merkle import Node

GENESIS = "0" * 64  # the hash before the first event (of the log, and of each aggregate)
CHAIN_COLUMNS = (
    ("seq", "bigint"),
    ("notification_id", "bigint"),
    ("originator_id", "text"),
    ("originator_version", "integer"),
    ("correlation_id", "text"),
    ("causation_id", "text"),
    ("aggregate_prev_hash", "text"),
    ("prev_hash", "text"),
    ("event_hash", "text"),
)
NODE_COLUMNS = (("level", "integer"), ("idx", "bigint"), ("hash", "bytea"))


@dataclass(frozen=True)
class Tip:
    """The chain's size and head hash, and the frontier of the tree of that many leaves;
    `fresh` if read in this transaction (else remembered, and the tree is checked too)."""

    size: int
    head: str
    frontier: Mapping[Node, bytes]
    fresh: bool = False

    def grown(self, leaves: Sequence[bytes], head: str) -> tuple[Tip, list[merkle.Made]]:
        """Return the tip after these leaves (the last of them hashing to `head`), and the
        tree nodes they complete."""
        made = merkle.appended(self.size, self.frontier, leaves)
        size = self.size + len(leaves)
        nodes = {**self.frontier, **{(level, idx): value for level, idx, value in made}}
        return Tip(size, head, {key: nodes[key] for key in merkle.frontier(size)}), made


@lru_cache(maxsize=16)
def head_query(chain: Table) -> Select[Any]:
    """Return the query of the chain's last position and hash."""
    return select(chain.c.seq, chain.c.event_hash).order_by(chain.c.seq.desc()).limit(1)


def head_of(connection: Connection, chain: Table) -> tuple[int, str]:
    """Return the chain's size and head hash (genesis for an empty chain)."""
    head = connection.execute(head_query(chain)).first()
    return (head.seq, head.event_hash) if head else (0, GENESIS)


@lru_cache(maxsize=16)
def _tip_query(chain: Table, tree: Table) -> Select[Any]:
    """Return the query of the chain's head and whether the tree holds its leaf."""
    leaf = select(tree.c.idx).where(tree.c.level == 0, tree.c.idx == chain.c.seq - 1).exists()
    return head_query(chain).add_columns(leaf)


def write(
    connection: Connection,
    chain: Table,
    tree: Table,
    tip: Tip,
    rows: Sequence[Mapping[str, Any]],
    nodes: Sequence[merkle.Made],
) -> tuple[int, str] | None:
    """Add the chain rows and tree nodes if the chain still ends at `tip` (and the tree holds
    its last leaf, for a tip remembered); return None if it did, else the chain's size and head
    hash as found."""
    if connection.dialect.name == "postgresql":
        values = {name: [row[name] for row in rows] for name, _ in CHAIN_COLUMNS}
        values |= {name: [node[n] for node in nodes] for n, (name, _) in enumerate(NODE_COLUMNS)}
        given = {"tip_size": tip.size, "tip_head": tip.head, "fresh": tip.fresh}
        found = connection.execute(_written_at_tip(chain, tree), values | given).one()
        return None if found.written else (found.seq or 0, found.event_hash or GENESIS)
    head = connection.execute(_tip_query(chain, tree)).first()
    size, last, leaf = tuple(head) if head else (0, GENESIS, True)
    if (size, last, leaf or tip.fresh) != (tip.size, tip.head, True):
        return size, last
    connection.execute(chain.insert(), list(rows))
    merkle_store.insert_nodes(connection, tree, nodes)
    return None


def _unnest(columns: Sequence[tuple[str, str]]) -> str:
    names = ", ".join(name for name, _ in columns)
    arrays = ", ".join(f"CAST(:{name} AS {kind}[])" for name, kind in columns)
    return f"({names}) SELECT * FROM unnest({arrays}) WHERE EXISTS (SELECT FROM at_tip)"


@lru_cache(maxsize=16)
def _written_at_tip(chain: Table, tree: Table) -> TextClause:
    """Return the statement that checks the head and inserts both kinds of row, or none; it
    answers how many chain rows it wrote and the head it found (one shape: prepared once,
    planned once)."""
    return text(
        f"WITH head AS (SELECT seq, event_hash FROM {chain.name} ORDER BY seq DESC LIMIT 1),"  # noqa: S608
        " at_tip AS (SELECT WHERE EXISTS (SELECT FROM head WHERE seq = :tip_size"
        f" AND event_hash = :tip_head AND (:fresh OR EXISTS (SELECT FROM {tree.name}"
        " WHERE level = 0 AND idx = seq - 1)))"
        " OR (:tip_size = 0 AND NOT EXISTS (SELECT FROM head))),"
        f" chained AS (INSERT INTO {chain.name} {_unnest(CHAIN_COLUMNS)} RETURNING seq),"
        f" grown AS (INSERT INTO {tree.name} {_unnest(NODE_COLUMNS)})"
        " SELECT (SELECT count(*) FROM chained) AS written, (SELECT seq FROM head) AS seq,"
        " (SELECT event_hash FROM head) AS event_hash"
    )
