"""The report as a PDF, rendered on the server by WeasyPrint: tagged (PDF/UA-1), with the
print stylesheet, stating its version, SHA-256 and place in the hash chain."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import render_template

from web.report_views import ReportView

PRINT_CSS = Path(__file__).resolve().parent / "static" / "report-print.css"
PDF_VARIANT = "pdf/ua-1"  # tagged: headings, paragraphs and lists carry their structure


def report_pdf(view: ReportView, names: dict[str, Any], base_url: str) -> bytes:
    """Return the version of the report in `view` as PDF bytes."""
    from weasyprint import CSS, HTML  # imported on use: it loads Pango, a second of start-up

    html = render_template("reports/pdf.html", view=view, **names)
    document = HTML(string=html, base_url=base_url)
    pdf: bytes = document.write_pdf(
        stylesheets=[CSS(filename=str(PRINT_CSS))], pdf_variant=PDF_VARIANT
    )
    return pdf
