"""Where the Merkle tree's complete subtrees are stored: `<events table>_merkle(level, idx, hash)`.

Rows are only ever added, one per leaf and one per subtree a leaf completes (about two rows a
leaf), in the transaction that appends the leaves' events.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache, partial
from typing import Any, TypeVar

from sqlalchemy import (
    BigInteger,
    Column,
    Integer,
    LargeBinary,
    MetaData,
    Select,
    Table,
    and_,
    bindparam,
    func,
    or_,
    select,
    text,
)
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import TextClause

from adapters import merkle
from adapters.merkle import Node, NodeReader

BULK = 20_000  # leaves added per statement by `build`
READ_BATCH = 500  # nodes named per query
T = TypeVar("T")


class ProofRefused(ValueError):
    """A proof or entry was asked for that the tree cannot give; `field` names the bad input."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def big_integer() -> BigInteger:
    """Return a 64-bit integer type that is SQLite's INTEGER there (its rowid-friendly type)."""
    return BigInteger().with_variant(Integer(), "sqlite")


def table_once(metadata: MetaData, name: str, *items: Any) -> Table:
    """Return the named table of this metadata, defining it from `items` the first time."""
    if name in metadata.tables:
        return metadata.tables[name]
    return Table(name, metadata, *items)


def merkle_table(events_table_name: str, metadata: MetaData) -> Table:
    """Return the tree table that accompanies an events table."""
    return table_once(
        metadata,
        f"{events_table_name}_merkle",
        Column("level", Integer, primary_key=True, autoincrement=False),
        Column("idx", big_integer(), primary_key=True, autoincrement=False),
        Column("hash", LargeBinary(32), nullable=False),
    )


def reader(connection: Connection, table: Table) -> NodeReader:
    """Return a function that reads named nodes from the table."""

    def read(keys: Sequence[Node]) -> Mapping[Node, bytes]:
        found: dict[Node, bytes] = {}
        unique = sorted(set(keys))
        for start in range(0, len(unique), READ_BATCH):
            rows = connection.execute(
                *_query(connection, table, unique[start : start + READ_BATCH])
            )
            found.update({(r.level, r.idx): bytes(r.hash) for r in rows})
        return found

    return read


def _query(
    connection: Connection, table: Table, keys: Sequence[Node]
) -> tuple[Any, dict[str, Any]]:
    """Return a query of these nodes and its values, in one shape per backend and node count."""
    if connection.dialect.name == "postgresql":  # one shape: prepared once, planned once
        levels, ids = [k[0] for k in keys], [k[1] for k in keys]
        return _unnested(table), {"levels": levels, "ids": ids}
    by_level: dict[int, list[int]] = {}
    for level, idx in keys:
        by_level.setdefault(level, []).append(idx)
    values: dict[str, Any] = {f"l{n}": lv for n, lv in enumerate(by_level)}
    values |= {f"i{n}": ids for n, ids in enumerate(by_level.values())}
    return _naming(table, len(by_level)), values


@lru_cache(maxsize=64)
def _unnested(table: Table) -> TextClause:
    return text(
        f"SELECT m.level, m.idx, m.hash FROM unnest(CAST(:levels AS integer[]),"  # noqa: S608
        f" CAST(:ids AS bigint[])) AS k(level, idx) JOIN {table.name} m"
        " ON m.level = k.level AND m.idx = k.idx"
    )


@lru_cache(maxsize=256)
def _naming(table: Table, levels: int) -> Select[Any]:
    """Return the query of nodes on this many levels, level by level (a row-value IN makes
    SQLite scan the table); kept, so that it is compiled once per shape."""
    level, idx = table.c.level, table.c.idx
    return select(level, idx, table.c.hash).where(
        or_(
            *(
                and_(level == bindparam(f"l{n}"), idx.in_(bindparam(f"i{n}", expanding=True)))
                for n in range(levels)
            )
        )
    )


