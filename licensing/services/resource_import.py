"""CSV import of pool resources, validated row by row.

Format (UTF-8, comma or semicolon separated, header row required)::

    type,identifier,notes
    domain,example.com,
    ipv4,192.0.2.10,rack 4
    phone_number,+49 30 1234567,

``type`` may be left out when the caller names one type for the whole file. Rows already in the
pool are skipped (so re-importing a file is harmless). Any invalid row — bad syntax, unknown type,
the same resource twice in the file — means nothing is imported: the report lists every problem
with its line number, and ``dry_run`` only validates.
"""

import csv
import io
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from licensing import resource_formats
from licensing.models import Resource, ResourceAction, ResourceType
from licensing.services.resources import TYPE_ALIASES, record_history
from limon_site import audit
from limon_site.errors import Conflict, ValidationFailed

MAX_ROWS = 10_000


@dataclass
class RowError:
    line: int
    identifier: str
    message: str

    def as_dict(self) -> dict:
        return {"line": self.line, "identifier": self.identifier, "message": self.message}


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False
    by_type: dict[str, int] = field(default_factory=dict)

    @property
    def new(self) -> int:
        """Valid rows not yet in the pool (added unless there were errors or a dry run)."""
        return sum(self.by_type.values())

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        return {
            "rows": self.rows,
            "created": self.created,
            "skipped": self.skipped,
            "by_type": self.by_type,
            "dry_run": self.dry_run,
            "errors": [error.as_dict() for error in self.errors],
        }


def _type_of(raw: str) -> str | None:
    text = (raw or "").strip().lower()
    if text in ResourceType.values:
        return text
    return TYPE_ALIASES.get(text)


def _reader(text: str) -> csv.DictReader:
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    reader.fieldnames = [name.strip().lower() for name in (reader.fieldnames or [])]
    return reader


def parse_rows(text: str, *, default_type: str | None) -> tuple[list[tuple], list[RowError]]:
    """Validated ``(line, type, identifier, notes)`` tuples and the row errors."""
    reader = _reader(text.lstrip("\ufeff"))
    if "identifier" not in reader.fieldnames:
        raise ValidationFailed(
            "The CSV needs a header row with an 'identifier' column (and 'type' unless a type "
            "is chosen for the whole file)",
            code="CSV_HEADER_MISSING",
            details={"columns": reader.fieldnames},
        )
    if "type" not in reader.fieldnames and not default_type:
        raise ValidationFailed(
            "The CSV has no 'type' column: choose a type for the whole file",
            code="CSV_HEADER_MISSING",
            details={"columns": reader.fieldnames},
        )
    rows, errors, seen = [], [], {}
    for row in reader:
        line = reader.line_num
        if len(rows) + len(errors) >= MAX_ROWS:
            raise ValidationFailed(f"At most {MAX_ROWS} rows per file", code="CSV_TOO_LARGE")
        raw_identifier = (row.get("identifier") or "").strip()
        raw_type = (row.get("type") or "").strip() or default_type or ""
        if not raw_identifier and not raw_type:
            continue  # blank line
        resource_type = _type_of(raw_type)
        if resource_type is None:
            errors.append(RowError(line, raw_identifier, f"Unknown type {raw_type!r}"))
            continue
        try:
            identifier = resource_formats.normalize(resource_type, raw_identifier)
        except resource_formats.InvalidIdentifier as exc:
            errors.append(RowError(line, raw_identifier, str(exc)))
            continue
        if (resource_type, identifier) in seen:
            errors.append(
                RowError(
                    line, raw_identifier, f"Duplicate of line {seen[resource_type, identifier]}"
                )
            )
            continue
        seen[resource_type, identifier] = line
        rows.append((line, resource_type, identifier, (row.get("notes") or "").strip()[:255]))
    return rows, errors


@transaction.atomic
def import_resources_csv(
    *, text: str, default_type: str | None = None, dry_run: bool = False, actor=None
) -> ImportReport:
    """Import the rows of ``text`` (see the module docstring). Returns the report; when it has
    errors nothing was imported."""
    if default_type:
        resolved = _type_of(default_type)
        if resolved is None:
            raise ValidationFailed(
                f"Unknown resource type {default_type!r}",
                details={"fields": {"type": [f"Choose one of {', '.join(ResourceType.values)}."]}},
            )
        default_type = resolved
    rows, errors = parse_rows(text, default_type=default_type)
    report = ImportReport(rows=len(rows) + len(errors), errors=errors, dry_run=dry_run)
    existing = set()
    for resource_type in {row[1] for row in rows}:
        identifiers = [row[2] for row in rows if row[1] == resource_type]
        existing |= {
            (resource_type, identifier)
            for identifier in Resource.objects.filter(
                type=resource_type, identifier__in=identifiers
            ).values_list("identifier", flat=True)
        }
    new_rows = [row for row in rows if (row[1], row[2]) not in existing]
    report.skipped = len(rows) - len(new_rows)
    for _, resource_type, _, _ in new_rows:
        report.by_type[resource_type] = report.by_type.get(resource_type, 0) + 1
    if errors or dry_run or not new_rows:
        return report
    now = timezone.now()
    try:
        with transaction.atomic():
            created = Resource.objects.bulk_create(
                [
                    Resource(type=resource_type, identifier=identifier, notes=notes, created_at=now)
                    for _, resource_type, identifier, notes in new_rows
                ]
            )
    except IntegrityError as exc:
        raise Conflict(
            "Another import added some of these resources meanwhile; import the file again",
            code="RESOURCE_CONFLICT",
        ) from exc
    record_history(created, ResourceAction.ADDED, actor=actor, at=now, note="CSV import")
    report.created = len(created)
    audit.record(
        actor=actor,
        action="resources.imported",
        target_type="resource",
        changes={"created": report.created, "skipped": report.skipped, "by_type": report.by_type},
    )
    return report
