"""Creating, changing and deleting institutions; pipeline status changes are activities."""

from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from leads import validation
from leads.models import ActivityType, Institution, InstitutionType, PipelineStatus
from leads.services.activities import record_activity
from leads.services.common import field_error, normalised
from limon_site import audit
from limon_site.errors import Conflict

EDITABLE_FIELDS = (
    "name",
    "type",
    "website",
    "country",
    "city",
    "status",
    "owner",
    "source",
    "next_follow_up",
    "tags",
)


def snapshot(institution: Institution) -> dict[str, Any]:
    """The audited view of an institution (plain JSON values)."""
    return {
        "name": institution.name,
        "type": institution.type,
        "website": institution.website,
        "country": institution.country,
        "city": institution.city,
        "status": institution.status,
        "owner": institution.owner.get_username() if institution.owner_id else None,
        "source": institution.source,
        "next_follow_up": (
            institution.next_follow_up.isoformat() if institution.next_follow_up else None
        ),
        "tags": institution.tags,
    }


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    """Normalise the editable fields present in ``values``; errors name the field."""
    unknown = sorted(set(values) - set(EDITABLE_FIELDS))
    if unknown:
        raise field_error(unknown[0], "not an institution field")
    cleaned: dict[str, Any] = {}
    for key, value in values.items():
        if key == "name":
            cleaned[key] = validation.clean_text(value)
            if not cleaned[key]:
                raise field_error("name", "a name is required")
        elif key == "type":
            if value not in InstitutionType.values:
                raise field_error("type", f"must be one of {', '.join(InstitutionType.values)}")
            cleaned[key] = value
        elif key == "status":
            if value not in PipelineStatus.values:
                raise field_error("status", f"must be one of {', '.join(PipelineStatus.values)}")
            cleaned[key] = value
        elif key == "country":
            cleaned[key] = normalised("country", validation.normalise_country, value)
        elif key == "website":
            cleaned[key] = normalised("website", validation.normalise_website, value)
        elif key == "tags":
            cleaned[key] = validation.normalise_tags(value)
        elif key == "owner":
            if value is not None and not isinstance(value, get_user_model()):
                raise field_error("owner", "must be a user")
            cleaned[key] = value
        elif key == "next_follow_up":
            if value is not None and not isinstance(value, date):
                raise field_error("next_follow_up", "must be a date")
            cleaned[key] = value
        else:
            cleaned[key] = validation.clean_text(value)
    return cleaned


def _ensure_unique(name: str, country: str, *, exclude_pk: int | None = None) -> None:
    duplicates = Institution.objects.filter(name__iexact=name, country=country)
    if exclude_pk:
        duplicates = duplicates.exclude(pk=exclude_pk)
    existing = duplicates.first()
    if existing:
        raise _duplicate(name, country, existing.pk)


def _duplicate(name: str, country: str, existing_pk: int | None = None) -> Conflict:
    where = f" in {country}" if country else ""
    return Conflict(
        f"An institution named {name!r} already exists{where}",
        code="DUPLICATE_INSTITUTION",
        details={"name": name, "country": country, "existing_id": existing_pk},
    )


def _save(institution: Institution, **kwargs) -> None:
    """Save; the database's unique constraint is the last word on duplicates (races)."""
    try:
        with transaction.atomic():
            institution.save(**kwargs)
    except IntegrityError:
        raise _duplicate(institution.name, institution.country) from None


@transaction.atomic
def create_institution(*, actor=None, **values: Any) -> Institution:
    """``values``: any of ``EDITABLE_FIELDS``; ``name`` is required."""
    cleaned = _clean(values)
    if not cleaned.get("name"):
        raise field_error("name", "a name is required")
    institution = Institution(**cleaned)
    _ensure_unique(institution.name, institution.country)
    _save(institution)
    audit.record(
        actor=actor,
        action="lead.created",
        target_type="institution",
        target_id=institution.pk,
        changes=audit.diff({}, snapshot(institution)),
    )
    return institution


@transaction.atomic
def update_institution(
    *, institution: Institution, changes: dict[str, Any], actor=None, status_summary: str = ""
) -> Institution:
    """Apply ``changes`` (a subset of ``EDITABLE_FIELDS``). A status change is recorded as a
    ``status_change`` activity."""
    institution = Institution.objects.select_for_update().get(pk=institution.pk)
    cleaned = _clean(changes)
    before = snapshot(institution)
    old_status = institution.status
    for key, value in cleaned.items():
        setattr(institution, key, value)
    after = snapshot(institution)
    if before == after:
        return institution
    if before["name"].lower() != after["name"].lower() or before["country"] != after["country"]:
        _ensure_unique(institution.name, institution.country, exclude_pk=institution.pk)
    _guard_converted(institution, old_status)
    institution.updated_at = timezone.now()
    _save(institution)
    if institution.status != old_status:
        record_activity(
            institution=institution,
            type=ActivityType.STATUS_CHANGE,
            summary=status_summary or f"Status {old_status} → {institution.status}",
            details={"from": old_status, "to": institution.status},
            actor=actor,
        )
    audit.record(
        actor=actor,
        action="lead.updated",
        target_type="institution",
        target_id=institution.pk,
        changes=audit.diff(before, after),
    )
    return institution


def _guard_converted(institution: Institution, old_status: str) -> None:
    customer_id = institution.customer_id
    if customer_id and old_status == PipelineStatus.WON and institution.status != old_status:
        raise Conflict(
            "This institution was converted to a customer; its status stays won",
            code="LEAD_CONVERTED",
            details={"customer_id": customer_id},
        )


def change_status(
    *, institution: Institution, status: str, actor=None, summary: str = ""
) -> Institution:
    return update_institution(
        institution=institution, changes={"status": status}, actor=actor, status_summary=summary
    )


@transaction.atomic
def delete_institution(*, institution: Institution, actor=None) -> None:
    """Deletes the institution with its contacts, details, notes and activities. A converted
    lead stays (409): it is the customer's history."""
    if institution.customer_id:
        raise Conflict(
            f"{institution.name} was converted to a customer and is kept as its history",
            code="LEAD_CONVERTED",
            details={"customer_id": institution.customer_id},
        )
    before = snapshot(institution)
    pk = institution.pk
    institution.delete()
    audit.record(
        actor=actor,
        action="lead.deleted",
        target_type="institution",
        target_id=pk,
        changes=audit.diff(before, {}),
    )
