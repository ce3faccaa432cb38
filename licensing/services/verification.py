"""``verify``: is this license valid on this device, at this version? The hot path of the
license server: a handful of indexed queries, no lock. An invalid license is an answer
(``valid: false`` with a machine-readable ``reason``), not an error."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from licensing import events, queries, versions
from licensing.models import Activation, License
from licensing.settings_section import settings as licensing_settings

MESSAGES = {
    None: "License is valid",
    "not_found": "License key not found",
    "inactive": "This license has been deactivated",
    "expired": "This license has expired",
    "not_yet_valid": "This license is not valid yet",
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
    license = License.objects.select_related("product").filter(key=key).first()
    if license is None:
        events.log_client_event("verify", "not_found")
        return VerifyResult(False, "not_found", None, None, False, None, False, "")

    product = license.product
    reason = None
    status = license.status_on(timezone.localdate(now))
    if status == "pending":
        reason = "expired"
    elif status != "active":
        reason = status
    activation = None
    if reason is None:
        activation = (
            Activation.objects.filter(license=license, hardware_hash=hardware_hash, is_active=True)
            .only("pk", "last_heartbeat", "app_version")
            .first()
        )
        if activation is None:
            reason = "not_activated_on_this_device"
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
    events.log_client_event(
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
    """Refresh ``last_heartbeat`` (and the reported version), at most every
    ``verify_touch_seconds`` so a busy client does not turn every verify into a write."""
    resolution = timedelta(seconds=licensing_settings()["verify_touch_seconds"])
    version_changed = bool(app_version) and app_version != activation.app_version
    if not version_changed and now - activation.last_heartbeat < resolution:
        return
    changes = {"last_heartbeat": now}
    if version_changed:
        changes["app_version"] = app_version
    Activation.objects.filter(pk=activation.pk).update(**changes)
    activation.last_heartbeat = now
