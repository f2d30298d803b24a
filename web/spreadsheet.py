"""CSV downloads that a spreadsheet opens as text, never as formulas (OWASP's CSV injection)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from flask import Response

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Return a text cell a spreadsheet would run as a formula with a leading `'`."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_download(name: str, header: list[str], rows: Iterable[Iterable[Any]]) -> Response:
    """Return rows as a CSV attachment, every text cell made safe to open."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename={name}"},
    )


Sheet = tuple[str, list[str], list[list[Any]]]  # name, header, rows


def ods_download(name: str, sheets: Iterable[Sheet]) -> Response:
    """Return tables as an OpenDocument spreadsheet, one sheet each; numbers stay numbers."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    for title, header, rows in sheets:
        table = Table(name=title[:31])
        for row in [header, *rows]:
            line = TableRow()
            for value in row:
                if isinstance(value, int | float) and not isinstance(value, bool):
                    cell = TableCell(valuetype="float", value=value)
                else:
                    cell = TableCell(valuetype="string")
                cell.addElement(P(text="" if value is None else str(value)))
                line.addElement(cell)
            table.addElement(line)
        document.spreadsheet.addElement(table)
    out = io.BytesIO()
    document.write(out)
    return Response(
        out.getvalue(),
        mimetype="application/vnd.oasis.opendocument.spreadsheet",
        headers={"Content-Disposition": f"attachment; filename={name}"},
    )
