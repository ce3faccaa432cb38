"""FlexNet ``lmutil lmstat -a`` and ``lmstat -i`` parsers.

Rules (see ``docs/parsers.md`` and the corpus notes in ``shared/corpus/FORMATS.md``):

* Lines are matched on tokens, never on columns or indentation; blank lines, ``\\r`` and a
  BOM are ignored. Lines before the first recognised one (a shell prompt) and any other
  line nobody recognises are counted in ``unparsed_count``, the first 20 kept.
* The header date ``status on Www M/D/YYYY H:MM`` is the reference for the year-less
  checkout start stamps (``_common.infer_start``): the printed weekday picks the reference
  year or the previous one; without a weekday match a start more than a day after the
  header belongs to the previous year.
* Server lines before ``Vendor daemon status`` are servers; ``NAME: UP vX`` or
  ``NAME: <error with a FlexNet code>`` after it are vendor daemons, also in the middle of
  the feature list. The same server printed twice with a different case is kept once.
* A feature's vendor is the ``vendor:`` of its first detail block; without detail block it
  is the daemon of the current section when that section has exactly one daemon, else
  ``None`` (``daemon1`` and ``DAEMON2`` listed together share one feature list).
* Counts printed as ``Uncounted``, ``Error: ...`` or ``Cannot get users`` are ``None``.
* User lines are parsed from the right on ``(vVER) (SERVER/PORT HANDLE)``: the first
  token is the user and the second the host, the rest is the opaque display, except when
  four or more tokens end with two equal ones (``Quantenna FAE4 PC PC``): then those are
  host and display and everything before is the user name.
* ``(linger: N)`` is the linger in seconds; ``(linger: N / M)`` or a linger of a day or
  more marks a borrowed license (FlexNet shows borrowing as a long linger).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from monitoring.parsers._common import (
    Unparsed,
    clean_lines,
    infer_start,
    parse_expiry,
    parse_status_date,
    split_license_files,
)
from monitoring.parsers.lmstat_i import parse_lmstat_i
from monitoring.parsers.model import (
    Checkout,
    FeatureStatus,
    FeatureVersion,
    QueuedRequest,
    Reservation,
    ServerNode,
    StatusReport,
    VendorDaemon,
    parse_flex_error,
)

__all__ = ["parse_lmstat", "parse_lmstat_i"]

BORROW_LINGER_SECONDS = 24 * 3600

_SERVER_UP = re.compile(r"^([^\s:]+): license server UP(?: \((MASTER)\))?(?: v(\S+))?\s*$")
_NAMED_TEXT = re.compile(r"^([^\s:]+):\s+(.+)$")
_VENDOR_UP = re.compile(r"^([^\s:]+): UP(?: v(\S+))?\s*$")
_VENDOR_HOST = re.compile(r"^Vendor daemon status \(on ([^)]*)\):?")
_USERS_COUNTS = re.compile(
    r"^Users of (.+?):\s+\(Total of (\d+) licenses? issued;\s+Total of (\d+) licenses? in use\)"
)
_USERS_OTHER = re.compile(r"^Users of (.+?):\s*(.*)$")
_DETAIL = re.compile(r'^"([^"]*)" v([^,\s]*),? vendor: ([^,\s]+)(.*)$')
_EXPIRY = re.compile(r"expiry: (permanent\([^)]*\)|\S+)")
_LICENSE_TYPE = re.compile(r"^([A-Za-z][A-Za-z -]*?) license\b,?\s*(.*)$")
_ANCHOR = re.compile(r"^(.*)\(v([^)]*)\) \(([^/)]+)/(\S+) (\d+)\)(.*)$")
_START = re.compile(r"^,\s*start (\w{3}) (\d{1,2})/(\d{1,2}) (\d{1,2}):(\d{2})(.*)$")
_QUEUED = re.compile(r"^\s*queued for (\d+) licenses?\s*$")
_LICENSES = re.compile(r",\s*(\d+) licenses?")
_PID = re.compile(r",\s*PID: (\d+)")
_LINGER = re.compile(r"\(linger: (\d+)(?:\s*/\s*(\d+))?\)")
_RESERVATION = re.compile(r"^(\d+) RESERVATIONs? for (\S+) (.*?)\s*\(([^/)]*)/?([^)]*)\)\s*$")
_NOISE = ("[Detecting lmgrd processes...]", "lmstat v", "lmutil v")


def _split_user(prefix: str) -> tuple[str, str, str]:
    """``(user, host, display)`` from the text before ``(vVER)``; see the module rules."""
    tail = prefix.rsplit(None, 2)
    if len(tail) == 3 and tail[1] == tail[2] and len(tail[0].split()) >= 2:
        return tail[0], tail[1], tail[2]
    parts = prefix.split(None, 2)
    while len(parts) < 3:
        parts.append("")
    return parts[0], parts[1], parts[2].strip()


class _Feature:
    """Mutable accumulator for one ``Users of`` block."""

    __slots__ = ("checkouts", "fields", "queued", "reservations", "versions")

    def __init__(self, **fields) -> None:
        self.fields = fields
        self.versions: list[dict] = []
        self.checkouts: list[Checkout] = []
        self.reservations: list[Reservation] = []
        self.queued: list[QueuedRequest] = []

    def build(self) -> FeatureStatus:
        versions = [FeatureVersion(**v) for v in self.versions]
        vendor = versions[0].vendor if versions else self.fields.pop("vendor", None)
        self.fields.pop("vendor", None)
        return FeatureStatus(
            vendor=vendor,
            versions=versions,
            checkouts=self.checkouts,
            reservations=self.reservations,
            queued=self.queued,
            **self.fields,
        )


class _LmstatParser:
    def __init__(self, now: datetime | None) -> None:
        self.now = now
        self.status_time: datetime | None = None
        self.servers: list[ServerNode] = []
        self.ports: dict[str, int | None] = {}
        self.license_files: list[str] = []
        self.vendors: list[VendorDaemon] = []
        self.features: list[FeatureStatus] = []
        self.error: str | None = None
        self.unparsed = Unparsed()
        self.state = "start"
        self.vendor_host: str | None = None
        self.pending_daemons: list[str] = []
        self.section_vendor: str | None = None
        self.feature: _Feature | None = None
        #: start stamp text -> datetime; many checkouts share a minute
        self.starts: dict[tuple[str, ...], datetime | None] = {}

    # -- structure -------------------------------------------------------------------
    def _close_feature(self) -> None:
        if self.feature is not None:
            self.features.append(self.feature.build())
            self.feature = None

    def _bind_daemons(self) -> None:
        if self.pending_daemons:
            pending = self.pending_daemons
            self.section_vendor = pending[0] if len(pending) == 1 else None
            self.pending_daemons = []

    def _add_server(self, node: ServerNode) -> None:
        for index, known in enumerate(self.servers):
            if known.host.casefold() == node.host.casefold():
                up = known.up or node.up
                self.servers[index] = ServerNode(
                    host=known.host,
                    port=known.port if known.port is not None else node.port,
                    up=up,
                    is_master=known.is_master or node.is_master,
                    version=known.version or node.version,
                    error=None if up else known.error or node.error,
                    message="" if up else known.message or node.message,
                )
                return
        self.servers.append(node)

    def _add_vendor(self, name: str, up: bool, version: str | None, text: str) -> None:
        self._close_feature()
        error = None if up else parse_flex_error(text)
        self.vendors.append(
            VendorDaemon(
                name=name,
                up=up,
                version=version,
                error=error,
                host=self.vendor_host,
                message="" if up or error is not None else text,
            )
        )
        self.pending_daemons.append(name)

    # -- lines -----------------------------------------------------------------------
    def feed(self, number: int, line: str) -> None:
        s = line.strip()
        if not s:
            return
        if s.startswith("Users of "):
            self._users_of(number, s)
        elif s.startswith('"'):
            self._detail(number, s)
        elif "(v" in s and ") (" in s and self._user_line(s):
            return
        elif "RESERVATION" in s:
            self._reservation(number, s)
        elif s.startswith("vendor_string:"):
            if self.feature is not None and self.feature.versions:
                self.feature.versions[-1]["vendor_string"] = s[len("vendor_string:") :].strip()
            else:
                self.unparsed.add(number, line)
        elif not self._header(number, s):
            self.unparsed.add(number, line)

    def _header(self, number: int, s: str) -> bool:
        if s.startswith("Flexible License Manager status on"):
            self.status_time = parse_status_date(s)
        elif s.startswith(_NOISE) or ("Copyright" in s and s.startswith(("lmutil", "lmstat"))):
            pass
        elif s.startswith("License server status:"):
            self.state = "servers"
            for address in s.split(":", 1)[1].split(","):
                port, _, host = address.strip().rpartition("@")
                if host:
                    self.ports[host.casefold()] = int(port) if port.isdigit() else None
        elif s.startswith("License file(s) on"):
            self.license_files.extend(split_license_files(s.split(": ", 1)[1] if ": " in s else ""))
        elif s.startswith("Error getting status:"):
            self.error = s[len("Error getting status:") :].strip()
        elif s.startswith("Vendor daemon status"):
            self._close_feature()
            match = _VENDOR_HOST.match(s)
            self.vendor_host = match[1] if match else None
            self.state = "vendors"
        elif s.startswith("Feature usage info"):
            self._close_feature()
            self._bind_daemons()
            self.state = "features"
        elif self.feature is not None and self.feature.versions and _LICENSE_TYPE.match(s):
            match = _LICENSE_TYPE.match(s)
            version = self.feature.versions[-1]
            version["license_type"] = match[1]
            version["detail"] = match[2] or None
        else:
            return self._named_line(s)
        return True

    def _named_line(self, s: str) -> bool:
        """``NAME: ...`` lines: servers before the vendor section, vendor daemons after."""
        match = _SERVER_UP.match(s)
        if match is not None and self.state in ("start", "servers"):
            host = match[1]
            self._add_server(
                ServerNode(
                    host=host,
                    port=self.ports.get(host.casefold()),
                    up=True,
                    is_master=match[2] is not None,
                    version=match[3],
                )
            )
            return True
        match = _VENDOR_UP.match(s)
        if match is not None and self.state in ("vendors", "features"):
            self._add_vendor(match[1], True, match[2], s)
            return True
        match = _NAMED_TEXT.match(s)
        if match is None:
            return False
        name, text = match[1], match[2]
        error = parse_flex_error(text)
        if self.state == "servers" or (self.state == "start" and error is not None):
            self._add_server(
                ServerNode(
                    host=name,
                    port=self.ports.get(name.casefold()),
                    error=error,
                    message="" if error else text,
                )
            )
            return True
        if self.state == "vendors" or (self.state == "features" and error is not None):
            self._add_vendor(name, False, None, text)
            return True
        return False

    def _users_of(self, number: int, s: str) -> None:
        self._close_feature()
        self._bind_daemons()
        match = _USERS_COUNTS.match(s)
        if match is not None:
            self.feature = _Feature(
                name=match[1],
                vendor=self.section_vendor,
                issued=int(match[2]),
                in_use=int(match[3]),
            )
            return
        match = _USERS_OTHER.match(s)
        if match is None:
            self.unparsed.add(number, s)
            return
        note = match[2].strip()
        if note.startswith("(") and note.endswith(")"):
            note = note[1:-1]
        self.feature = _Feature(
            name=match[1],
            vendor=self.section_vendor,
            uncounted=note.lower().startswith("uncounted"),
            note=note or None,
        )

    def _detail(self, number: int, s: str) -> None:
        match = _DETAIL.match(s)
        if match is None or self.feature is None:
            self.unparsed.add(number, s)
            return
        expiry_match = _EXPIRY.search(match[4])
        expiry, permanent = parse_expiry(expiry_match[1]) if expiry_match else (None, False)
        self.feature.versions.append(
            {"version": match[2], "vendor": match[3], "expiry": expiry, "permanent": permanent}
        )

    def _user_line(self, s: str) -> bool:
        match = _ANCHOR.match(s)
        if match is None or self.feature is None:
            return False
        prefix, version, server_host, server_port, handle, rest = match.groups()
        user, host, display = _split_user(prefix)
        queued = _QUEUED.match(rest)
        if queued is not None:
            self.feature.queued.append(
                QueuedRequest(
                    user=user,
                    host=host,
                    display=display,
                    version=version,
                    server_host=server_host,
                    server_port=server_port,
                    handle=handle,
                    licenses=int(queued[1]),
                    raw=s,
                )
            )
            return True
        start = _START.match(rest)
        if start is None:
            return False
        stamp = start.group(1, 2, 3, 4, 5)
        started_at = self.starts.get(stamp)
        if started_at is None:
            weekday, month, day, hour, minute = stamp
            started_at = self.starts[stamp] = infer_start(
                int(month), int(day), int(hour), int(minute), weekday, self.status_time or self.now
            )
        suffix = start[6]
        licenses = _LICENSES.search(suffix) if suffix else None
        pid = _PID.search(suffix) if suffix else None
        linger = _LINGER.search(suffix) if suffix else None
        linger_seconds = int(linger[1]) if linger else None
        remaining = int(linger[2]) if linger and linger[2] else None
        self.feature.checkouts.append(
            Checkout(
                user=user,
                host=host,
                display=display,
                version=version,
                server_host=server_host,
                server_port=server_port,
                handle=handle,
                started_at=started_at,
                licenses=int(licenses[1]) if licenses else 1,
                pid=int(pid[1]) if pid else None,
                linger_seconds=linger_seconds,
                linger_remaining=remaining,
                borrowed=remaining is not None
                or (linger_seconds is not None and linger_seconds >= BORROW_LINGER_SECONDS),
                raw=s,
            )
        )
        return True

    def _reservation(self, number: int, s: str) -> None:
        match = _RESERVATION.match(s)
        if match is None or self.feature is None:
            self.unparsed.add(number, s)
            return
        self.feature.reservations.append(
            Reservation(
                count=int(match[1]),
                kind=match[2],
                name=match[3],
                server_host=match[4],
                server_port=match[5],
            )
        )

    def report(self) -> StatusReport:
        self._close_feature()
        return StatusReport(
            tool="lmstat",
            status_time=self.status_time,
            servers=self.servers,
            license_files=self.license_files,
            vendors=self.vendors,
            features=self.features,
            error=self.error,
            unparsed=self.unparsed.examples,
            unparsed_count=self.unparsed.count,
        )


def parse_lmstat(lines: Iterable[str | bytes], *, now: datetime | None = None) -> StatusReport:
    """Parse ``lmutil lmstat -a`` output. Never raises on odd input.

    ``now`` is only used as the year reference when the output has no status-date header.
    """
    parser = _LmstatParser(now)
    for number, line in clean_lines(lines):
        parser.feed(number, line)
    return parser.report()
