"""Dataclasses shared by every license-server status parser (FlexNet and RLM).

Conventions:
* Versions are stored without the leading ``v`` (``"11.13"``, ``"31.000000"``).
* Datetimes are naive and in the license server's local time (the tools print no zone).
* A count of ``None`` means "unknown" (uncounted feature, error line), never zero.
* Features are identified by ``(vendor, name)``: the same name can exist under two vendors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

#: How many unparsed lines a report keeps as examples (all are counted).
MAX_UNPARSED_EXAMPLES = 20

_FLEX_ERROR = re.compile(r'\((-?\d+),(-?\d+)(?::(-?\d+)(?: "([^"]*)")?)?\)')


@dataclass(frozen=True, slots=True)
class FlexError:
    """A FlexNet error code such as ``(-15,570:111 "Connection refused")``.

    ``message`` is the human text printed before the code ("Cannot connect to license
    server system."); ``text`` is the OS errno text inside the code, if any.
    """

    major: int
    minor: int
    errno: int | None = None
    text: str | None = None
    message: str = ""

    def __str__(self) -> str:
        code = f"{self.major},{self.minor}"
        if self.errno is not None:
            code += f":{self.errno}"
            if self.text is not None:
                code += f' "{self.text}"'
        return f"{self.message} ({code})".strip()


def parse_flex_error(text: str) -> FlexError | None:
    """The last FlexNet error code in ``text``, with the text before it as message."""
    matches = list(_FLEX_ERROR.finditer(text))
    if not matches:
        return None
    found = matches[-1]
    major, minor, errno, errtext = found.groups()
    return FlexError(
        major=int(major),
        minor=int(minor),
        errno=int(errno) if errno is not None else None,
        text=errtext,
        message=text[: found.start()].strip(),
    )


@dataclass(frozen=True, slots=True)
class ServerNode:
    """One license server (one member of a redundant triad)."""

    host: str
    port: int | None = None
    up: bool = False
    is_master: bool = False
    version: str | None = None
    error: FlexError | None = None
    #: Error text when the line carries no FlexNet code (RLM connection failures).
    message: str = ""


@dataclass(frozen=True, slots=True)
class VendorDaemon:
    """A FlexNet vendor daemon or an RLM ISV server."""

    name: str
    up: bool = False
    version: str | None = None
    error: FlexError | None = None
    #: Host the daemon was reported on (``Vendor daemon status (on HOST)``), if printed.
    host: str | None = None
    port: int | None = None
    message: str = ""


@dataclass(frozen=True, slots=True)
class FeatureVersion:
    """One INCREMENT/FEATURE line (FlexNet) or one license pool (RLM) of a feature."""

    version: str
    vendor: str | None = None
    expiry: date | None = None
    permanent: bool = False
    #: ``floating``, ``nodelocked``, ``uncounted nodelocked``... as printed, minus "license".
    license_type: str | None = None
    vendor_string: str | None = None
    #: Seats in this INCREMENT or pool, when the output tells (``lmstat -i``, RLM pools).
    count: int | None = None
    #: Free text qualifying the line, e.g. ``locked to NOTHING (hostid=ANY)``.
    detail: str | None = None


@dataclass(frozen=True, slots=True)
class Checkout:
    """A license held by a user: one FlexNet user line or one RLM usage line."""

    user: str
    host: str
    display: str
    version: str
    server_host: str
    server_port: str
    handle: str
    started_at: datetime | None
    licenses: int = 1
    pid: int | None = None
    linger_seconds: int | None = None
    #: Second number of ``(linger: N / M)``, printed for borrowed licenses.
    linger_remaining: int | None = None
    borrowed: bool = False
    raw: str = ""


@dataclass(frozen=True, slots=True)
class QueuedRequest:
    """A user waiting for a license (``... queued for N licenses``)."""

    user: str
    host: str
    display: str
    version: str
    server_host: str
    server_port: str
    handle: str
    licenses: int = 1
    raw: str = ""


@dataclass(frozen=True, slots=True)
class Reservation:
    """Seats reserved by the options file (``48 RESERVATIONs for GROUP GROUP1 (srv/27002)``).

    ``kind`` is USER, HOST, GROUP, HOST_GROUP, DISPLAY, INTERNET or PROJECT as printed; RLM
    only prints a count, so its reservations have ``kind == ""``.
    """

    count: int
    kind: str
    name: str
    server_host: str = ""
    server_port: str = ""


@dataclass(frozen=True, slots=True)
class FeatureStatus:
    """A feature as one status output reports it."""

    name: str
    vendor: str | None = None
    issued: int | None = None
    in_use: int | None = None
    uncounted: bool = False
    note: str | None = None
    versions: list[FeatureVersion] = field(default_factory=list)
    checkouts: list[Checkout] = field(default_factory=list)
    reservations: list[Reservation] = field(default_factory=list)
    queued: list[QueuedRequest] = field(default_factory=list)

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.vendor, self.name)

    @property
    def reserved(self) -> int:
        """Seats held by reservations (reserved-but-idle seats, not in use)."""
        return sum(r.count for r in self.reservations)

    @property
    def queued_licenses(self) -> int:
        return sum(q.licenses for q in self.queued)


@dataclass(frozen=True, slots=True)
class StatusReport:
    """Everything one ``lmstat -a`` / ``lmstat -i`` / ``rlmstat -a`` run printed."""

    tool: str
    status_time: datetime | None = None
    servers: list[ServerNode] = field(default_factory=list)
    license_files: list[str] = field(default_factory=list)
    vendors: list[VendorDaemon] = field(default_factory=list)
    features: list[FeatureStatus] = field(default_factory=list)
    #: Whole-server failure ("Cannot connect ..."); no feature data is reliable then.
    error: str | None = None
    #: ``(line number, text)`` of the first lines nobody recognised.
    unparsed: list[tuple[int, str]] = field(default_factory=list)
    unparsed_count: int = 0

    @property
    def is_up(self) -> bool:
        if self.error is not None:
            return False
        if self.servers:
            return any(s.up for s in self.servers)
        return any(v.up for v in self.vendors)

    def feature(self, name: str, vendor: str | None = None) -> FeatureStatus | None:
        """The first feature called ``name`` (of ``vendor`` when given)."""
        for feat in self.features:
            if feat.name == name and (vendor is None or feat.vendor == vendor):
                return feat
        return None

    @property
    def checkouts(self) -> list[Checkout]:
        return [c for feat in self.features for c in feat.checkouts]
