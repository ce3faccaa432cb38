"""Products (the seeds' ``client_configs``) and their releases."""

from django.db import IntegrityError, transaction

from licensing import versions
from licensing.models import Product, Release
from licensing.services._common import snapshot, validated
from limon_site import audit
from limon_site.errors import Conflict, ValidationFailed

PRODUCT_FIELDS = [
    "name",
    "description",
    "single_session",
    "heartbeat_interval",
    "session_timeout",
    "current_version",
    "minimum_version",
    "offline_grace_days",
    "is_active",
]
RELEASE_FIELDS = [
    "product",
    "version",
    "release_date",
    "download_url",
    "release_notes",
    "is_mandatory",
]


def _field_error(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(f"{field}: {message}", details={"fields": {field: [message]}})


def _check_version(field: str, value: str) -> str:
    value = (value or "").strip()
    if value and not versions.is_valid(value):
        raise _field_error(field, f"{value!r} is not a semantic version (MAJOR.MINOR.PATCH).")
    return value


def _validate_product(product: Product) -> None:
    product.minimum_version = _check_version("minimum_version", product.minimum_version)
    product.current_version = _check_version("current_version", product.current_version)
    if product.session_timeout <= product.heartbeat_interval:
        raise _field_error("session_timeout", "Must be longer than the heartbeat interval.")
    if product.heartbeat_interval < 1:
        raise _field_error("heartbeat_interval", "Must be at least 1 second.")
    known = product.pk and product.releases.filter(version=product.current_version).exists()
    if product.current_version and not known:
        raise _field_error(
            "current_version", "Must be one of this product's releases (create it first)."
        )
    validated(product, exclude=["name"] if product.pk else None)


def _unique_name(product: Product) -> None:
    clash = Product.objects.filter(name__iexact=product.name).exclude(pk=product.pk)
    if clash.exists():
        raise Conflict(
            f"A product named {product.name!r} already exists",
            code="DUPLICATE_PRODUCT",
            details={"fields": {"name": ["Already exists."]}},
        )


@transaction.atomic
def create_product(*, actor=None, **fields) -> Product:
    product = Product(**fields)
    _unique_name(product)
    _validate_product(product)
    product.save()
    audit.record(
        actor=actor,
        action="product.created",
        target_type="product",
        target_id=product.pk,
        changes=audit.diff({}, snapshot(product, PRODUCT_FIELDS)),
    )
    return product


@transaction.atomic
def update_product(*, product: Product, actor=None, **changes) -> Product:
    product = Product.objects.select_for_update().get(pk=product.pk)
    before = snapshot(product, PRODUCT_FIELDS)
    for field, value in changes.items():
        if field not in PRODUCT_FIELDS:
            raise ValidationFailed(f"Unknown product field {field!r}")
        setattr(product, field, value)
    _unique_name(product)
    _validate_product(product)
    product.save()
    changed = audit.diff(before, snapshot(product, PRODUCT_FIELDS))
    if changed:
        audit.record(
            actor=actor,
            action="product.updated",
            target_type="product",
            target_id=product.pk,
            changes=changed,
        )
    return product


@transaction.atomic
def delete_product(*, product: Product, actor=None) -> None:
    """Refused with 409 ``PRODUCT_HAS_LICENSES`` while licenses use the product."""
    product = Product.objects.select_for_update().get(pk=product.pk)
    count = product.licenses.count()
    if count:
        raise Conflict(
            f"{count} license(s) use {product.name}; it cannot be deleted",
            code="PRODUCT_HAS_LICENSES",
            details={"license_count": count},
        )
    before = snapshot(product, PRODUCT_FIELDS)
    product_id = product.pk
    product.delete()
    audit.record(
        actor=actor,
        action="product.deleted",
        target_type="product",
        target_id=product_id,
        changes=audit.diff(before, {}),
    )


def _set_current(product: Product, version: str, actor) -> None:
    before = product.current_version
    if before == version:
        return
    Product.objects.filter(pk=product.pk).update(current_version=version)
    product.current_version = version
    audit.record(
        actor=actor,
        action="product.current_version_changed",
        target_type="product",
        target_id=product.pk,
        changes={"current_version": {"old": before, "new": version}},
    )


@transaction.atomic
def create_release(
    *, product: Product, make_current: bool = False, actor=None, **fields
) -> Release:
    """``make_current`` points the product's ``current_version`` at this release (one current
    version per product, by construction: it is a single field)."""
    product = Product.objects.select_for_update().get(pk=product.pk)
    release = Release(product=product, **fields)
    release.version = _check_version("version", release.version)
    if not release.version:
        raise _field_error("version", "This field is required.")
    validated(release, exclude=["product"])
    try:
        with transaction.atomic():
            release.save()
    except IntegrityError as exc:
        raise Conflict(
            f"{product.name} already has a release {release.version}",
            code="DUPLICATE_RELEASE",
            details={"fields": {"version": ["Already exists for this product."]}},
        ) from exc
    audit.record(
        actor=actor,
        action="release.created",
        target_type="release",
        target_id=release.pk,
        changes=audit.diff({}, snapshot(release, RELEASE_FIELDS)),
    )
    if make_current:
        _set_current(product, release.version, actor)
    return release


@transaction.atomic
def update_release(
    *, release: Release, make_current: bool | None = None, actor=None, **changes
) -> Release:
    release = Release.objects.select_for_update().select_related("product").get(pk=release.pk)
    product = Product.objects.select_for_update().get(pk=release.product_id)
    before = snapshot(release, RELEASE_FIELDS)
    was_current = product.current_version == release.version
    for field, value in changes.items():
        if field not in RELEASE_FIELDS or field == "product":
            raise ValidationFailed(f"Unknown or read-only release field {field!r}")
        setattr(release, field, value)
    release.version = _check_version("version", release.version)
    validated(release, exclude=["product"])
    try:
        with transaction.atomic():
            release.save()
    except IntegrityError as exc:
        raise Conflict(
            f"{product.name} already has a release {release.version}",
            code="DUPLICATE_RELEASE",
        ) from exc
    changed = audit.diff(before, snapshot(release, RELEASE_FIELDS))
    if changed:
        audit.record(
            actor=actor,
            action="release.updated",
            target_type="release",
            target_id=release.pk,
            changes=changed,
        )
    if make_current or (was_current and make_current is None):
        _set_current(product, release.version, actor)
    elif make_current is False and was_current:
        _set_current(product, "", actor)
    return release


@transaction.atomic
def delete_release(*, release: Release, actor=None) -> None:
    """Deleting the current release clears the product's pointer (clients are then offered the
    highest remaining release)."""
    product = Product.objects.select_for_update().get(pk=release.product_id)
    before = snapshot(release, RELEASE_FIELDS)
    release_id = release.pk
    if product.current_version == release.version:
        _set_current(product, "", actor)
    release.delete()
    audit.record(
        actor=actor,
        action="release.deleted",
        target_type="release",
        target_id=release_id,
        changes=audit.diff(before, {}),
    )
