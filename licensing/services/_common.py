"""Helpers shared by the licensing services."""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from limon_site.errors import ValidationFailed


def snapshot(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    """JSON-safe values of ``fields`` for audit diffs (dates as ISO strings, FKs as ids)."""
    values: dict[str, Any] = {}
    for name in fields:
        field = instance._meta.get_field(name)
        value = getattr(instance, field.attname)
        if isinstance(value, datetime | date):
            value = value.isoformat()
        values[name] = value
    return values


def validated(instance: models.Model, *, exclude: list[str] | None = None) -> None:
    """``full_clean`` turned into the API's 400 ``VALIDATION_ERROR`` with per-field messages."""
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            fields = exc.message_dict
        else:
            fields = {"non_field_errors": exc.messages}
        first = next(iter(fields.items()))
        raise ValidationFailed(
            f"Validation failed: {first[0]}: {first[1][0]}", details={"fields": fields}
        ) from exc
