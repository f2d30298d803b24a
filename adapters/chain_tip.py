"""Where the hash chain ends and its Merkle tree's frontier, and writing an append's rows there.

An append needs the chain's head (its position and hash, to link the first new event to) and
the tree's frontier at that size (the complete subtrees its leaves join with). A recorder
remembers both after each append it commits, and writes its next append's chain and tree rows
only if the chain still ends where it remembers: on PostgreSQL in one statement that checks
the head, inserts both and announces the append (data-modifying WITH), on SQLite (one
writer, no round trips) after a read of the head. Another process's appends show as a
different head, and the recorder reads the tip afresh. The head's hash stands for the whole
chain before it, so an equal head means an equal tree: nothing a rolled-back or another
process's append left can pass for it. The check also asks for the tip's last leaf, so that
a tree found cut short is filled in first. Only that leaf: tree rows deleted further in
(tampering) go unnoticed by an append from a remembered tip, which still writes correct
nodes; the next checkpoint (its root is read from the frontier) and every proof that needs a
missing node report them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, Table, select
from sqlalchemy.engine import Connection

from adapters import merkle
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
CHAIN_NAMES = tuple(name for name, _ in CHAIN_COLUMNS)
NODE_NAMES = ("level", "idx", "hash")
NODE_JSON = (("level", "integer"), ("idx", "bigint"), ("hash", "text"))  # the hash in hex


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


def write(
    connection: Connection,
    chain: Table,
    tree: Table,
    tip: Tip,
    rows: Sequence[Mapping[str, Any]],
    nodes: Sequence[merkle.Made],
    announce: str = "",
) -> tuple[int, str] | None:
    """Add the chain rows and tree nodes if the chain still ends at `tip` (and the tree holds
    its last leaf, for a tip remembered); return None if it did, else the chain's size and head
    hash as found. On PostgreSQL the same statement announces the append on the channel named
    `announce` (pg_notify, delivered at commit), in place of a NOTIFY of its own.

    Sent through the driver's cursor: SQLAlchemy's handling of a statement costs more than the
    statement, and the rows are plain values already."""
    cursor = connection.connection.cursor()
    try:
        if connection.dialect.name == "postgresql":
            statement = _written_at_tip(chain.name, tree.name)
            found = cursor.execute(statement, _json_values(tip, rows, nodes, announce)).fetchone()
            return None if found[0] else (found[1] or 0, found[2] or GENESIS)
        # SQLite: a read of the head (in process, no round trip), then both inserts
        head = cursor.execute(_head_and_leaf(chain.name, tree.name), (tip.size - 1,)).fetchone()
        size, last, leaf = tuple(head) if head else (0, GENESIS, True)
        if (size, last, bool(leaf) or tip.fresh) != (tip.size, tip.head, True):
            return size, last
        cursor.executemany(_inserting(chain.name, CHAIN_NAMES), [_values(row) for row in rows])
        cursor.executemany(_inserting(tree.name, NODE_NAMES), nodes)
        return None
    finally:
        cursor.close()


def _json_values(
    tip: Tip, rows: Sequence[Mapping[str, Any]], nodes: Sequence[merkle.Made], announce: str
) -> dict[str, Any]:
    """Return the PostgreSQL statement's values, its rows in two JSON documents: a text
    parameter each, which the driver sends as it is, where an array costs it a call per
    element."""
    return {
        "rows": json.dumps(rows),
        "nodes": json.dumps([{"level": n[0], "idx": n[1], "hash": n[2].hex()} for n in nodes]),
        "tip_size": tip.size,
        "tip_head": tip.head,
        "fresh": tip.fresh,
        "channel": announce,
    }


def _values(row: Mapping[str, Any]) -> tuple[Any, ...]:
    return tuple(row[name] for name in CHAIN_NAMES)


@lru_cache(maxsize=16)
def _head_and_leaf(chain: str, tree: str) -> str:
    """Return the query of the chain's head and whether the tree holds leaf `?` (the tip's
    last, which is the head's when the head is the tip's)."""
    return (
        f"SELECT seq, event_hash, EXISTS (SELECT 1 FROM {tree} WHERE level = 0 AND idx = ?)"  # noqa: S608
        f" FROM {chain} ORDER BY seq DESC LIMIT 1"
    )


@lru_cache(maxsize=32)
def _inserting(table: str, names: tuple[str, ...]) -> str:
    marks = ", ".join("?" for _ in names)
    return f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})"  # noqa: S608


def _recordset(param: str, columns: Sequence[tuple[str, str]]) -> str:
    kinds = ", ".join(f"{name} {kind}" for name, kind in columns)
    return f"json_to_recordset(CAST(%({param})s AS json)) AS r({kinds})"


@lru_cache(maxsize=16)
def _written_at_tip(chain: str, tree: str) -> str:
    """Return the statement that checks the head and inserts both kinds of row, or none; it
    answers how many chain rows it wrote and the head it found (one shape: prepared once,
    planned once). The tree's last leaf is looked up at the tip's size, a parameter: looked up
    at the head's position instead, it was planned as a hash of every leaf in the tree."""
    names = ", ".join(CHAIN_NAMES)
    return (
        f"WITH head AS (SELECT seq, event_hash FROM {chain} ORDER BY seq DESC LIMIT 1),"  # noqa: S608
        " at_tip AS (SELECT WHERE EXISTS (SELECT FROM head WHERE seq = %(tip_size)s"
        f" AND event_hash = %(tip_head)s AND (%(fresh)s OR EXISTS (SELECT FROM {tree}"
        " WHERE level = 0 AND idx = %(tip_size)s - 1)))"
        " OR (%(tip_size)s = 0 AND NOT EXISTS (SELECT FROM head))),"
        f" chained AS (INSERT INTO {chain} ({names}) SELECT {names}"
        f" FROM {_recordset('rows', CHAIN_COLUMNS)} WHERE EXISTS (SELECT FROM at_tip)"
        " RETURNING seq),"
        f" grown AS (INSERT INTO {tree} (level, idx, hash) SELECT level, idx, decode(hash, 'hex')"
        f" FROM {_recordset('nodes', NODE_JSON)} WHERE EXISTS (SELECT FROM at_tip))"
        " SELECT (SELECT count(*) FROM chained), (SELECT seq FROM head),"
        " (SELECT event_hash FROM head), pg_notify(%(channel)s, '')"
    )