def stored_size(connection: Connection, table: Table) -> int:
    """Return how many leaves the stored tree holds."""
    top = select(func.max(table.c.idx)).where(table.c.level == 0)
    last = connection.execute(top).scalar()
    return 0 if last is None else int(last) + 1


def frontier_of(connection: Connection, table: Table, size: int) -> dict[Node, bytes] | None:
    """Return the stored frontier of a tree of `size` leaves, or None if any of it is missing."""
    keys = merkle.frontier(size)
    found = dict(reader(connection, table)(keys)) if keys else {}
    return found if len(found) == len(keys) else None


def add_leaves(
    connection: Connection,
    table: Table,
    size: int,
    known: Mapping[Node, bytes],
    leaves: Sequence[bytes],
) -> None:
    """Store the nodes that these leaf hashes complete, after `size` leaves with this frontier."""
    if leaves:
        insert_nodes(connection, table, merkle.appended(size, known, leaves))


def insert_nodes(connection: Connection, table: Table, nodes: Sequence[merkle.Made]) -> None:
    """Store these nodes (one statement)."""
    connection.execute(table.insert(), [{"level": n[0], "idx": n[1], "hash": n[2]} for n in nodes])


def build(connection: Connection, table: Table, leaves: Iterable[bytes]) -> int:
    """Append many leaf hashes to the stored tree, a batch per statement; return its new size."""
    size = stored_size(connection, table)
    batch: list[bytes] = []
    for value in leaves:
        batch.append(value)
        if len(batch) == BULK:
            size = _extend(connection, table, size, batch)
            batch = []
    return _extend(connection, table, size, batch)


def _extend(connection: Connection, table: Table, size: int, leaves: list[bytes]) -> int:
    known = frontier_of(connection, table, size)
    if known is None:
        raise merkle.MissingNode(f"the stored tree of {size} leaves lacks its frontier")
    add_leaves(connection, table, size, known, leaves)
    return size + len(leaves)


def tree_head(connection: Connection, table: Table) -> tuple[int, bytes]:
    """Return the stored tree's size and root hash."""
    size = stored_size(connection, table)
    return size, merkle.root(size, reader(connection, table))


def _proof(
    connection: Connection, table: Table, field: str, size: int, prove: Callable[[NodeReader], T]
) -> T:
    """Compute a proof over a tree of `size`, reading its last leaf with the proof's nodes: a
    tree that does not hold that leaf is refused, naming the field, in the same query."""
    read, held = reader(connection, table), list[bool]()
    last = (0, size - 1)

    def with_last(keys: Sequence[Node]) -> Mapping[Node, bytes]:
        found = read([*keys, last])
        held.append(last in found)
        return found

    try:
        proof = prove(with_last)
    except merkle.MissingNode:
        held.append(False)
    if not held:  # the proof needed no node
        held.append(last in read([last]))
    if not all(held):
        raise ProofRefused(
            field, f"the tree holds {stored_size(connection, table)} entries, not {size}"
        )
    return proof


def inclusion(connection: Connection, table: Table, index: int, size: int) -> list[bytes]:
    """Return the inclusion proof of leaf `index` in the tree of `size` leaves."""
    if size < 1:
        raise ProofRefused("size", "a tree with an entry in it has a size of at least 1")
    if not 0 <= index < size:
        raise ProofRefused("index", f"an index in a tree of {size} is from 0 to {size - 1}")
    return _proof(connection, table, "size", size, partial(merkle.inclusion_proof, index, size))


def consistency(connection: Connection, table: Table, old: int, new: int) -> list[bytes]:
    """Return the consistency proof from the tree of `old` leaves to that of `new` leaves."""
    if old < 1:
        raise ProofRefused("from", "a consistency proof starts from a tree of at least 1")
    if new < old:
        raise ProofRefused("to", f"the newer tree is at least as big as the older ({old})")
    return _proof(connection, table, "to", new, partial(merkle.consistency_proof, old, new))
