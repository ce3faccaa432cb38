"""Helpers shared by the monitoring configuration services: audit snapshots, model
validation turned into the API's 400, and uniqueness turned into its 409."""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from limon_site import audit
from limon_site.errors import Conflict, ValidationFailed


def snapshot(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    """JSON-safe values of ``fields`` for audit diffs (dates ISO, decimals as strings, FKs as
    ids)."""
    values: dict[str, Any] = {}
    for name in fields:
        field = instance._meta.get_field(name)
        value = getattr(instance, field.attname)
        if isinstance(value, datetime | date):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = str(value)
        values[name] = value
    return values


def field_error(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(f"{field}: {message}", details={"fields": {field: [message]}})


def validated(instance: models.Model, *, exclude: list[str] | None = None) -> None:
    """``full_clean`` without uniqueness (that is a 409, see :func:`ensure_unique`), turned
    into 400 ``VALIDATION_ERROR`` with per-field messages."""
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        fields = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        first_field, messages = next(iter(fields.items()))
        raise ValidationFailed(
            f"Validation failed: {first_field}: {messages[0]}", details={"fields": fields}
        ) from exc


def check_timezone(field: str, value: str, *, allow_blank: bool = False) -> None:
    if allow_blank and not value:
        return
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise field_error(
            field, f"{value!r} is not a known time zone (e.g. Europe/Berlin)."
        ) from None


def ensure_unique(instance: models.Model, field: str, label: str) -> None:
    """409 ``CONFLICT`` naming ``field`` when another row already holds the value."""
    value = getattr(instance, field)
    clash = type(instance)._default_manager.filter(**{field: value}).exclude(pk=instance.pk)
    if clash.exists():
        raise Conflict(
            f"A {label} with {field} {value!r} already exists",
            details={"fields": {field: ["Already exists."]}},
        )


def save_or_conflict(instance: models.Model, message: str) -> None:
    """Save; a unique constraint hit by a concurrent writer is a 409 rather than a 500."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:
        raise Conflict(message) from exc


def apply_changes(instance: models.Model, changes: dict[str, Any], allowed: list[str], label: str):
    for name, value in changes.items():
        if name not in allowed:
            raise field_error(name, f"Not a writable {label} field.")
        setattr(instance, name, value)


def record(*, actor, action: str, target_id: Any, before: dict, after: dict) -> None:
    """Audit row when something changed (creation and deletion always change something)."""
    changes = audit.diff(before, after)
    if changes:
        target_type, _, _ = action.partition(".")
        audit.record(
            actor=actor,
            action=action,
            target_type=target_type,
            target_id=target_id,
            changes=changes,
        )
