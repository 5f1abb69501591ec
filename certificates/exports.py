"""The status board's current view as CSV or XLSX: the same columns, rows and order as the page."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.utils import timezone

from .dashboard import COLUMNS, StatusRow

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def headers() -> list[str]:
    return [str(column.label) for column in COLUMNS]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _safe(text: str) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas: keep them text."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_bytes(rows: Iterable[StatusRow]) -> bytes:
    buffer = io.StringIO()
    # A BOM, so Excel opens UTF-8 Chinese and Korean text correctly.
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(headers())
    for row in rows:
        writer.writerow([_safe(_text(value)) for value in row.values()])
    return buffer.getvalue().encode("utf-8")


def xlsx_bytes(rows: Iterable[StatusRow], *, title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for header in headers():
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_xlsx_value(value) for value in row.values()])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, str):
        return _safe(value)
    return value


def filename(extension: str) -> str:
    return f"courtesy-certification-status-{timezone.localdate():%Y%m%d}.{extension}"
