"""Staff operations on licenses: toggle, bulk activate/deactivate/delete, quick edit, delete.

Built on ``licensing.services.licenses`` (field changes and their audit trail) and
``licensing.services.activations`` (freeing a device ends its sessions). Bulk operations lock
every named license in id order and either change all of them or none: an unknown id is a 400
listing the unknown ids before anything is touched.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone

from licensing.models import Activation, License
from licensing.services import activations, licenses, resources
from licensing.services._common import snapshot
from licensing.services.licenses import LICENSE_FIELDS
from limon_site import audit
from limon_site.errors import Conflict, NotFound, ValidationFailed

MAX_BULK = 1000


def _lock(license_id: int) -> License:
    license = License.objects.select_for_update(of=("self",)).filter(pk=license_id).first()
    if license is None:
        raise NotFound("License not found", code="LICENSE_NOT_FOUND", details={"id": license_id})
    return license


def lock_many(license_ids: Iterable[int]) -> list[License]:
    """Lock the named licenses in id order; 400 ``UNKNOWN_LICENSES`` listing ids that do not
    exist (nothing changed)."""
    ids = sorted({int(pk) for pk in license_ids})
    if not ids:
        raise ValidationFailed(
            "license_ids must name at least one license",
            details={"fields": {"license_ids": ["At least one id."]}},
        )
    if len(ids) > MAX_BULK:
        raise ValidationFailed(
            f"At most {MAX_BULK} licenses per request",
            details={"fields": {"license_ids": [f"At most {MAX_BULK} ids."]}},
        )
    found = list(License.objects.select_for_update(of=("self",)).filter(pk__in=ids).order_by("pk"))
    unknown = sorted(set(ids) - {license.pk for license in found})
    if unknown:
        raise ValidationFailed(
            f"Unknown license ids: {', '.join(map(str, unknown))}",
            code="UNKNOWN_LICENSES",
            details={"unknown_ids": unknown},
        )
    return found


@transaction.atomic
def toggle_license(*, license_id: int, actor=None) -> License:
    license = _lock(license_id)
    return licenses.update_license(license=license, is_active=not license.is_active, actor=actor)


@dataclass
class BulkResult:
    count: int
    changed: int


@transaction.atomic
def set_licenses_active(*, license_ids: Iterable[int], active: bool, actor=None) -> BulkResult:
    """Activate or deactivate every named license (all or none)."""
    found = lock_many(license_ids)
    changed = 0
    for license in found:
        if license.is_active != active:
            licenses.update_license(license=license, is_active=active, actor=actor)
            changed += 1
    return BulkResult(count=len(found), changed=changed)


def _delete_locked(license: License, *, actor, now) -> None:
    released = resources.release_all_of_license(
        license=license, actor=actor, now=now, note=f"license {license.key} deleted"
    )
    before = snapshot(license, LICENSE_FIELDS)
    counts = {
        "activations": license.activations.count(),
        "active_activations": license.activations.filter(is_active=True).count(),
        "sessions": license.sessions.count(),
        "resources_released": released,
    }
    license_id = license.pk
    license.delete()
    audit.record(
        actor=actor,
        action="license.deleted",
        target_type="license",
        target_id=license_id,
        changes={**audit.diff(before, {}), "removed": counts},
    )


@transaction.atomic
def delete_license(*, license_id: int, actor=None) -> None:
    """Delete a license with its devices and sessions; its resources go back to the pool."""
    _delete_locked(_lock(license_id), actor=actor, now=timezone.now())


@transaction.atomic
def delete_licenses(*, license_ids: Iterable[int], actor=None) -> int:
    found = lock_many(license_ids)
    now = timezone.now()
    for license in found:
        _delete_locked(license, actor=actor, now=now)
    return len(found)


@dataclass
class LicenseChange:
    license: License
    deactivated: list[Activation] = field(default_factory=list)


def _device(activation: Activation) -> dict:
    return {
        "id": activation.pk,
        "hardware_hash": activation.hardware_hash,
        "machine_name": activation.machine_name,
        "activated_at": activation.activated_at.isoformat(),
    }


@transaction.atomic
def change_license(
    *, license_id: int, changes: dict, force: bool = False, actor=None
) -> LicenseChange:
    """Change license fields. Lowering ``max_activations`` below the number of active devices
    is 409 ``ACTIVE_DEVICES_EXCEED_LIMIT`` (naming the devices that would go) unless ``force``,
    which deactivates the oldest devices first (their sessions end) and returns them."""
    license = _lock(license_id)
    deactivated: list[Activation] = []
    new_max = changes.get("max_activations")
    if new_max is not None:
        active = list(license.activations.filter(is_active=True).order_by("activated_at", "pk"))
        surplus = active[: max(0, len(active) - new_max)]
        if surplus and not force:
            raise Conflict(
                f"{len(active)} devices are active; lowering max_activations to {new_max} would "
                f'deactivate {len(surplus)} of them. Send "force": true to deactivate the '
                "oldest devices.",
                code="ACTIVE_DEVICES_EXCEED_LIMIT",
                details={
                    "active_activations": len(active),
                    "max_activations": new_max,
                    "would_deactivate": [_device(a) for a in surplus],
                },
            )
        for activation in surplus:
            deactivated.append(
                activations.deactivate_activation(activation=activation, actor=actor)
            )
    if changes:
        license = licenses.update_license(license=license, actor=actor, **changes)
    return LicenseChange(license=license, deactivated=deactivated)


def quick_edit_license(
    *,
    license_id: int,
    valid_until: date | None = None,
    max_activations: int | None = None,
    max_users: int | None = None,
    clear_valid_until: bool = False,
    force: bool = False,
    actor=None,
) -> LicenseChange:
    """The seed's quick edit: validity end and limits (``None`` leaves a field unchanged;
    ``clear_valid_until`` makes the license open-ended)."""
    changes: dict = {}
    if valid_until is not None or clear_valid_until:
        changes["valid_until"] = valid_until
    if max_activations is not None:
        changes["max_activations"] = max_activations
    if max_users is not None:
        changes["max_users"] = max_users
    return change_license(license_id=license_id, changes=changes, force=force, actor=actor)
