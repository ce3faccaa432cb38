"""Helpers every leads service shares: who acted, and field errors in the API's shape."""

from typing import Any

from django.contrib.auth import get_user_model

from limon_site.errors import ValidationFailed


def author_label(actor: Any) -> str:
    """The name shown next to a note or an activity: a username, an API key's label, or
    ``system``."""
    if actor is None:
        return "system"
    if isinstance(actor, str):
        return actor
    if isinstance(actor, get_user_model()):
        return actor.get_username()
    return getattr(actor, "audit_label", "") or "system"


def user_or_none(actor: Any):
    """The staff ``User`` behind ``actor``, or None for API keys and the system."""
    return actor if isinstance(actor, get_user_model()) else None


def field_error(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(
        f"Validation failed: {field}: {message}", details={"fields": {field: [message]}}
    )


def normalised(field: str, function, *args, **kwargs):
    """Call a ``leads.validation`` normaliser; a ``ValueError`` becomes a 400 naming ``field``."""
    try:
        return function(*args, **kwargs)
    except ValueError as exc:
        raise field_error(field, str(exc)) from None
