"""Shapes: a fingerprint of each read model's tables as this version declares them.

Stored when the tables are made; on opening, tables whose stored fingerprint differs (a column
added, a type changed, an index renamed) or is missing are dropped and rebuilt by the next
catch-up. Comparing the DDL itself catches every change, where reflecting columns misses types.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from sqlalchemy import Column, MetaData, Table, Text, delete, insert, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.schema import CreateIndex, CreateTable

shapes = Table(
    "rm_shapes",
    MetaData(),  # not among the read models' tables: nothing drops it
    Column("name", Text, primary_key=True),
    Column("fingerprint", Text, nullable=False),
)


def fingerprint(tables: Iterable[Table], engine: Engine, rules_version: int = 1) -> str:
    """Return a digest of the DDL that makes these tables and their indexes here (and of the
    version of the rules that fill them)."""
    ddl = [] if rules_version == 1 else [f"rules version {rules_version}"]
    for table in tables:
        ddl.append(str(CreateTable(table).compile(dialect=engine.dialect)))
        for index in sorted(table.indexes, key=lambda i: str(i.name)):
            ddl.append(str(CreateIndex(index).compile(dialect=engine.dialect)))
    return hashlib.sha256("\n".join(ddl).encode()).hexdigest()


def stored(connection: Connection, name: str) -> str | None:
    """Return the fingerprint recorded for this read model's tables (None if none)."""
    return connection.execute(
        select(shapes.c.fingerprint).where(shapes.c.name == name)
    ).scalar_one_or_none()


def store(connection: Connection, name: str, digest: str) -> None:
    """Record the fingerprint of the tables just made for this read model."""
    connection.execute(delete(shapes).where(shapes.c.name == name))
    connection.execute(insert(shapes).values(name=name, fingerprint=digest))
