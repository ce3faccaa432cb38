"""RLM ``rlmutil rlmstat -a`` parser (also ``-a -i ISV``, several ISVs, connection errors).

Rules:

* Lines are matched on tokens (TABs and expanded spaces alike); blank lines are ignored,
  unrecognised lines are counted in ``unparsed_count`` with the first 20 kept.
* The output has no "now": ``status_time`` is the ``init time`` of the ``Todays`` (or
  ``Recent``) statistics plus their elapsed ``(HH:MM:SS)``, which is the moment rlmstat
  ran. Without statistics (abridged outputs) the caller's ``now`` is the reference.
* Usage lines ``product vVER: user@host N/M at MM/DD HH:MM  (handle: hex)`` have no year:
  it is the reference year unless that puts the start more than a day after the
  reference. ``N`` is the number of licenses held; ``M`` (0 in every sample) is ignored.
  The user is everything before the last ``@`` of the user@host token run.
* A product is keyed by ``(ISV, product)``; several pools of one product add up into one
  feature with one :class:`FeatureVersion` per pool. Pool entries printed before any
  ``ISV license pool status`` header (abridged outputs) belong to no ISV until a usage
  line of one of those products names it; then all of them move to that ISV.
* ``Error connecting to "rlm" server`` makes a whole-server failure: ``error`` holds the
  message and reason lines, the advice paragraph that follows is recognised and dropped.
* ``rlmstat -avail`` is not in the corpus; it is not handled specially.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta

from monitoring.parsers._common import (
    Unparsed,
    clean_lines,
    infer_start,
    parse_expiry,
    split_license_files,
)
from monitoring.parsers.model import (
    Checkout,
    FeatureStatus,
    FeatureVersion,
    Reservation,
    ServerNode,
    StatusReport,
    VendorDaemon,
)

_RLM_STATUS = re.compile(r"^rlm status on (\S+) \(port (\d+)\)")
_RLM_VERSION = re.compile(r"^rlm software version v(\S+)")
_ISV_STATUS = re.compile(r"^(\S+) ISV server status on (\S+) \(port (\d+)\)")
_ISV_VERSION = re.compile(r"^(\S+) software version v(\S+)")
_ISV_ROW = re.compile(r"^(\S+)\s+(\d+)\s+(Yes|No)\s+(\d+)$")
_POOL_STATUS = re.compile(r"^(\S+) license pool status on (\S+) \(port (\d+)\)")
_USAGE_STATUS = re.compile(r"^(\S+) license usage status on (\S+) \(port (\d+)\)")
_POOL_ENTRY = re.compile(r"^(\S+) v([^\s,:]+)(?:, pool: (\d+))?$")
_POOL_COUNTS = re.compile(r"^count: (\d+), # reservations: (\d+), inuse: (\d+)(?:, exp: (\S+))?")
_USAGE = re.compile(
    r"^(\S+) v([^\s:]+): (.*)@(\S+) (\d+)/(\d+) at (\d{1,2})/(\d{1,2}) (\d{1,2}):(\d{2})"
    r"\s+\(handle: ([0-9A-Fa-f]+)\)"
)
_STATISTICS = re.compile(
    r"^(?:Todays|Recent) Statistics \((\d+):(\d{2}):(\d{2})\), init time: \w{3} (\w{3}) +(\d{1,2})"
    r" (\d{1,2}):(\d{2}):(\d{2}) (\d{4})"
)
_CONNECT_HOST = re.compile(r'^Connection attempted to host: "([^"]*)" on port (\d+)')
_STATS_ROW = re.compile(
    r"^(?:(?:Messages|Connections|Checkouts|Denials|Removals):"
    r"|Recent Stats|[\dd: ]+$)"
)
_FILENAME = re.compile(r"^\S+ (?:Debug|info|Report) log filename:", re.IGNORECASE)
_MONTHS = {"Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "May": 5, "Jun": 6, "Jul": 7, "Aug": 8,
           "Sep": 9, "Oct": 10, "Nov": 11, "Dec": 12}  # fmt: skip


class _Product:
    __slots__ = ("checkouts", "in_use", "issued", "name", "note", "reservations", "vendor",
                 "versions")  # fmt: skip

    def __init__(self, vendor: str | None, name: str) -> None:
        self.vendor = vendor
        self.name = name
        self.issued: int | None = None
        self.in_use: int | None = None
        self.note: str | None = None
        self.versions: list[dict] = []
        self.checkouts: list[Checkout] = []
        self.reservations: list[Reservation] = []

    def build(self) -> FeatureStatus:
        return FeatureStatus(
            name=self.name,
            vendor=self.vendor,
            issued=self.issued,
            in_use=self.in_use,
            note=self.note,
            versions=[FeatureVersion(**v) for v in self.versions],
            checkouts=self.checkouts,
            reservations=self.reservations,
        )


def _add(a: int | None, b: int) -> int:
    return b if a is None else a + b


class _RlmstatParser:
    def __init__(self, now: datetime | None) -> None:
        self.now = now
        self.status_time: datetime | None = None
        self.servers: list[ServerNode] = []
        self.license_files: list[str] = []
        self.vendors: dict[str, dict] = {}
        self.products: dict[tuple[str | None, str], _Product] = {}
        self.errors: list[str] | None = None
        self.error_host: tuple[str, int] | None = None
        self.advice = False
        self.unparsed = Unparsed()
        self.isv: str | None = None
        self.where: tuple[str, str] = ("", "")
        self.pool: dict | None = None
        self.product: _Product | None = None
        self.server_version: str | None = None

    def _vendor(self, name: str) -> dict:
        return self.vendors.setdefault(name, {"name": name, "up": True})

    def _product(self, vendor: str | None, name: str) -> _Product:
        product = self.products.get((vendor, name))
        if product is None and vendor is not None and (None, name) in self.products:
            self._adopt_orphans(vendor)
            return self.products[(vendor, name)]
        if product is None:
            product = self.products[(vendor, name)] = _Product(vendor, name)
        return product

    def _adopt_orphans(self, vendor: str) -> None:
        """Pools printed before any ISV header all belong to the first ISV that uses one."""
        adopted = {}
        for (owner, name), product in self.products.items():
            if owner is None:
                product.vendor = vendor
                for pool in product.versions:
                    pool["vendor"] = vendor
            adopted[(product.vendor, name)] = product
        self.products = adopted

    def feed(self, number: int, line: str) -> None:
        s = line.strip()
        if not s:
            return
        if self.errors is not None and self._error_line(s):
            return
        if not self._line(s):
            self.unparsed.add(number, line)

    def _error_line(self, s: str) -> bool:
        if self.advice or s.startswith("This error usually means"):
            self.advice = True
            return True
        match = _CONNECT_HOST.match(s)
        if match is not None:
            self.error_host = (match[1], int(match[2]))
            return True
        if s.startswith(("Setting license file path", "rlmutil v", "Copyright")):
            return False
        self.errors.append(s)
        return True

    def _line(self, s: str) -> bool:  # one branch per kind of line
        if s.startswith("Setting license file path to"):
            self.license_files = split_license_files(s[len("Setting license file path to") :])
        elif s.startswith(("rlmutil v", "Copyright", "-----", "Name ")) or "comm version" in s:
            pass
        elif s.startswith('Error connecting to "'):
            self.errors = []
        elif s.startswith("Startup time:") or _FILENAME.match(s):
            pass
        elif "Statistics (" in s:
            self._statistics(s)
        elif _STATS_ROW.match(s):
            pass
        elif match := _RLM_STATUS.match(s):
            self.servers.append(ServerNode(host=match[1], port=int(match[2]), up=True))
        elif match := _RLM_VERSION.match(s):
            self.server_version = match[1]
        elif match := _ISV_STATUS.match(s):
            vendor = self._vendor(match[1])
            vendor.update(host=match[2], port=int(match[3]), up=True)
        elif match := _ISV_VERSION.match(s):
            self._vendor(match[1])["version"] = match[2]
        elif match := _POOL_STATUS.match(s):
            self.isv = match[1]
            self._vendor(match[1])
        elif match := _USAGE_STATUS.match(s):
            self.isv = match[1]
            self.where = (match[2], match[3])
            self._vendor(match[1])
        elif match := _USAGE.match(s):
            self._usage(match, s)
        elif match := _POOL_ENTRY.match(s):
            self.product = self._product(self.isv, match[1])
            self.pool = {"version": match[2], "vendor": self.isv}
            self.product.versions.append(self.pool)
        elif match := _POOL_COUNTS.match(s):
            self._pool_counts(match)
        elif s.startswith("obsolete:"):
            pass
        elif s.startswith("Token-based license") and self.product is not None:
            self.product.note = s
        elif match := _ISV_ROW.match(s):
            vendor = self._vendor(match[1])
            vendor.update(port=int(match[2]), up=match[3] == "Yes")
        else:
            return False
        return True

    def _statistics(self, s: str) -> None:
        match = _STATISTICS.match(s)
        if match is None:
            return
        hours, minutes, seconds, month, day, hh, mm, ss, year = match.groups()
        try:
            init = datetime(int(year), _MONTHS.get(month, 0), int(day), int(hh), int(mm), int(ss))
        except ValueError:
            return
        moment = init + timedelta(hours=int(hours), minutes=int(minutes), seconds=int(seconds))
        if self.status_time is None or moment > self.status_time:
            self.status_time = moment

    def _pool_counts(self, match: re.Match) -> None:
        if self.product is None or self.pool is None:
            return
        count, reserved, in_use, expiry = match.groups()
        self.pool["count"] = int(count)
        if expiry:
            self.pool["expiry"], self.pool["permanent"] = parse_expiry(expiry)
        self.product.issued = _add(self.product.issued, int(count))
        self.product.in_use = _add(self.product.in_use, int(in_use))
        if int(reserved):
            self.product.reservations.append(Reservation(count=int(reserved), kind="", name=""))

    def _usage(self, match: re.Match, s: str) -> None:
        name, version, user, host, held, _second, month, day, hour, minute, handle = match.groups()
        product = self._product(self.isv, name)
        product.checkouts.append(
            Checkout(
                user=user,
                host=host,
                display="",
                version=version,
                server_host=self.where[0],
                server_port=self.where[1],
                handle=handle,
                started_at=infer_start(
                    int(month),
                    int(day),
                    int(hour),
                    int(minute),
                    None,
                    self.status_time or self.now,
                ),
                licenses=int(held),
                raw=s,
            )
        )

    def report(self) -> StatusReport:
        servers = [
            ServerNode(host=s.host, port=s.port, up=True, version=self.server_version)
            for s in self.servers
        ]
        error = None
        if self.errors is not None:
            error = 'Error connecting to "rlm" server'
            if self.errors:
                error += ": " + "; ".join(self.errors)
            if self.error_host is not None:
                host, port = self.error_host
                servers.append(ServerNode(host=host, port=port, up=False, message=error))
        return StatusReport(
            tool="rlmstat",
            status_time=self.status_time,
            servers=servers,
            license_files=self.license_files,
            vendors=[VendorDaemon(**v) for v in self.vendors.values()],
            features=[p.build() for p in self.products.values()],
            error=error,
            unparsed=self.unparsed.examples,
            unparsed_count=self.unparsed.count,
        )


def parse_rlmstat(lines: Iterable[str | bytes], *, now: datetime | None = None) -> StatusReport:
    """Parse ``rlmutil rlmstat -a`` output. Never raises on odd input.

    ``now`` is the year reference for usage lines when the output has no statistics block.
    """
    parser = _RlmstatParser(now)
    for number, line in clean_lines(lines):
        parser.feed(number, line)
    return parser.report()
