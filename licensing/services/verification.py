"""``verify``: is this license valid on this device, at this version? The hot path of the
license server: a handful of indexed queries, no lock. An invalid license is an answer
(``valid: false`` with a machine-readable ``reason``), not an error."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from licensing import calllog, queries, versions
from licensing.models import Activation, License

# verify() refreshes an activation's last_heartbeat at most this often: a busy client must not
# turn every verification into a write (and the hot path reads no configuration).
VERIFY_TOUCH = timedelta(seconds=60)

MESSAGES = {
    None: "License is valid",
    "not_found": "License key not found",
    "inactive": "This license has been deactivated",
    "expired": "This license has expired",
    "not_activated_on_this_device": "This license is not activated on this device",
    "version_unsupported": "This version is no longer supported; please update",
}


@dataclass
class VerifyResult:
    valid: bool
    reason: str | None
    license: License | None
    activation: Activation | None
    update_available: bool
    latest_version: str | None
    is_mandatory: bool
    minimum_version: str

    @property
    def message(self) -> str:
        return MESSAGES[self.reason]


def verify_license(
    *, key: str, hardware_hash: str, app_version: str = "", now: datetime | None = None
) -> VerifyResult:
    """Raises ``versions.InvalidVersion`` for a malformed ``app_version`` (a 400 for the API)."""
    now = now or timezone.now()
    if app_version:
        versions.parse_lenient(app_version)
    # The common case, a valid license on an activated device, is one query.
    activation = (
        Activation.objects.select_related("license__product")
        .filter(license__key=key, hardware_hash=hardware_hash, is_active=True)
        .first()
    )
    license = activation.license if activation else None
    if license is None:
        license = License.objects.select_related("product").filter(key=key).first()
    if license is None:
        calllog.record("verify", "not_found")
        return VerifyResult(False, "not_found", None, None, False, None, False, "")

    product = license.product
    reason = None
    status = license.status_on(timezone.localdate(now))
    if status == "pending":
        reason = "expired"
    elif status != "active":
        reason = status
    elif activation is None:
        reason = "not_activated_on_this_device"
    if reason is not None:
        activation = None
    if reason is None and queries.is_below_minimum(product, app_version):
        reason = "version_unsupported"

    latest = queries.latest_version_string(product)
    update_available = bool(
        latest and app_version and versions.parse_lenient(app_version) < versions.parse(latest)
    )
    mandatory = reason == "version_unsupported"
    if update_available and not mandatory:
        mandatory = queries.update_info(product, app_version).is_mandatory

    if activation is not None:
        _touch(activation, app_version, now)
    calllog.record(
        "verify",
        "ok" if reason is None else reason,
        license_id=license.pk,
        activation_id=activation.pk if activation else None,
    )
    return VerifyResult(
        valid=reason is None,
        reason=reason,
        license=license,
        activation=activation,
        update_available=update_available,
        latest_version=latest,
        is_mandatory=mandatory,
        minimum_version=product.minimum_version,
    )


def _touch(activation: Activation, app_version: str, now: datetime) -> None:
    """Refresh ``last_heartbeat`` (and the reported version), at most every ``VERIFY_TOUCH``."""
    version_changed = bool(app_version) and app_version != activation.app_version
    if not version_changed and now - activation.last_heartbeat < VERIFY_TOUCH:
        return
    calllog.touch_activation(activation.pk, now, app_version if version_changed else "")
    activation.last_heartbeat = now
