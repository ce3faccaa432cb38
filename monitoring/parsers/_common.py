"""Small helpers shared by the parsers: line cleaning, dates, unparsed-line bookkeeping."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta

from monitoring.parsers.model import MAX_UNPARSED_EXAMPLES

MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}
MONTH_NAMES = {number: name for name, number in MONTHS.items()}
WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WEEKDAYS = {name.lower(): number for number, name in enumerate(WEEKDAY_NAMES)}

_STATUS_DATE = re.compile(r"status on (\w{3}) (\d{1,2})/(\d{1,2})/(\d{4}) (\d{1,2}):(\d{2})")
_LICENSE_PATH = re.compile(r"((?:[A-Za-z]:[\\/])?[^:]*)(?::|$)")
_EXPIRY = re.compile(r"(\d{1,2})-([A-Za-z]{3})-(\d{1,4})")

#: A status output is never printed more than this far behind the checkout clock; it
#: absorbs a reference "now" given in another zone than the server's (RLM has no date).
_FUTURE_TOLERANCE = timedelta(days=1)


def decode_line(raw: bytes) -> str:
    """UTF-8, falling back to latin-1 (which never fails) for legacy Windows logs."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def clean_lines(lines: Iterable[str | bytes]) -> Iterator[tuple[int, str]]:
    """Number lines from 1, decode bytes, drop a BOM and the line terminator."""
    for number, line in enumerate(lines, start=1):
        text = decode_line(line) if isinstance(line, bytes) else line
        if number == 1 and text.startswith("\ufeff"):
            text = text[1:]
        yield number, text.rstrip("\r\n")


def split_license_files(text: str) -> list[str]:
    """``path1:path2:`` where Windows paths carry their own ``C:\\``."""
    return [p.strip() for p in _LICENSE_PATH.findall(text) if p.strip()]


def parse_status_date(text: str) -> datetime | None:
    """The FlexNet header date ``status on Www M/D/YYYY H:MM``."""
    match = _STATUS_DATE.search(text)
    if match is None:
        return None
    try:
        return datetime(int(match[4]), int(match[2]), int(match[3]), int(match[5]), int(match[6]))
    except ValueError:
        return None


def parse_expiry(text: str) -> tuple[date | None, bool]:
    """``(expiry date, permanent)`` from ``31-jan-2018``, ``1-jan-0``, ``permanent(...)``.

    A year 0 (``1-jan-0``, ``01-jan-0000``) means permanent, as does any text starting with
    ``permanent``. Far-future dates (``01-jan-2099``) stay dates. Anything else is unknown.
    """
    value = text.strip().lower()
    if value.startswith("permanent"):
        return None, True
    match = _EXPIRY.fullmatch(value)
    if match is None:
        return None, False
    year = int(match[3])
    if year == 0:
        return None, True
    month = MONTHS.get(match[2])
    if month is None:
        return None, False
    try:
        return date(year, month, int(match[1])), False
    except ValueError:
        return None, False


def format_expiry(expiry: date | None, permanent: bool, *, permanent_text: str) -> str | None:
    if permanent:
        return permanent_text
    if expiry is None:
        return None
    return f"{expiry.day:02d}-{MONTH_NAMES[expiry.month]}-{expiry.year:04d}"


def infer_start(
    month: int, day: int, hour: int, minute: int, weekday: str | None, ref: datetime | None
) -> datetime | None:
    """The datetime of a year-less start stamp (``Fri 10/20 16:40``) seen at ``ref``.

    The year is the reference year or the one before. When the printed weekday matches
    exactly one of them it decides, because the server computed weekday and date from the
    same clock (this keeps the clock-skew case of a start *after* the header in the
    reference year). Otherwise the reference year is used unless that puts the start more
    than a day after ``ref``, in which case it is the previous year.
    """
    if ref is None:
        return None
    candidates = []
    for year in (ref.year, ref.year - 1):
        try:
            candidates.append(datetime(year, month, day, hour, minute))
        except ValueError:
            continue
    if not candidates:
        return None
    wanted = WEEKDAYS.get(weekday[:3].lower()) if weekday else None
    if wanted is not None:
        matching = [c for c in candidates if c.weekday() == wanted]
        if len(matching) == 1:
            return matching[0]
    for candidate in candidates:
        if candidate <= ref + _FUTURE_TOLERANCE:
            return candidate
    return candidates[-1]


def parse_int(text: str | None) -> int | None:
    if text is None:
        return None
    try:
        return int(text)
    except ValueError:
        return None


class Unparsed:
    """Counts lines nobody recognised and keeps the first few as examples."""

    __slots__ = ("count", "examples")

    def __init__(self) -> None:
        self.count = 0
        self.examples: list[tuple[int, str]] = []

    def add(self, number: int, text: str) -> None:
        self.count += 1
        if len(self.examples) < MAX_UNPARSED_EXAMPLES:
            self.examples.append((number, text))
