"""Exporting institutions in the import's format (see ``leads.importers.columns``): CSV streamed
row by row, XLSX written in openpyxl's write-only mode to a temporary file and streamed from it.
Memory stays flat however many leads there are."""

import tempfile
from collections.abc import Iterable, Iterator
from datetime import date

from django.db.models import QuerySet

from leads import queries
from leads.importers.columns import COLUMNS, DETAIL_COLUMNS, encode_details
from leads.models import Institution
from limon_site import csv_export

CHUNK = 1000


def export_rows(institutions: QuerySet[Institution]) -> Iterator[list]:
    """One list per contact (or per institution without contacts), in ``COLUMNS`` order;
    dates stay ``date`` objects, everything else is text."""
    queryset = queries.export_rows_queryset(institutions.order_by("name", "country", "id"))
    for institution in queryset.iterator(chunk_size=CHUNK):
        base = [
            institution.name,
            institution.type,
            institution.status,
            institution.country,
            institution.city,
            institution.website,
            institution.source,
            institution.owner.get_username() if institution.owner_id else "",
            institution.next_follow_up,
            institution.tags,
        ]
        contacts = list(institution.contacts.all())
        if not contacts:
            yield [*base, *[""] * (len(COLUMNS) - len(base))]
            continue
        for contact in contacts:
            by_type: dict[str, list[tuple[str, str]]] = {t: [] for t in DETAIL_COLUMNS.values()}
            for detail in contact.details.all():
                by_type[detail.type].append((detail.value, detail.label))
            yield [
                *base,
                contact.first_name,
                contact.last_name,
                contact.position,
                "yes" if contact.is_primary else "",
                *[encode_details(by_type[t]) for t in DETAIL_COLUMNS.values()],
            ]


def csv_chunks(rows: Iterable[list]) -> Iterator[str]:
    """CSV text, header first, with a BOM so spreadsheet programs read UTF-8."""
    return csv_export.csv_chunks(COLUMNS, rows)


def xlsx_file(rows: Iterable[list]):
    """A temporary file (rewound) holding the workbook; the caller streams and closes it."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Leads")
    sheet.append(list(COLUMNS))
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value if value not in (None, "") else None)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
            elif isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
            cells.append(cell)
        sheet.append(cells)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 (closed by the streaming response)
    workbook.save(handle)
    handle.seek(0)
    return handle
