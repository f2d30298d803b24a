"""Read-model rows as plain values, so a column's type can change and its values still compare."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.engine import Engine

from projections.base import metadata
from projections.views import utc_naive


def plain(value: Any) -> Any:
    """Return the value as JSON would hold it, whatever column type it came from."""
    if isinstance(value, bool):
        return int(value)  # a Boolean column and an Integer one hold the same 0/1
    if isinstance(value, float | Decimal):
        return int(value) if value == int(value) else float(value)
    if isinstance(value, datetime):
        return utc_naive(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, str) and value[:1] in ("[", "{"):
        try:  # JSON kept in a text column equals the same JSON in a JSON column
            return plain(json.loads(value))
        except ValueError:
            return value
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def _key(row: dict[str, Any]) -> str:
    return json.dumps(row, sort_keys=True)


def sorted_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=_key)


def read_model_rows(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    """Every row of every read-model table, as plain values, in a stable order."""
    with engine.connect() as conn:
        return {
            name: sorted_rows(
                [{k: plain(v) for k, v in row._mapping.items()} for row in conn.execute(select(t))]
            )
            for name, t in sorted(metadata.tables.items())
        }


def differences(
    expected: dict[str, list[dict[str, Any]]], actual: dict[str, list[dict[str, Any]]]
) -> list[str]:
    """Name each expected table or column that is missing or holds other values.

    Only the columns the expected snapshot has are compared: a later version may add tables
    and columns, but must still hold every value the golden version held."""
    found = []
    for table, rows in expected.items():
        if table not in actual:
            found.append(f"{table}: table missing")
            continue
        columns = {c for row in rows for c in row}
        have = sorted_rows([{c: r.get(c, "<missing>") for c in columns} for r in actual[table]])
        want = sorted_rows(rows)
        if have != want:
            gone = sorted(c for c in columns if actual[table] and c not in actual[table][0])
            unmatched = [r for r in want if r not in have][:1]
            detail = f"columns gone: {', '.join(gone)}" if gone else f"not found: {unmatched}"
            found.append(f"{table}: {len(have)} rows where {len(want)} were expected; {detail}")
    return found
