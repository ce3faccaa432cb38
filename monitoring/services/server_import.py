"""Batch import of license servers from CSV: all rows are created or none are, with a
per-row report either way."""

from __future__ import annotations

import csv

from django.db import transaction
from django.db.models import Q

from limon_site.errors import LimonError, ValidationFailed
from monitoring.models import ServerKind, Site
from monitoring.services._common import record
from monitoring.services.servers import create_server

#: Larger estates are imported in several files.
MAX_ROWS = 5000
COLUMNS = ("name", "address", "kind", "site")


def _rows(text: str):
    """``(line_number, {"name", "address", "kind", "site"})`` per data line. With a header
    line naming an ``address`` column the text is CSV (quote triads); without one each line
    is a bare address, commas included, so an unquoted triad is one address."""
    lines = text.splitlines()
    numbered = [
        (n, line)
        for n, line in enumerate(lines, 1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not numbered:
        return []
    header = [cell.strip().lower() for cell in next(csv.reader([numbered[0][1]]))]
    if "address" not in header:
        return [(n, {"address": line.strip()}) for n, line in numbered]
    unknown = sorted(set(header) - set(COLUMNS))
    if unknown:
        raise ValidationFailed(
            f"Unknown CSV column(s): {', '.join(unknown)}; expected {', '.join(COLUMNS)}",
            details={"fields": {"file": [f"Unknown column(s): {', '.join(unknown)}"]}},
        )
    rows = []
    for n, line in numbered[1:]:
        cells = next(csv.reader([line]))
        rows.append(
            (n, {key: (cells[i].strip() if i < len(cells) else "") for i, key in enumerate(header)})
        )
    return rows


def _site(value: str, default: Site | None) -> Site | None:
    if not value:
        return default
    site = Site.objects.filter(Q(name__iexact=value) | Q(code__iexact=value)).first()
    if site is None:
        raise ValidationFailed(
            f"Unknown site {value!r}", details={"fields": {"site": [f"Unknown site {value!r}."]}}
        )
    return site


def _row_errors(exc: LimonError) -> dict:
    fields = exc.details.get("fields") if isinstance(exc.details, dict) else None
    return fields or {"non_field_errors": [exc.message]}


@transaction.atomic
def import_servers_csv(text: str, *, actor, site: Site | None = None) -> dict:
    """Create one server per row. Rows name their site by name or code (``site`` is the
    default for rows that name none); a row without a name is named after its address; kind
    defaults to FlexNet.

    Returns ``{"created": n, "rows": [{"line", "name", "address", "status": "created", "id"}]}``.
    If any row fails nothing is created and 400 ``VALIDATION_ERROR`` carries the same report
    with ``"status": "error"`` and ``errors`` on the failing rows."""
    rows = _rows(text)
    if not rows:
        raise ValidationFailed(
            "The file holds no servers", details={"fields": {"file": ["No rows to import."]}}
        )
    if len(rows) > MAX_ROWS:
        raise ValidationFailed(
            f"At most {MAX_ROWS} servers per import",
            details={"fields": {"file": [f"{len(rows)} rows; the limit is {MAX_ROWS}."]}},
        )
    report, failed = [], 0
    for line, row in rows:
        address = row.get("address", "")
        entry = {"line": line, "name": row.get("name") or address, "address": address}
        try:
            with transaction.atomic():
                server = create_server(
                    actor=actor,
                    name=entry["name"][:100],
                    address=address,
                    kind=row.get("kind") or ServerKind.FLEXLM,
                    site=_site(row.get("site", ""), site),
                )
        except LimonError as exc:
            failed += 1
            entry.update(status="error", errors=_row_errors(exc))
        else:
            entry.update(status="created", id=server.pk, address=server.address, name=server.name)
        report.append(entry)
    if failed:
        raise ValidationFailed(
            f"{failed} of {len(rows)} row(s) are invalid; nothing was imported",
            details={"created": 0, "failed": failed, "rows": report},
        )
    record(
        actor=actor,
        action="server.imported",
        target_id="",
        before={},
        after={"servers": [entry["address"] for entry in report]},
    )
    return {"created": len(report), "rows": report}
