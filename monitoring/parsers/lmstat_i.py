"""FlexNet ``lmutil lmstat -i`` parser: the feature inventory read from the license file.

Rules:

* The column order comes from the header row: ``... #licenses Expires Vendor`` or
  ``... #licenses Vendor Expires``. Rows before a header row are not understood.
* ``permanent(no expiration date)`` overflows its column, so it is replaced by one token
  before the row is split on whitespace.
* ``#licenses`` may be ``uncounted``: the feature is uncounted and its issued total unknown.
* Several rows of one ``(vendor, feature)`` (several INCREMENT lines) make one
  :class:`FeatureStatus` with one :class:`FeatureVersion` per row; ``issued`` is their sum.
* The NOTE banner, copyright and status-date lines are recognised; ``Error getting
  status: ...`` is a whole-server failure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from monitoring.parsers._common import Unparsed, clean_lines, parse_expiry, parse_status_date
from monitoring.parsers.model import FeatureStatus, FeatureVersion, StatusReport

_HEADER = re.compile(r"^Feature\s+Version\s+#licenses\s+(Expires|Vendor)\s+(Expires|Vendor)\s*$")
_RULE = re.compile(r"^_+(\s+_+)*\s*$")
_PERMANENT = re.compile(r"permanent\([^)]*\)", re.IGNORECASE)
_BANNER = (
    "NOTE: lmstat -i",
    "but only reads the license file",
    "lmstat -a is recommended instead",
)


def parse_lmstat_i(lines: Iterable[str | bytes]) -> StatusReport:
    """Parse ``lmutil lmstat -i`` output into features with per-row versions and counts."""
    unparsed = Unparsed()
    status_time = None
    error = None
    vendor_first: bool | None = None
    rows: dict[tuple[str, str], list[tuple[FeatureVersion, bool]]] = {}
    for number, line in clean_lines(lines):
        s = line.strip()
        if not s or s.startswith(_BANNER) or _RULE.match(s):
            continue
        if s.startswith("Flexible License Manager status on"):
            status_time = parse_status_date(s)
            continue
        if "Copyright" in s and s.startswith(("lmutil", "lmstat")):
            continue
        if s.startswith("Error getting status:"):
            error = s[len("Error getting status:") :].strip()
            continue
        header = _HEADER.match(s)
        if header is not None:
            vendor_first = header[1] == "Vendor"
            continue
        tokens = _PERMANENT.sub("permanent", s).split()
        if vendor_first is None or len(tokens) != 5:
            unparsed.add(number, line)
            continue
        name, version, count, *rest = tokens
        vendor, expiry_text = rest if vendor_first else rest[::-1]
        expiry, permanent = parse_expiry(expiry_text)
        uncounted = count.lower() == "uncounted"
        if not uncounted and not count.isdigit():
            unparsed.add(number, line)
            continue
        row = FeatureVersion(
            version=version,
            vendor=vendor,
            expiry=expiry,
            permanent=permanent,
            license_type="uncounted" if uncounted else None,
            count=None if uncounted else int(count),
        )
        rows.setdefault((vendor, name), []).append((row, uncounted))
    features = []
    for (vendor, name), versions in rows.items():
        uncounted = any(flag for _, flag in versions)
        features.append(
            FeatureStatus(
                name=name,
                vendor=vendor,
                issued=None if uncounted else sum(v.count or 0 for v, _ in versions),
                uncounted=uncounted,
                versions=[v for v, _ in versions],
            )
        )
    return StatusReport(
        tool="lmstat",
        status_time=status_time,
        features=features,
        error=error,
        unparsed=unparsed.examples,
        unparsed_count=unparsed.count,
    )
