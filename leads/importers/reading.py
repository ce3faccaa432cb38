"""Reading an uploaded CSV or XLSX file into rows of ``{column: text}`` (no Django, no models)."""

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from leads.importers.columns import cell_text, column_for

XLSX_MAGIC = b"PK\x03\x04"


class UnreadableFile(ValueError):
    """The file is not a CSV or XLSX file we can read, or lacks a ``name`` column."""


@dataclass
class Sheet:
    columns: list[str | None]
    unknown_headers: list[str] = field(default_factory=list)
    rows: list[dict[str, str]] = field(default_factory=list)
    """Data rows in file order; ``rows[i]`` is line ``i + 2`` of the file."""


def read_sheet(handle: BinaryIO, *, filename: str = "", max_rows: int) -> Sheet:
    head = handle.read(4)
    handle.seek(0)
    if head == XLSX_MAGIC or filename.lower().endswith(".xlsx"):
        raw_rows = _xlsx_rows(handle)
    else:
        raw_rows = _csv_rows(handle)
    try:
        headers = next(raw_rows)
    except StopIteration:
        raise UnreadableFile("The file is empty") from None
    columns = [column_for(header) for header in headers]
    if "name" not in columns:
        raise UnreadableFile(
            "The first row must name the columns, with at least a 'name' column "
            "(see the format on the import page)"
        )
    sheet = Sheet(
        columns=columns,
        unknown_headers=[
            str(h) for h, c in zip(headers, columns, strict=True) if c is None and str(h or "")
        ],
    )
    for raw in raw_rows:
        if len(sheet.rows) >= max_rows:
            raise UnreadableFile(f"The file has more than {max_rows} data rows")
        row = {}
        for column, value in zip(columns, raw, strict=False):
            if column is not None:
                row[column] = cell_text(value)
        sheet.rows.append(row)
    while sheet.rows and not any(sheet.rows[-1].values()):
        sheet.rows.pop()
    return sheet


def _csv_rows(handle: BinaryIO) -> Iterator[list[str]]:
    data = handle.read()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UnreadableFile("The CSV file is neither UTF-8 nor Windows-1252 text")
    if "\x00" in text:
        raise UnreadableFile("This is not a CSV file")
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error as exc:
        raise UnreadableFile(f"The CSV file is malformed: {exc}") from None


def _xlsx_rows(handle: BinaryIO) -> Iterator[tuple]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(handle, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise UnreadableFile(f"The XLSX file cannot be read: {exc}") from None
    try:
        yield from workbook.worksheets[0].iter_rows(values_only=True)
    finally:
        workbook.close()
