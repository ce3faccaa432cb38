"""What one lmgrd debug-log line means: record kinds, :class:`LogRecord`, the body of a
checkout event, and the resumable :class:`LogParserState` (the stream logic, dates and
rules are in ``lmgrd_log``)."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import NamedTuple

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

_HOSTID = re.compile(r"\(([^)]*)\) (.*)$")
_LICENSES = re.compile(r"(\d+) licenses?")
_FLAGS = {"INACTIVE": "inactive", "SHUTDOWN": "shutdown"}

#: Every kind a :class:`LogRecord` can have.
KINDS = (OUT, IN, DENIED, QUEUED, DEQUEUED, UNSUPPORTED, EXPIRED, DAEMON_START, DAEMON_STOP,
         DAEMON_RESTART, REREAD, TIMESTAMP)  # fmt: skip


class LogRecord(NamedTuple):
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


def parse_event(
    kind: str,
    at: datetime | None,
    daemon: str,
    feature: str,
    rest: str,
    raw: str,
    line_no: int,
    offset: int,
) -> LogRecord | None:
    """The record of ``KIND: "feature" rest``; None when ``rest`` names no user.

    ``rest`` is ``[(HOSTID) ]user@host`` then groups: ``[PKG:COMPONENT]`` (``detail``),
    ``(N licenses)``, ``(INACTIVE)``/``(SHUTDOWN)`` (flags) or anything else (``reason``).
    The user is the text before the first ``"  ("`` or ``" ["`` up to its last ``@``.
    """
    detail = None
    if kind == UNSUPPORTED:
        hostid = _HOSTID.match(rest)
        if hostid is not None:
            detail, rest = hostid[1], hostid[2]
    if "(" not in rest and "[" not in rest:
        who, tail = rest.strip(), ""
    else:
        cut = len(rest)
        for marker in ("  (", " ["):
            found = rest.find(marker)
            if found != -1 and found < cut:
                cut = found
        who, tail = rest[:cut].strip(), rest[cut:]
    if not who:
        return None
    user, at_sign, host = who.rpartition("@")
    if not at_sign:
        user, host = who, ""
    licenses = 1
    reason = None
    flags: tuple[str, ...] = ()
    if tail:
        for group in _groups(tail):
            inner = group[1:-1].strip()
            if group[0] == "[":
                detail = inner
            elif inner in _FLAGS:
                flags += (_FLAGS[inner],)
            elif (count := _LICENSES.fullmatch(inner)) is not None:
                licenses = int(count[1])
            else:
                reason = inner
    return LogRecord(
        kind, at, daemon, feature, user, host, licenses, reason, flags, raw, line_no, offset,
        detail,
    )  # fmt: skip
