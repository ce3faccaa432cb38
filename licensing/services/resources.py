"""Resource pools: adding items, allocating them to licenses, releasing and quarantining them.

Every multi-resource operation is all-or-nothing. The rows are locked in id order
(``select_for_update``, no deadlocks between two staff members) and the state change is a
conditional ``UPDATE … WHERE status = 'available'`` whose row count must match: if two requests
race for one resource, exactly one wins and the other gets 409 with the conflicts listed, on
PostgreSQL (row locks) and on SQLite (serialised writers) alike.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from licensing import resource_formats
from licensing.models import (
    License,
    Resource,
    ResourceAction,
    ResourceEvent,
    ResourceStatus,
    ResourceType,
)
from limon_site import audit
from limon_site.errors import Conflict, NotFound, ValidationFailed

TYPE_ALIASES = {
    "domains": ResourceType.DOMAIN,
    "ip": ResourceType.IPV4,
    "ipv4_address": ResourceType.IPV4,
    "ipv4_addresses": ResourceType.IPV4,
    "phone": ResourceType.PHONE_NUMBER,
    "phone_numbers": ResourceType.PHONE_NUMBER,
    "servers": ResourceType.SERVER,
    "workstations": ResourceType.WORKSTATION,
}


def resource_type_of(value: str) -> str:
    """A resource type from its name or an alias (``domains``, ``phone`` …); 400 otherwise."""
    text = (value or "").strip().lower()
    if text in ResourceType.values:
        return text
    if text in TYPE_ALIASES:
        return TYPE_ALIASES[text]
    raise ValidationFailed(
        f"Unknown resource type {value!r}",
        details={"fields": {"type": [f"Choose one of {', '.join(ResourceType.values)}."]}},
    )


def record_history(resources: Iterable[Resource], action: str, *, license=None, actor, note="", at):
    ResourceEvent.objects.bulk_create(
        ResourceEvent(
            resource=resource,
            action=action,
            license_id=license.pk if license else None,
            license_key=license.key if license else "",
            actor=audit.actor_of(actor),
            note=note,
            at=at,
        )
        for resource in resources
    )


def _unique_ids(resource_ids: Iterable[int]) -> list[int]:
    ids = sorted({int(pk) for pk in resource_ids})
    if not ids:
        raise ValidationFailed(
            "resource_ids must name at least one resource",
            details={"fields": {"resource_ids": ["At least one id."]}},
        )
    return ids


def _locked(ids: list[int]) -> list[Resource]:
    """The resources, locked in id order; 400 ``UNKNOWN_RESOURCES`` lists ids that don't exist."""
    resources = list(
        Resource.objects.select_for_update(of=("self",))
        .select_related("license")
        .filter(pk__in=ids)
        .order_by("pk")
    )
    unknown = sorted(set(ids) - {resource.pk for resource in resources})
    if unknown:
        raise ValidationFailed(
            f"Unknown resource ids: {', '.join(map(str, unknown))}",
            code="UNKNOWN_RESOURCES",
            details={"unknown_ids": unknown},
        )
    return resources


def _conflict(resource: Resource, reason: str) -> dict:
    return {
        "id": resource.pk,
        "type": resource.type,
        "identifier": resource.identifier,
        "status": resource.status,
        "license_id": resource.license_id,
        "reason": reason,
    }


def _raise_conflicts(conflicts: list[dict], message: str) -> None:
    if conflicts:
        raise Conflict(
            f"{message}: {', '.join(c['identifier'] for c in conflicts)}. Nothing was changed.",
            code="RESOURCE_CONFLICT",
            details={"conflicts": conflicts},
        )


def _lock_license(license_id: int) -> License:
    license = License.objects.select_for_update(of=("self",)).filter(pk=license_id).first()
    if license is None:
        raise NotFound("License not found", code="LICENSE_NOT_FOUND", details={"id": license_id})
    return license


