"""Spreadsheet downloads: one sheet of rows as XLSX bytes (small lists) or as a file
written row by row (long ones), and the HTTP response."""

import io
import os
import tempfile

import xlsxwriter
from django.http import HttpResponse
from openpyxl import Workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_bytes(title: str, rows) -> bytes:
    """One sheet named ``title`` (cut to Excel's 31 characters) holding ``rows``."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(title)[:31])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def download(content: bytes, filename: str, content_type: str = XLSX) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_file(title: str, rows):
    """One sheet of ``rows`` (an iterable, the header first) written to disk as they come
    (XlsxWriter's constant-memory mode: each row to disk at once, strings inline, no
    table of them kept), so memory does not grow with the rows. Returns the open file,
    rewound and already unlinked: closing it (the response does) frees the disk."""
    with tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False) as placeholder:
        path = placeholder.name
    try:
        workbook = xlsxwriter.Workbook(path, {"constant_memory": True})
        sheet = workbook.add_worksheet(str(title)[:31])
        for line, row in enumerate(rows):
            sheet.write_row(line, 0, row)
        workbook.close()
        return open(path, "rb")
    finally:
        os.unlink(path)
