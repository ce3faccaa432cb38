"""Streaming, resumable parser of FlexNet lmgrd / vendor-daemon debug logs.

Rules (the corpus notes in ``shared/corpus/FORMATS.md`` section 4 explain the data):

Lines
  A log line is ``[ ]H:MM:SS (daemon) message``; hours are space- or zero-padded. Lines
  are read in binary, decoded as UTF-8 with a latin-1 fallback, with a BOM and ``\\r``
  dropped. Several daemons (``lmgrd``, vendors, helpers such as ``adskflex_pluggin``)
  interleave in one file. Lines without a leading time (continuations of feature lists,
  blank lines, ``Shut down FlexNet ... on machine``, `` (@MSC-INFO@) 16:12:08 ...``) are
  counted as ``untimed`` and otherwise ignored. A line that starts like a time but is not
  one (``12:49:3a9 (ugslmd) OUT: ...``), an impossible time (``25:61:00``) or an event
  line whose body cannot be read is *malformed*: counted, first 20 kept, never raised.

Events
  ``OUT:``/``IN:``/``DENIED:``/``QUEUED:``/``DEQUEUED:``/``UNSUPPORTED:`` followed by
  ``"FEATURE"`` (``UNSUPPORTED`` then has a ``(HOSTID)`` that may contain spaces, kept in
  ``detail``). The user and host are the text before the first ``"  ("`` or ``" ["``,
  split on its **last** ``@``: user names may contain spaces, non-ASCII letters and a
  trailing ``$``. What follows is read as bracket/parenthesis groups: ``[PKG:COMPONENT]``
  goes to ``detail``, ``(N licenses)`` to ``licenses`` (default 1), ``(INACTIVE)`` and
  ``(SHUTDOWN)`` become the flags ``inactive`` and ``shutdown``, any other group is the
  ``reason`` (the denial text with its FlexNet code). ``SERVER-OUT:`` is not ``OUT:``.
  ``EXPIRED: feature`` has no quotes and no user.

Daemon life cycle
  ``(lmgrd) FlexNet Licensing (...) started on HOST (...) (M/D/YYYY)`` is DAEMON_START of
  ``lmgrd`` and forgets which vendor daemons ran. ``(lmgrd) Started VENDOR (...)`` is
  DAEMON_START of that vendor, or DAEMON_RESTART when it already started under this
  lmgrd. DAEMON_STOP: ``SHUTDOWN request from ...`` (flag ``request``),
  ``EXITING DUE TO SIGNAL N`` (of the daemon in parentheses),
  ``Shutting down VENDOR pid=N because of signal N`` and ``VENDOR exited with status N``
  (of that vendor). ``Rereading license file...`` is REREAD. ``TIMESTAMP M/D/YYYY`` is a
  TIMESTAMP record. An importer closes a daemon's open checkouts at its STOP/RESTART and
  all of them at an lmgrd START or STOP.

Dates
  Lines carry only a time of day. The date comes from anchors: ``TIMESTAMP M/D/YYYY``
  (always US order, from lmgrd every 6 h and from each vendor, drifting a few minutes
  per cycle), ``started on ... (M/D/YYYY)``, ``Server's System Date and Time: Www Mon DD
  YYYY HH:MM:SS zone`` and SLOG ``Start-Date: ...``. Between anchors, a time more than
  one hour earlier than the previous line's means midnight passed: the date moves one
  day on (``rollovers``). A step back of an hour or less (a daylight-saving fall-back or
  two daemons writing out of order) keeps the date. An anchor always wins; when it
  disagrees with the computed date it is counted in ``resyncs`` and its record flagged
  ``resync``. Records before the first anchor (the startup banner, a rotated log) wait,
  bounded to ``MAX_PENDING``, and are dated back from that anchor counting the
  rollovers in between; when no anchor ever comes they are released with ``at=None``.
  Times are the server's local time, naive; the importer applies the server's zone.

Resuming
  :class:`LogParserState` is a small JSON-serialisable snapshot (current date, last
  time of day, counters, vendors started, first malformed examples). Between two lines
  that released records, ``parser.state`` matches the byte offset after the last of them:
  save both, and later ``LogParser(state)`` fed from that offset continues exactly as
  an uninterrupted run would. Memory does not grow with the file size.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import BinaryIO

from monitoring.parsers._common import MONTHS
from monitoring.parsers.log_records import (
    DAEMON_RESTART,
    DAEMON_START,
    DAEMON_STOP,
    DENIED,
    DEQUEUED,
    EXPIRED,
    IN,
    KINDS,
    OUT,
    QUEUED,
    REREAD,
    TIMESTAMP,
    UNSUPPORTED,
    LogParserState,
    LogRecord,
    parse_event,
)
from monitoring.parsers.model import MAX_UNPARSED_EXAMPLES

__all__ = [
    "DAEMON_RESTART",
    "DAEMON_START",
    "DAEMON_STOP",
    "DENIED",
    "DEQUEUED",
    "EXPIRED",
    "IN",
    "KINDS",
    "MAX_PENDING",
    "OUT",
    "QUEUED",
    "REREAD",
    "TIMESTAMP",
    "UNSUPPORTED",
    "LogParser",
    "LogParserState",
    "LogRecord",
    "parse_event",
    "parse_log",
]

#: Records kept waiting for the first date anchor before being released undated.
MAX_PENDING = 100_000
#: A step back in time larger than this means the day changed.
ROLLOVER_THRESHOLD_SECONDS = 3600

_FAST = re.compile(
    r" ?(\d{1,2}:\d\d:\d\d) \(([^)]+)\) "
    r'(OUT|IN|DENIED|QUEUED|DEQUEUED|UNSUPPORTED): "([^"]*)" ?(.*)$'
)
_LINE = re.compile(r" ?(\d{1,2}:\d\d:\d\d) \(([^)]+)\)(?: (.*))?$")
_TIMELIKE = re.compile(r"\s?\d{1,2}:\d")
_US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_STARTED_ON = re.compile(r"Licensing \(.*\) started on .*\((\d{1,2})/(\d{1,2})/(\d{4})\)\s*$")
_LONG_DATE = re.compile(r"(?:Date and Time|Start-Date): \w{3} (\w{3}) +(\d{1,2}) (\d{4}) ")
_VENDOR_STARTED = re.compile(r"Started (\S+) \(")
_VENDOR_SHUTDOWN = re.compile(r"Shutting down (\S+) pid=")
_VENDOR_EXITED = re.compile(r"(\S+) exited with status")
_EVENT_PREFIXES = ("OUT:", "IN:", "DENIED:", "QUEUED:", "DEQUEUED:", "UNSUPPORTED:")
_LIFECYCLE_PREFIXES = ("FlexNet Licensing (", "FLEXnet Licensing (", "Server's System Date")


#: (seconds since midnight, same as timedelta) by clock text, filled as times are met (at
#: most 122,400 keys): a dictionary hit is several times cheaper than parsing the text.
_CLOCKS: dict[str, tuple[int, timedelta]] = {}


def _clock(clock: str) -> tuple[int, timedelta] | None:
    """Time of day of ``H:MM:SS`` (cached); None when impossible (``25:61:00``)."""
    hours, minutes, seconds = (int(part) for part in clock.split(":"))
    if hours > 23 or minutes > 59 or seconds > 59:
        return None
    value = hours * 3600 + minutes * 60 + seconds
    entry = _CLOCKS[clock] = (value, timedelta(seconds=value))
    return entry


class LogParser:
    """Feed lines one by one; each call returns the records that line released."""

    def __init__(self, state: LogParserState | None = None) -> None:
        state = state or LogParserState()
        self._date: date | None = None
        self._midnight: datetime | None = None
        if state.current_date:
            self._set_date(date.fromisoformat(state.current_date))
        self._last = state.last_seconds
        self._line_no = state.line_no
        self._rollovers = state.rollovers
        self._resyncs = state.resyncs
        self._malformed = state.malformed
        self._untimed = state.untimed
        self._counts = dict(state.counts)
        self._vendors = set(state.vendors_started)
        self._examples = [list(e) for e in state.malformed_examples]
        #: (record, time of day, day offset) waiting for the first date anchor
        self._pending: list[tuple[LogRecord, int, int]] = []
        self._days = 0  # rollovers seen while the date is unknown

    # -- public ----------------------------------------------------------------------
    @property
    def state(self) -> LogParserState:
        return LogParserState(
            current_date=self._date.isoformat() if self._date else None,
            last_seconds=self._last,
            line_no=self._line_no,
            rollovers=self._rollovers,
            resyncs=self._resyncs,
            malformed=self._malformed,
            untimed=self._untimed,
            counts=dict(self._counts),
            vendors_started=sorted(self._vendors),
            malformed_examples=[list(e) for e in self._examples],
        )

    @property
    def malformed_examples(self) -> list[tuple[int, str]]:
        return [(n, text) for n, text in self._examples]

    def feed(self, line: str | bytes, offset: int = 0) -> list[LogRecord]:
        """Parse one line (``offset``: byte offset of its start) into released records."""
        self._line_no += 1
        if line.__class__ is bytes:
            try:
                line = line.decode()
            except UnicodeDecodeError:
                line = line.decode("latin-1")
        line = line.rstrip("\r\n")
        if line[:1] == "\ufeff":
            line = line[1:]
        match = _FAST.match(line)
        if match is not None:
            clock, daemon, kind, feature, rest = match.groups()
        else:
            match = _LINE.match(line)
            if match is None:
                if _TIMELIKE.match(line):
                    self._bad(line)
                elif line.strip():
                    self._untimed += 1
                return []
            clock, daemon, message = match.groups()
            kind = None
        entry = _CLOCKS.get(clock) or _clock(clock)
        if entry is None:
            self._bad(line)
            return []
        now, since_midnight = entry
        if self._last is not None and now < self._last - ROLLOVER_THRESHOLD_SECONDS:
            self._rollover()
        self._last = now
        if kind is not None:
            at = None if self._midnight is None else self._midnight + since_midnight
            record = parse_event(kind, at, daemon, feature, rest, line, self._line_no, offset)
            if record is None:
                self._bad(line)
        elif message:
            record = self._message(since_midnight, daemon, message, line, offset)
        else:
            record = None
        if record is not None:
            self._counts[record.kind] = self._counts.get(record.kind, 0) + 1
        if self._pending:
            return self._queue(record, now)
        if record is None:
            return []
        if record.at is None:
            return self._queue(record, now)
        return [record]

    def finish(self) -> list[LogRecord]:
        """At end of input: release records still waiting for a date, undated."""
        released = [record for record, _, _ in self._pending]
        self._pending = []
        return released

    def iter_file(
        self, binary_file: BinaryIO, start_offset: int = 0
    ) -> Iterator[tuple[list[LogRecord], int]]:
        """``(records, end_offset)`` for each line that released records, then the rest.

        While the generator is paused at a yield, :attr:`state` matches ``end_offset``.
        """
        binary_file.seek(start_offset)
        offset = start_offset
        feed = self.feed
        for raw in binary_file:
            records = feed(raw, offset)
            offset += len(raw)
            if records:
                yield records, offset
        rest = self.finish()
        if rest:
            yield rest, offset

    # -- dates -----------------------------------------------------------------------
    def _rollover(self) -> None:
        self._rollovers += 1
        if self._date is None:
            self._days += 1
        else:
            self._set_date(self._date + timedelta(days=1))

    def _set_date(self, day: date) -> None:
        self._date = day
        self._midnight = datetime(day.year, day.month, day.day)

    def _anchor(self, day: date | None) -> bool:
        """Resynchronise on a date printed in the log; True when it disagreed."""
        if day is None:
            return False
        disagreed = self._date is not None and day != self._date
        if disagreed:
            self._resyncs += 1
        self._set_date(day)
        return disagreed

    def _queue(self, record: LogRecord | None, now: int) -> list[LogRecord]:
        """Hold undated records; once a date is known, date them back and release them."""
        if record is not None:
            self._pending.append((record, now, self._days))
        if self._midnight is None:
            if len(self._pending) >= MAX_PENDING:
                return self.finish()
            return []
        released = []
        for pending, seconds, days in self._pending:
            if pending.at is None:
                day = self._midnight - timedelta(days=self._days - days)
                pending = pending._replace(at=day + timedelta(seconds=seconds))
            released.append(pending)
        self._pending = []
        self._days = 0
        return released

    # -- messages --------------------------------------------------------------------
    def _record(
        self, kind: str, now: timedelta, daemon: str, line: str, offset: int, **fields
    ) -> LogRecord:
        """A record at time of day ``now`` of the current date (after any anchor on the line)."""
        at = None if self._midnight is None else self._midnight + now
        return LogRecord(kind, at, daemon, raw=line, line_no=self._line_no, offset=offset, **fields)

    def _message(
        self, now: timedelta, daemon: str, message: str, line: str, offset: int
    ) -> LogRecord | None:
        """The record of a timed non-checkout message, or None for noise."""
        if message.startswith("TIMESTAMP "):
            found = _US_DATE.search(message)
            day = _date_or_none(found[3], found[1], found[2]) if found else None
            if day is None:
                self._bad(line)
                return None
            flags = ("resync",) if self._anchor(day) else ()
            return self._record(TIMESTAMP, now, daemon, line, offset, flags=flags)
        if message.startswith("EXPIRED:"):
            return self._record(EXPIRED, now, daemon, line, offset, feature=message[8:].strip())
        if message.startswith(_EVENT_PREFIXES):
            self._bad(line)  # an event prefix without its quoted feature
            return None
        if message.startswith(_LIFECYCLE_PREFIXES) or "Start-Date:" in message:
            return self._startup(now, daemon, message, line, offset)
        return self._lifecycle(now, daemon, message, line, offset)

    def _startup(
        self, now: timedelta, daemon: str, message: str, line: str, offset: int
    ) -> LogRecord | None:
        started = _STARTED_ON.search(message)
        if started is not None:
            day = _date_or_none(started[3], started[1], started[2])
            flags = ("resync",) if self._anchor(day) else ()
            self._vendors.clear()
            return self._record(DAEMON_START, now, daemon, line, offset, flags=flags)
        found = _LONG_DATE.search(message)
        if found is not None:
            month = MONTHS.get(found[1].lower())
            self._anchor(_date_or_none(found[3], month, found[2]) if month else None)
        return None

    def _lifecycle(
        self, now: timedelta, daemon: str, message: str, line: str, offset: int
    ) -> LogRecord | None:
        if message.startswith("Started ") and daemon == "lmgrd":
            found = _VENDOR_STARTED.match(message)
            if found is None:
                return None
            vendor = found[1]
            kind = DAEMON_RESTART if vendor in self._vendors else DAEMON_START
            self._vendors.add(vendor)
            detail = message[found.end() - 1 :]
            return self._record(kind, now, vendor, line, offset, detail=detail)
        if message.startswith("SHUTDOWN request"):
            return self._record(
                DAEMON_STOP, now, daemon, line, offset, reason=message, flags=("request",)
            )
        if message.startswith("EXITING DUE TO SIGNAL"):
            return self._record(DAEMON_STOP, now, daemon, line, offset, reason=message)
        if message.startswith("Shutting down ") or " exited with status" in message:
            found = _VENDOR_SHUTDOWN.match(message) or _VENDOR_EXITED.match(message)
            if found is None:
                return None
            self._vendors.discard(found[1])
            return self._record(DAEMON_STOP, now, found[1], line, offset, reason=message)
        if message.startswith("Rereading license file"):
            return self._record(REREAD, now, daemon, line, offset, reason=message)
        return None

    def _bad(self, line: str) -> None:
        self._malformed += 1
        if len(self._examples) < MAX_UNPARSED_EXAMPLES:
            self._examples.append([self._line_no, line])


def _date_or_none(year: str, month: str | int, day: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def parse_log(
    binary_file: BinaryIO, start_offset: int = 0, state: LogParserState | None = None
) -> Iterator[tuple[LogRecord, int]]:
    """``(record, end_offset)`` for every record of a log opened in binary mode.

    ``end_offset`` is the byte offset just after the line that released the record. To
    checkpoint, use :meth:`LogParser.iter_file`, whose yields pair an offset with the
    parser state that goes with it.
    """
    parser = LogParser(state)
    for records, end_offset in parser.iter_file(binary_file, start_offset):
        for record in records:
            yield record, end_offset