@transaction.atomic
def add_resource(*, type: str, identifier: str, notes: str = "", actor=None) -> Resource:
    resource_type = resource_type_of(type)
    try:
        normalized = resource_formats.normalize(resource_type, identifier)
    except resource_formats.InvalidIdentifier as exc:
        raise ValidationFailed(str(exc), details={"fields": {"identifier": [str(exc)]}}) from exc
    try:
        with transaction.atomic():
            resource = Resource.objects.create(
                type=resource_type, identifier=normalized, notes=notes.strip()[:255]
            )
    except IntegrityError as exc:
        raise Conflict(
            f"{normalized} is already in the {resource_type} pool",
            code="DUPLICATE_RESOURCE",
            details={"type": resource_type, "identifier": normalized},
        ) from exc
    record_history([resource], ResourceAction.ADDED, actor=actor, at=resource.created_at)
    audit.record(
        actor=actor,
        action="resource.added",
        target_type="resource",
        target_id=resource.pk,
        changes={"type": resource_type, "identifier": normalized},
    )
    return resource


@transaction.atomic
def allocate_resources(
    *,
    license_id: int,
    resource_ids: Iterable[int],
    resource_type: str | None = None,
    actor=None,
    now: datetime | None = None,
) -> list[Resource]:
    """Allocate every named resource to the license, or none: 409 ``RESOURCE_CONFLICT`` lists
    the resources that are not available or not of ``resource_type``."""
    now = now or timezone.now()
    ids = _unique_ids(resource_ids)
    wanted_type = resource_type_of(resource_type) if resource_type else None
    license = _lock_license(license_id)
    resources = _locked(ids)
    conflicts = []
    for resource in resources:
        if wanted_type and resource.type != wanted_type:
            conflicts.append(_conflict(resource, f"not_{wanted_type}"))
        elif resource.status == ResourceStatus.ALLOCATED:
            same = resource.license_id == license.pk
            conflicts.append(_conflict(resource, "already_yours" if same else "allocated"))
        elif resource.status != ResourceStatus.AVAILABLE:
            conflicts.append(_conflict(resource, resource.status))
    _raise_conflicts(conflicts, "Not available")
    changed = Resource.objects.filter(pk__in=ids, status=ResourceStatus.AVAILABLE).update(
        status=ResourceStatus.ALLOCATED, license=license, allocated_at=now, updated_at=now
    )
    if changed != len(ids):  # pragma: no cover - the row locks make this unreachable
        raise Conflict(
            "Resources changed meanwhile; nothing was allocated", code="RESOURCE_CONFLICT"
        )
    record_history(resources, ResourceAction.ALLOCATED, license=license, actor=actor, at=now)
    audit.record(
        actor=actor,
        action="resources.allocated",
        target_type="license",
        target_id=license.pk,
        changes={"resources": [f"{r.type}:{r.identifier}" for r in resources]},
    )
    return list(Resource.objects.filter(pk__in=ids).order_by("pk"))


def _release_locked(resources: list[Resource], *, actor, now, note="") -> None:
    by_license: dict[int, list[Resource]] = {}
    for resource in resources:
        by_license.setdefault(resource.license_id, []).append(resource)
    for license_resources in by_license.values():
        license = license_resources[0].license
        record_history(
            license_resources,
            ResourceAction.RELEASED,
            license=license,
            actor=actor,
            at=now,
            note=note,
        )
        audit.record(
            actor=actor,
            action="resources.released",
            target_type="license",
            target_id=license.pk,
            changes={"resources": [f"{r.type}:{r.identifier}" for r in license_resources]},
        )
    Resource.objects.filter(pk__in=[r.pk for r in resources]).update(
        status=ResourceStatus.AVAILABLE, license=None, allocated_at=None, updated_at=now
    )


@transaction.atomic
def release_resources(
    *,
    resource_ids: Iterable[int],
    license_id: int | None = None,
    actor=None,
    now: datetime | None = None,
) -> list[Resource]:
    """Put allocated resources back in the pool (all or none). With ``license_id`` every one
    must be allocated to that license."""
    now = now or timezone.now()
    ids = _unique_ids(resource_ids)
    if license_id is not None:
        _lock_license(license_id)
    resources = _locked(ids)
    conflicts = [
        _conflict(r, "not_allocated" if r.status != ResourceStatus.ALLOCATED else "other_license")
        for r in resources
        if r.status != ResourceStatus.ALLOCATED
        or (license_id is not None and r.license_id != license_id)
    ]
    _raise_conflicts(conflicts, "Not allocated to this license")
    _release_locked(resources, actor=actor, now=now)
    return list(Resource.objects.filter(pk__in=ids).order_by("pk"))


