"""The activity timeline: calls, meetings and e-mails logged by people; notes, status changes and
conversions recorded by the other services."""

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from leads.models import MANUAL_ACTIVITY_TYPES, Activity, Contact, Institution
from leads.services.common import author_label, field_error
from limon_site import audit


def record_activity(
    *,
    institution: Institution,
    type: str,
    summary: str = "",
    contact: Contact | None = None,
    details: dict[str, Any] | None = None,
    occurred_at: datetime | None = None,
    actor=None,
) -> Activity:
    """Internal: every service that does something worth a timeline entry calls this."""
    now = timezone.now()
    return Activity.objects.create(
        institution=institution,
        contact=contact,
        type=type,
        summary=summary[:500],
        details=details or {},
        occurred_at=occurred_at or now,
        created_at=now,
        created_by=author_label(actor),
    )


@transaction.atomic
def log_activity(
    *,
    institution: Institution,
    type: str,
    summary: str = "",
    contact: Contact | None = None,
    occurred_at: datetime | None = None,
    actor=None,
) -> Activity:
    """A call, meeting or e-mail a salesperson logs by hand."""
    if type not in MANUAL_ACTIVITY_TYPES:
        allowed = ", ".join(str(t) for t in MANUAL_ACTIVITY_TYPES)
        raise field_error("type", f"must be one of {allowed} (others are recorded by LiMon)")
    if contact is not None and contact.institution_id != institution.pk:
        raise field_error("contact_id", "the contact belongs to another institution")
    if occurred_at and occurred_at > timezone.now() + timedelta(minutes=5):
        raise field_error("occurred_at", "cannot be in the future")
    activity = record_activity(
        institution=institution,
        type=type,
        summary=summary,
        contact=contact,
        occurred_at=occurred_at,
        actor=actor,
    )
    audit.record(
        actor=actor,
        action="lead.activity_logged",
        target_type="institution",
        target_id=institution.pk,
        changes={"activity": {"old": None, "new": {"id": activity.pk, "type": type}}},
    )
    return activity
