"""Activating a license on a device, and deactivating it.

The license row is locked (``select_for_update``) before the active devices are counted, so
concurrent activations are serialised per license on PostgreSQL; SQLite serialises writers
anyway (IMMEDIATE transactions). A partial unique constraint keeps one active row per
(license, hardware_hash). A refused activation still commits its log row and its
``license.usage_threshold`` webhook; the refusal is raised after that commit.
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from licensing import events
from licensing.models import Activation, EndReason, License
from licensing.services import _checks, anomalies
from licensing.settings_section import settings as licensing_settings
from limon_site import audit
from limon_site.errors import Conflict, LimonError, NotFound, RateLimited


@dataclass
class ActivationResult:
    activation: Activation | None
    created: bool = False
    error: LimonError | None = None


def activate_license(
    *,
    key: str,
    hardware_hash: str,
    machine_name: str = "",
    app_version: str = "",
    actor=None,
    now: datetime | None = None,
) -> ActivationResult:
    """Client activation. Same device again → the existing activation (``created`` False)."""
    result = _activate(
        lookup={"key": key},
        hardware_hash=hardware_hash,
        machine_name=machine_name,
        app_version=app_version,
        actor=actor,
        now=now,
        not_found=_checks.license_not_found(key),
    )
    if result.error:
        raise result.error
    return result


def register_device(
    *,
    license: License,
    hardware_hash: str,
    machine_name: str = "",
    app_version: str = "",
    actor=None,
    now: datetime | None = None,
) -> ActivationResult:
    """Staff registering a device (issue 8): the same rules and limits as a client activation."""
    result = _activate(
        lookup={"pk": license.pk},
        hardware_hash=hardware_hash,
        machine_name=machine_name,
        app_version=app_version,
        actor=actor,
        now=now,
        not_found=NotFound("License not found", code="LICENSE_NOT_FOUND"),
    )
    if result.error:
        raise result.error
    return result


@transaction.atomic
def _activate(
    *, lookup, hardware_hash, machine_name, app_version, actor, now, not_found
) -> ActivationResult:
    now = now or timezone.now()
    license = (
        License.objects.select_for_update(of=("self",))
        .select_related("product")
        .filter(**lookup)
        .first()
    )
    if license is None:
        events.log_client_event("activate", _checks.result_code(not_found))
        return ActivationResult(None, error=not_found)

    refusal = _checks.license_unusable(license, timezone.localdate(now))
    if refusal:
        events.log_client_event("activate", _checks.result_code(refusal), license_id=license.pk)
        return ActivationResult(None, error=refusal)

    existing = license.activations.filter(hardware_hash=hardware_hash, is_active=True).first()
    if existing:
        existing.machine_name = machine_name or existing.machine_name
        existing.app_version = app_version or existing.app_version
        existing.last_heartbeat = now
        existing.save(update_fields=["machine_name", "app_version", "last_heartbeat"])
        events.log_client_event(
            "activate", "existing", license_id=license.pk, activation_id=existing.pk
        )
        return ActivationResult(existing, created=False)

    active = license.activations.filter(is_active=True).count()
    if active >= license.max_activations:
        events.log_client_event("activate", "activation_limit_reached", license_id=license.pk)
        _maybe_usage_alert(license, active, now, refused=True)
        return ActivationResult(
            None,
            error=Conflict(
                f"Activation limit reached: {active} of {license.max_activations} devices are "
                "active. Deactivate a device first.",
                code="ACTIVATION_LIMIT_REACHED",
                details={"max_activations": license.max_activations, "active_activations": active},
            ),
        )

    limited = _cycle_limit(license, now)
    if limited:
        events.log_client_event("activate", "activation_rate_limited", license_id=license.pk)
        return ActivationResult(None, error=limited)

    activation = Activation.objects.create(
        license=license,
        hardware_hash=hardware_hash,
        machine_name=machine_name,
        app_version=app_version,
        activated_at=now,
        last_heartbeat=now,
    )
    audit.record(
        actor=actor,
        action="activation.created",
        target_type="license",
        target_id=license.pk,
        changes={
            "activation_id": activation.pk,
            "hardware_hash": hardware_hash,
            "machine_name": machine_name,
            "active_activations": {"old": active, "new": active + 1},
        },
    )
    events.log_client_event("activate", "ok", license_id=license.pk, activation_id=activation.pk)
    events.notify(
        events.LICENSE_ACTIVATED,
        events.license_data(
            license,
            activation,
            hardware_hash=hardware_hash,
            machine_name=machine_name,
            active_activations=active + 1,
            max_activations=license.max_activations,
        ),
    )
    _maybe_usage_alert(license, active + 1, now, refused=False)
    # Anomaly detection (issue 8): this license's and this device's recent history.
    anomalies.after_activation_change(license_id=license.pk, hardware_hash=hardware_hash, now=now)
    return ActivationResult(activation, created=True)


def _cycle_limit(license: License, now: datetime) -> LimonError | None:
    """429 ``ACTIVATION_RATE_LIMITED`` when activations + deactivations in the window reach the
    configured cap; ``Retry-After`` says when the oldest of them leaves the window."""
    conf = licensing_settings()
    limit = conf["activation_cycle_limit"]
    window = timedelta(hours=conf["activation_cycle_window_hours"])
    if not limit:
        return None
    since = now - window
    activated = license.activations.filter(activated_at__gte=since)
    deactivated = license.activations.filter(deactivated_at__gte=since)
    cycles = activated.count() + deactivated.count()
    if cycles < limit:
        return None
    oldest = min(
        moment
        for moment in (
            activated.aggregate(at=Min("activated_at"))["at"],
            deactivated.aggregate(at=Min("deactivated_at"))["at"],
        )
        if moment is not None
    )
    retry_after = max(1, math.ceil((oldest + window - now).total_seconds()))
    return RateLimited(
        f"Too many activations and deactivations on this license ({cycles} within "
        f"{conf['activation_cycle_window_hours']} h; the limit is {limit}). Try again later.",
        code="ACTIVATION_RATE_LIMITED",
        retry_after=retry_after,
        details={"limit": limit, "window_hours": conf["activation_cycle_window_hours"]},
    )


def _maybe_usage_alert(license: License, active: int, now: datetime, *, refused: bool) -> None:
    """``license.usage_threshold`` when active devices reach the threshold (default 80 %) or a
    device was refused; at most once per ``usage_threshold_repeat_hours`` per license."""
    conf = licensing_settings()
    if license.max_activations < 1:
        return
    percent = math.floor(active * 100 / license.max_activations)
    if percent < conf["usage_threshold_percent"] and not refused:
        return
    repeat_before = now - timedelta(hours=conf["usage_threshold_repeat_hours"])
    if license.usage_notified_at and license.usage_notified_at > repeat_before:
        return
    License.objects.filter(pk=license.pk).update(usage_notified_at=now)
    license.usage_notified_at = now
    events.notify(
        events.LICENSE_USAGE_THRESHOLD,
        events.license_data(
            license,
            active_activations=active,
            max_activations=license.max_activations,
            percent=percent,
            threshold_percent=conf["usage_threshold_percent"],
            refused_activation=refused,
        ),
    )


@transaction.atomic
def deactivate_activation(
    *, activation: Activation, actor=None, by_client: bool = False, now: datetime | None = None
) -> Activation:
    """Free the device's seat and end its open sessions (reason ``client`` or ``admin``).
    Deactivating an already inactive device changes nothing."""
    now = now or timezone.now()
    license = License.objects.select_for_update(of=("self",)).get(pk=activation.license_id)
    updated = Activation.objects.filter(pk=activation.pk, is_active=True).update(
        is_active=False, deactivated_at=now, deactivated_by=audit.actor_of(actor)
    )
    activation.refresh_from_db()
    if not updated:
        return activation
    reason = EndReason.CLIENT if by_client else EndReason.ADMIN
    ended = activation.sessions.filter(ended_at__isnull=True).update(
        ended_at=now, end_reason=reason
    )
    active = license.activations.filter(is_active=True).count()
    audit.record(
        actor=actor,
        action="activation.deactivated",
        target_type="license",
        target_id=license.pk,
        changes={
            "activation_id": activation.pk,
            "hardware_hash": activation.hardware_hash,
            "sessions_ended": ended,
            "active_activations": {"old": active + 1, "new": active},
        },
    )
    events.log_client_event("deactivate", "ok", license_id=license.pk, activation_id=activation.pk)
    # Anomaly detection (issue 8): seat cycling and licenses moving between devices.
    anomalies.after_activation_change(
        license_id=license.pk, hardware_hash=activation.hardware_hash, now=now
    )
    threshold = licensing_settings()["usage_threshold_percent"]
    if license.max_activations and active * 100 < threshold * license.max_activations:
        License.objects.filter(pk=license.pk).update(usage_notified_at=None)
    return activation


def deactivate_device(
    *, key: str, hardware_hash: str, actor=None, now: datetime | None = None
) -> Activation:
    """Client deactivation: frees this device's seat on the license."""
    activation = (
        Activation.objects.filter(license__key=key, hardware_hash=hardware_hash, is_active=True)
        .select_related("license")
        .first()
    )
    if activation is None:
        if not License.objects.filter(key=key).exists():
            raise _checks.license_not_found(key)
        raise NotFound(
            "This license is not activated on this device",
            code="ACTIVATION_NOT_FOUND",
            details={"license_key": key, "hardware_hash": hardware_hash},
        )
    return deactivate_activation(activation=activation, actor=actor, by_client=True, now=now)