def release_all_of_license(*, license: License, actor, now: datetime, note: str) -> int:
    """Inside the caller's transaction: free everything the license holds (before it is
    deleted; the foreign key protects allocated resources)."""
    resources = list(
        Resource.objects.select_for_update(of=("self",))
        .select_related("license")
        .filter(license=license)
        .order_by("pk")
    )
    if resources:
        _release_locked(resources, actor=actor, now=now, note=note)
    return len(resources)


@transaction.atomic
def quarantine_resources(
    *,
    resource_ids: Iterable[int],
    days: int | None = None,
    note: str = "",
    actor=None,
    now: datetime | None = None,
) -> list[Resource]:
    """Hold resources back from allocation (released first when allocated); with ``days`` they
    return to the pool automatically afterwards (``restore_expired_quarantine``)."""
    now = now or timezone.now()
    ids = _unique_ids(resource_ids)
    resources = _locked(ids)
    _raise_conflicts(
        [_conflict(r, "quarantined") for r in resources if r.status == ResourceStatus.QUARANTINED],
        "Already quarantined",
    )
    allocated = [r for r in resources if r.status == ResourceStatus.ALLOCATED]
    if allocated:
        _release_locked(allocated, actor=actor, now=now, note="released into quarantine")
    until = now + timedelta(days=days) if days else None
    Resource.objects.filter(pk__in=ids).update(
        status=ResourceStatus.QUARANTINED, quarantined_until=until, updated_at=now
    )
    record_history(resources, ResourceAction.QUARANTINED, actor=actor, at=now, note=note[:255])
    audit.record(
        actor=actor,
        action="resources.quarantined",
        target_type="resource",
        target_id=",".join(map(str, ids))[:64],
        changes={
            "resources": [f"{r.type}:{r.identifier}" for r in resources],
            "until": until.isoformat() if until else None,
            "note": note,
        },
    )
    return list(Resource.objects.filter(pk__in=ids).order_by("pk"))


@transaction.atomic
def restore_resources(
    *, resource_ids: Iterable[int], actor=None, now: datetime | None = None
) -> list[Resource]:
    """Quarantined resources back to ``available`` (all or none)."""
    now = now or timezone.now()
    ids = _unique_ids(resource_ids)
    resources = _locked(ids)
    _raise_conflicts(
        [_conflict(r, r.status) for r in resources if r.status != ResourceStatus.QUARANTINED],
        "Not quarantined",
    )
    _restore(resources, actor=actor, now=now)
    return list(Resource.objects.filter(pk__in=ids).order_by("pk"))


def _restore(resources: list[Resource], *, actor, now) -> None:
    Resource.objects.filter(pk__in=[r.pk for r in resources]).update(
        status=ResourceStatus.AVAILABLE, quarantined_until=None, updated_at=now
    )
    record_history(resources, ResourceAction.RESTORED, actor=actor, at=now)
    audit.record(
        actor=actor,
        action="resources.restored",
        target_type="resource",
        target_id=",".join(str(r.pk) for r in resources)[:64],
        changes={"resources": [f"{r.type}:{r.identifier}" for r in resources]},
    )


@transaction.atomic
def restore_expired_quarantine(*, now: datetime | None = None) -> int:
    """Scheduled: quarantined resources whose ``quarantined_until`` passed go back to the pool."""
    now = now or timezone.now()
    resources = list(
        Resource.objects.select_for_update(skip_locked=True)
        .filter(status=ResourceStatus.QUARANTINED, quarantined_until__lte=now)
        .order_by("pk")
    )
    if resources:
        _restore(resources, actor="system", now=now)
    return len(resources)


@transaction.atomic
def delete_resource(*, resource: Resource, actor=None) -> None:
    """Remove an item from its pool; refused (409) while it is allocated."""
    resource = _locked([resource.pk])[0]
    if resource.status == ResourceStatus.ALLOCATED:
        raise Conflict(
            f"{resource.identifier} is allocated to license {resource.license.key}; "
            "release it first",
            code="RESOURCE_ALLOCATED",
            details={"license_id": resource.license_id},
        )
    audit.record(
        actor=actor,
        action="resource.deleted",
        target_type="resource",
        target_id=resource.pk,
        changes={"type": resource.type, "identifier": resource.identifier},
    )
    resource.delete()
