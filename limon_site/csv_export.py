"""CSV downloads of what a panel page shows: streamed, UTF-8 with a BOM so spreadsheet programs
read it, and safe to open (text starting like a formula is quoted, not evaluated)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime

from django.http import StreamingHttpResponse
from django.utils import timezone

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def protect_formula(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def cell(value: object) -> object:
    """A value as a CSV cell: datetimes in local time, dates ISO, empty for ``None``."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool | int | float):
        return value
    return protect_formula(str(value))


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_chunks(header: Sequence[str], rows: Iterable[Sequence]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow([cell(value) for value in row])


def csv_response(name: str, header: Sequence[str], rows: Iterable[Sequence]):
    """A streamed attachment ``<name>-<YYYYmmdd-HHMM>.csv``."""
    response = StreamingHttpResponse(
        csv_chunks(header, rows), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.csv"'
    return response


def wants_csv(request) -> bool:
    """``?format=csv``: the page's export link."""
    return request.GET.get("format") == "csv"
