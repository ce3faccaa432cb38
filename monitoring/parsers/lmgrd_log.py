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
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import BinaryIO

from monitoring.parsers._common import MONTHS, decode_line
from monitoring.parsers.model import MAX_UNPARSED_EXAMPLES

OUT = "OUT"
IN = "IN"
DENIED = "DENIED"
QUEUED = "QUEUED"
DEQUEUED = "DEQUEUED"
UNSUPPORTED = "UNSUPPORTED"
EXPIRED = "EXPIRED"
DAEMON_START = "DAEMON_START"
DAEMON_STOP = "DAEMON_STOP"
DAEMON_RESTART = "DAEMON_RESTART"
REREAD = "REREAD"
TIMESTAMP = "TIMESTAMP"

#: Records kept waiting for the first date anchor before being released undated.
MAX_PENDING = 100_000
#: A step back in time larger than this means the day changed.
ROLLOVER_THRESHOLD_SECONDS = 3600

_LINE = re.compile(r" ?(\d{1,2}):(\d\d):(\d\d) \(([^)]+)\)(?: (.*))?$")
_TIMELIKE = re.compile(r"\s?\d{1,2}:\d")
_EVENT = re.compile(r'(OUT|IN|DENIED|QUEUED|DEQUEUED|UNSUPPORTED): "([^"]*)" ?(.*)$')
_HOSTID = re.compile(r"\(([^)]*)\) (.*)$")
_US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_STARTED_ON = re.compile(r"Licensing \(.*\) started on .*\((\d{1,2})/(\d{1,2})/(\d{4})\)\s*$")
_LONG_DATE = re.compile(r"(?:Date and Time|Start-Date): \w{3} (\w{3}) +(\d{1,2}) (\d{4}) ")
_VENDOR_STARTED = re.compile(r"Started (\S+) \(")
_VENDOR_SHUTDOWN = re.compile(r"Shutting down (\S+) pid=")
_VENDOR_EXITED = re.compile(r"(\S+) exited with status")
_LICENSES = re.compile(r"(\d+) licenses?")
_EVENT_PREFIXES = ("OUT:", "IN:", "DENIED:", "QUEUED:", "DEQUEUED:", "UNSUPPORTED:")
_LIFECYCLE_PREFIXES = ("FlexNet Licensing (", "FLEXnet Licensing (", "Server's System Date")


@dataclass(frozen=True, slots=True)
class LogRecord:
    """One event of a debug log. ``at`` is naive server-local time (``None``: no date known)."""

    kind: str
    at: datetime | None
    daemon: str
    feature: str | None = None
    user: str | None = None
    host: str | None = None
    licenses: int = 1
    reason: str | None = None
    flags: tuple[str, ...] = ()
    raw: str = ""
    line_no: int = 0
    #: Byte offset of the start of the line in the file (a stable fingerprint part).
    offset: int = 0
    #: ``[PKG:COMPONENT]`` of an OUT/IN, the host id of UNSUPPORTED, the pid text of starts.
    detail: str | None = None


@dataclass(slots=True)
class LogParserState:
    """Where a parse stands; ``to_dict()`` is JSON-serialisable."""

    current_date: str | None = None  # ISO date
    last_seconds: int | None = None  # time of day of the last timed line
    line_no: int = 0
    rollovers: int = 0
    resyncs: int = 0
    malformed: int = 0
    untimed: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    vendors_started: list[str] = field(default_factory=list)
    malformed_examples: list[list] = field(default_factory=list)  # [line_no, text]

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> LogParserState:
        return cls(**data)


class _Pending:
    """A record waiting for a date: its fields, time of day and day offset."""

    __slots__ = ("days", "fields", "seconds")

    def __init__(self, fields: list, seconds: int, days: int) -> None:
        self.fields = fields
        self.seconds = seconds
        self.days = days


