"""Rows written in bulk (COPY on PostgreSQL, the driver's executemany on SQLite) read back
exactly as rows written through SQLAlchemy's INSERT and UPDATE, and are seen as written."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Integer,
    MetaData,
    Table,
    Text,
    create_engine,
    select,
)
from sqlalchemy.event import listen
from sqlalchemy.exc import IntegrityError, OperationalError

from projections.bulk import COPY_FROM, insert_rows, update_rows
from projections.changes import written_tables

metadata = MetaData()
samples = Table(
    "bulk_samples",
    metadata,
    Column("id", Text, primary_key=True),
    Column("part", Integer, primary_key=True),
    Column("note", Text),
    Column("flag", Boolean, nullable=False),
    Column("on", Date),
    Column("at", DateTime),
    Column("steps", JSON, nullable=False),
)


def rows(count: int, note: str = "first") -> list[dict]:
    return [
        {
            "id": f"i-{n}",
            "part": n % 3,
            "note": None if n % 4 == 0 else f"{note}\ttab\\slash\nline 'q' \"dq\" é {n}",
            "flag": n % 2 == 0,
            "on": date(2025, 1, 1 + n % 28) if n % 5 else None,
            "at": datetime(2025, 2, 3, 4, 5, 6, 7 * n) if n % 6 else None,
            "steps": [{"n": n, "text": "a\tb"}] if n % 7 else [],
        }
        for n in range(count)
    ]


@pytest.fixture
def engine(database_url: str):
    made = create_engine(database_url)
    metadata.create_all(made)
    yield made
    metadata.drop_all(made)
    made.dispose()


def read_back(engine) -> list[dict]:
    with engine.connect() as conn:
        found = conn.execute(select(samples).order_by(samples.c.id, samples.c.part))
        return [dict(row) for row in found.mappings()]


@pytest.mark.parametrize("count", [3, COPY_FROM + 7])
def test_bulk_inserts_and_updates_read_back_as_sqlalchemys_own(engine, count):
    first, changed = rows(count), rows(count, note="changed")[::2]
    with engine.begin() as conn:
        conn.execute(samples.insert(), first)
        for row in changed:
            key = (samples.c.id == row["id"]) & (samples.c.part == row["part"])
            conn.execute(samples.update().where(key).values(row))
    expected = read_back(engine)
    with engine.begin() as conn:
        conn.execute(samples.delete())
    with engine.begin() as conn, written_tables(conn) as written:
        insert_rows(conn, samples, first)
        update_rows(conn, samples, changed)

    assert read_back(engine) == expected
    assert written == {"bulk_samples"}


@pytest.mark.parametrize("count", [3, COPY_FROM + 7])
def test_a_bulk_insert_of_a_row_already_there_is_refused_as_an_insert_would_be(engine, count):
    with engine.begin() as conn:
        insert_rows(conn, samples, rows(count))

    with pytest.raises(IntegrityError), engine.begin() as conn:
        insert_rows(conn, samples, rows(count))
    assert len(read_back(engine)) == count


def test_an_update_of_some_columns_writes_those_and_leaves_the_others_as_stored(engine):
    with engine.begin() as conn:
        insert_rows(conn, samples, rows(3))
    stale = [{**row, "note": "changed", "flag": not row["flag"]} for row in rows(3)]
    seen: list[str] = []
    listen(engine, "before_cursor_execute", lambda *given: seen.append(given[2]))

    with engine.begin() as conn:
        update_rows(conn, samples, stale, columns={"note"})

    assert [row["note"] for row in read_back(engine)] == ["changed"] * 3
    assert [row["flag"] for row in read_back(engine)] == [row["flag"] for row in rows(3)]
    assert [sql for sql in seen if sql.startswith("UPDATE")] == [
        "UPDATE bulk_samples SET note = %s WHERE id = %s AND part = %s"
        if engine.dialect.name == "postgresql"
        else "UPDATE bulk_samples SET note = ? WHERE id = ? AND part = ?"
    ]


@pytest.mark.postgres
def test_a_connection_lost_during_a_copy_is_reported_lost_and_never_handed_out_again(
    postgres_url,
):
    made = create_engine(postgres_url)
    metadata.create_all(made)
    try:
        with made.connect() as conn:
            pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
            with made.connect() as other:
                other.exec_driver_sql(f"SELECT pg_terminate_backend({pid})")
            with pytest.raises(OperationalError) as raised:
                insert_rows(conn, samples, rows(COPY_FROM + 7))
            assert raised.value.connection_invalidated
            assert conn.invalidated
    finally:
        metadata.drop_all(made)
        made.dispose()
