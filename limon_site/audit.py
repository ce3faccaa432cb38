"""Writing the audit trail. Every service that changes state calls ``record``."""

from typing import Any

from limon_site.logging import current_request_id
from limon_site.models import AuditEvent


def actor_of(principal: Any) -> str:
    """A short, stable label for whoever acted: ``user:alice``, ``key:AF-2026-ab12cd34``,
    ``system``. Never contains a secret."""
    if principal is None:
        return "system"
    if isinstance(principal, str):
        return principal
    label = getattr(principal, "audit_label", None)
    if label:
        return label
    username = getattr(principal, "get_username", None)
    if username:
        return f"user:{username()}"
    return "system"


def record(
    *,
    actor: Any,
    action: str,
    target_type: str,
    target_id: Any = "",
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor_of(actor),
        action=action,
        target_type=target_type,
        target_id=str(target_id or ""),
        changes=changes or {},
        request_id=current_request_id.get(),
    )


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """``{field: {"old": ..., "new": ...}}`` for every field whose value changed."""
    return {
        key: {"old": before.get(key), "new": after.get(key)}
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }
