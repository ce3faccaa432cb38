"""Template filters of the staff pages."""

import json

from django import template

register = template.Library()


@register.filter
def audit_value(value) -> str:
    """An audit-trail value for people: lists joined, objects as compact JSON, None as a dash."""
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return ", ".join(audit_value(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True, default=str)
    return str(value)


@register.filter
def is_change(value) -> bool:
    """True for an ``{"old": …, "new": …}`` pair of ``audit.diff``."""
    return isinstance(value, dict) and set(value) == {"old", "new"}