def _groups(text: str) -> list[str]:
    """Top-level ``(...)`` and ``[...]`` groups of ``text``, brackets kept."""
    groups = []
    depth = 0
    start = 0
    for index, char in enumerate(text):
        if char in "([":
            if depth == 0:
                start = index
            depth += 1
        elif char in ")]" and depth:
            depth -= 1
            if depth == 0:
                groups.append(text[start : index + 1])
    return groups


class LogParser:
    """Feed lines one by one; each call returns the records that line released."""

    def __init__(self, state: LogParserState | None = None) -> None:
        state = state or LogParserState()
        self._date = date.fromisoformat(state.current_date) if state.current_date else None
        self._midnight = (
            datetime(self._date.year, self._date.month, self._date.day) if self._date else None
        )
        self._last = state.last_seconds
        self._line_no = state.line_no
        self._rollovers = state.rollovers
        self._resyncs = state.resyncs
        self._malformed = state.malformed
        self._untimed = state.untimed
        self._counts = dict(state.counts)
        self._vendors = set(state.vendors_started)
        self._examples = [list(e) for e in state.malformed_examples]
        self._pending: list[_Pending] = []
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

    def feed(self, line: str | bytes, offset: int = 0) -> list[LogRecord]:
        """Parse one line (``offset``: byte offset of its start) into released records."""
        self._line_no += 1
        if line.__class__ is bytes:
            line = decode_line(line)
        line = line.rstrip("\r\n")
        if line[:1] == "\ufeff":
            line = line[1:]
        match = _LINE.match(line)
        if match is None:
            if _TIMELIKE.match(line):
                self._bad(line)
            elif line.strip():
                self._untimed += 1
            return []
        hours, minutes, seconds, daemon, message = match.groups()
        hours, minutes, seconds = int(hours), int(minutes), int(seconds)
        if hours > 23 or minutes > 59 or seconds > 59:
            self._bad(line)
            return []
        now = hours * 3600 + minutes * 60 + seconds
        if self._last is not None and now < self._last - ROLLOVER_THRESHOLD_SECONDS:
            self._rollover()
        self._last = now
        if not message:
            return []
        fields = self._message(daemon, message, line, offset)
        if self._pending and self._midnight is not None:
            released = self._release()
            if fields is not None:
                released += self._emit(fields, now)
            return released
        if fields is None:
            return []
        return self._emit(fields, now)

    def finish(self) -> list[LogRecord]:
        """At end of input: release records still waiting for a date, undated."""
        released = [self._build(p.fields, None) for p in self._pending]
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

    @property
    def malformed_examples(self) -> list[tuple[int, str]]:
        return [(n, text) for n, text in self._examples]

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

    # -- messages --------------------------------------------------------------------
    def _message(self, daemon: str, message: str, line: str, offset: int) -> list | None:
        """Record fields (without date) for one timed message, or None for noise."""
        head = message[:3]
        if head in ("OUT", "IN:", "DEN", "QUE", "DEQ", "UNS") and message.startswith(
            _EVENT_PREFIXES
        ):
            return self._event(daemon, message, line, offset)
        if head == "TIM" and message.startswith("TIMESTAMP "):
            found = _US_DATE.search(message)
            day = _date_or_none(found[3], found[1], found[2]) if found else None
            if day is None:
                self._bad(line)
                return None
            flags = ("resync",) if self._anchor(day) else ()
            return [TIMESTAMP, daemon, None, None, None, 1, None, flags, line, offset, None]
        if head == "EXP" and message.startswith("EXPIRED:"):
            feature = message[8:].strip()
            return [EXPIRED, daemon, feature, None, None, 1, None, (), line, offset, None]
        return self._lifecycle(daemon, message, line, offset)

    def _lifecycle(self, daemon: str, message: str, line: str, offset: int) -> list | None:
        if message.startswith(_LIFECYCLE_PREFIXES) or "Start-Date:" in message:
            started = _STARTED_ON.search(message)
            if started is not None:
                flags = (
                    ("resync",)
                    if self._anchor(_date_or_none(started[3], started[1], started[2]))
                    else ()
                )
                self._vendors.clear()
                return [DAEMON_START, daemon, None, None, None, 1, None, flags, line, offset,
                        None]  # fmt: skip
            found = _LONG_DATE.search(message)
            if found is not None:
                month = MONTHS.get(found[1].lower())
                self._anchor(_date_or_none(found[3], month, found[2]) if month else None)
            return None
        if message.startswith("Started ") and daemon == "lmgrd":
            found = _VENDOR_STARTED.match(message)
            if found is None:
                return None
            vendor = found[1]
            kind = DAEMON_RESTART if vendor in self._vendors else DAEMON_START
            self._vendors.add(vendor)
            detail = message[found.end() - 1 :]
            return [kind, vendor, None, None, None, 1, None, (), line, offset, detail]
        if message.startswith("SHUTDOWN request"):
            return [DAEMON_STOP, daemon, None, None, None, 1, message, ("request",), line,
                    offset, None]  # fmt: skip
        if message.startswith("EXITING DUE TO SIGNAL"):
            return [DAEMON_STOP, daemon, None, None, None, 1, message, (), line, offset, None]
        if message.startswith("Shutting down ") or " exited with status" in message:
            found = _VENDOR_SHUTDOWN.match(message) or _VENDOR_EXITED.match(message)
            if found is None:
                return None
            self._vendors.discard(found[1])
            return [DAEMON_STOP, found[1], None, None, None, 1, message, (), line, offset, None]
        if message.startswith("Rereading license file"):
            return [REREAD, daemon, None, None, None, 1, message, (), line, offset, None]
        return None

    def _event(self, daemon: str, message: str, line: str, offset: int) -> list | None:
        match = _EVENT.match(message)
        if match is None:
            self._bad(line)
            return None
        kind, feature, rest = match.groups()
        detail = None
        if kind == UNSUPPORTED:
            hostid = _HOSTID.match(rest)
            if hostid is not None:
                detail, rest = hostid[1], hostid[2]
        cut = len(rest)
        for marker in ("  (", " ["):
            found = rest.find(marker)
            if found != -1 and found < cut:
                cut = found
        who = rest[:cut].strip()
        if not who:
            self._bad(line)
            return None
        user, at_sign, host = who.rpartition("@")
        if not at_sign:
            user, host = who, ""
        licenses = 1
        reason = None
        flags: tuple[str, ...] = ()
        tail = rest[cut:]
        if tail.strip():
            for group in _groups(tail):
                inner = group[1:-1].strip()
                if group[0] == "[":
                    detail = inner
                elif inner in ("INACTIVE", "SHUTDOWN"):
                    flags += (inner.lower(),)
                elif (count := _LICENSES.fullmatch(inner)) is not None:
                    licenses = int(count[1])
                else:
                    reason = inner
        return [kind, daemon, feature, user, host, licenses, reason, flags, line, offset, detail]

    # -- output ----------------------------------------------------------------------
    def _emit(self, fields: list, now: int) -> list[LogRecord]:
        kind = fields[0]
        self._counts[kind] = self._counts.get(kind, 0) + 1
        fields.append(self._line_no)
        if self._midnight is None:
            self._pending.append(_Pending(fields, now, self._days))
            if len(self._pending) >= MAX_PENDING:
                return self.finish()
            return []
        return [self._build(fields, self._midnight + timedelta(seconds=now))]

    def _release(self) -> list[LogRecord]:
        """Date the records that waited for the first anchor, counting back the rollovers."""
        released = []
        for pending in self._pending:
            day = self._midnight - timedelta(days=self._days - pending.days)
            released.append(self._build(pending.fields, day + timedelta(seconds=pending.seconds)))
        self._pending = []
        self._days = 0
        return released

    @staticmethod
    def _build(fields: list, at: datetime | None) -> LogRecord:
        kind, daemon, feature, user, host, licenses, reason, flags, raw, offset, detail, line_no = (
            fields
        )
        return LogRecord(
            kind, at, daemon, feature, user, host, licenses, reason, flags, raw, line_no,
            offset, detail,
        )  # fmt: skip

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
