"""Issuing and changing licenses (the staff side of issue 8 builds on these)."""

from datetime import date

from django.db import IntegrityError, transaction

from licensing import keys
from licensing.models import Customer, License, LicenseType, Product
from licensing.services._common import snapshot, validated
from limon_site import audit
from limon_site.errors import Conflict, ValidationFailed

LICENSE_FIELDS = [
    "key",
    "customer",
    "product",
    "type",
    "valid_from",
    "valid_until",
    "max_activations",
    "max_users",
    "is_active",
    "notes",
]
EDITABLE_FIELDS = set(LICENSE_FIELDS) - {"key"}


def generate_license_key() -> str:
    return keys.generate_unique_key(lambda key: License.objects.filter(key=key).exists())


def _check_key(key: str) -> str:
    key = keys.normalize(key)
    if not keys.is_well_formed(key):
        raise ValidationFailed(
            "A license key looks like XXXX-XXXX-XXXX-XXXX (letters and digits)",
            details={"fields": {"key": ["Format XXXX-XXXX-XXXX-XXXX."]}},
        )
    return key


@transaction.atomic
def create_license(
    *,
    customer: Customer,
    product: Product,
    key: str = "",
    type: str = LicenseType.PERPETUAL,
    valid_from: date | None = None,
    valid_until: date | None = None,
    max_activations: int = 1,
    max_users: int = 1,
    is_active: bool = True,
    notes: str = "",
    actor=None,
) -> License:
    """Without ``key`` a random unique key is generated; a taken key is 409 ``DUPLICATE_KEY``.
    An inactive product takes no new licenses (existing ones keep working)."""
    if not product.is_active:
        raise ValidationFailed(
            f"{product.name} is inactive and takes no new licenses",
            details={"fields": {"product": ["This product is inactive."]}},
        )
    license = License(
        key=_check_key(key) if key else generate_license_key(),
        customer=customer,
        product=product,
        type=type,
        valid_until=valid_until,
        max_activations=max_activations,
        max_users=max_users,
        is_active=is_active,
        notes=notes,
    )
    if valid_from:
        license.valid_from = valid_from
    _validate(license)
    try:
        with transaction.atomic():
            license.save()
    except IntegrityError as exc:
        raise Conflict(
            f"License key {license.key} already exists",
            code="DUPLICATE_KEY",
            details={"key": license.key},
        ) from exc
    audit.record(
        actor=actor,
        action="license.created",
        target_type="license",
        target_id=license.pk,
        changes=audit.diff({}, snapshot(license, LICENSE_FIELDS)),
    )
    return license


def _validate(license: License) -> None:
    if license.valid_until and license.valid_until < license.valid_from:
        raise ValidationFailed(
            "valid_until must not be before valid_from",
            details={"fields": {"valid_until": ["Must not be before valid_from."]}},
        )
    validated(license, exclude=["key"])  # format checked above; uniqueness: 409 below


@transaction.atomic
def update_license(*, license: License, actor=None, **changes) -> License:
    """Plain field changes, audited old → new. Limits that interact with live devices (lowering
    ``max_activations`` below the active count) are the staff services' business (issue 8)."""
    unknown = sorted(set(changes) - EDITABLE_FIELDS)
    if unknown:
        raise ValidationFailed(f"Unknown or read-only license fields: {', '.join(unknown)}")
    license = License.objects.select_for_update().get(pk=license.pk)
    before = snapshot(license, LICENSE_FIELDS)
    for field, value in changes.items():
        setattr(license, field, value)
    _validate(license)
    license.save()
    changed = audit.diff(before, snapshot(license, LICENSE_FIELDS))
    if changed:
        audit.record(
            actor=actor,
            action="license.updated",
            target_type="license",
            target_id=license.pk,
            changes=changed,
        )
    return license
