"""Webhook events the licensing side sends (payload shape of seed 001: ``license_id``,
``activation_id`` as ``"act_<id>"``, ``customer_id``) and the client-call log."""

from contextlib import contextmanager

from django.db import connection, transaction

from licensing.models import Activation, ClientEvent, License
from limon_site.webhooks import emit, register_event

LICENSE_ACTIVATED = "license.activated"
LICENSE_EXPIRING = "license.expiring"
LICENSE_SUSPICIOUS = "license.suspicious"
LICENSE_USAGE_THRESHOLD = "license.usage_threshold"

register_event(
    LICENSE_ACTIVATED,
    "A license was activated on a new device.",
    {"license_id": 123, "activation_id": "act_456", "customer_id": 789},
)
register_event(
    LICENSE_EXPIRING,
    "A license expires within the configured number of days (sent once per expiry date).",
    {"license_id": 123, "customer_id": 789, "valid_until": "2026-01-01", "days_left": 14},
)
register_event(
    LICENSE_SUSPICIOUS,
    "Anomaly detection found suspicious use of a license.",
    {"license_id": 123, "customer_id": 789, "anomaly_type": "license_hopping"},
)
register_event(
    LICENSE_USAGE_THRESHOLD,
    "A license's active devices reached the usage threshold (or a device was refused).",
    {
        "license_id": 123,
        "customer_id": 789,
        "active_activations": 4,
        "max_activations": 5,
        "percent": 80,
    },
)


def license_data(license: License, activation: Activation | None = None, **extra) -> dict:
    data = {
        "license_id": license.pk,
        "license_key": license.key,
        "customer_id": license.customer_id,
    }
    if activation is not None:
        data["activation_id"] = f"act_{activation.pk}"
    data.update(extra)
    return data


def notify(event: str, data: dict) -> None:
    """Emit inside the current transaction; the platform queues deliveries on commit."""
    emit(event, data)


def log_client_event(
    kind: str, result: str, *, license_id: int | None = None, activation_id: int | None = None
) -> None:
    ClientEvent.objects.create(
        kind=kind, result=result, license_id=license_id, activation_id=activation_id
    )


def log_after_rollback(kind: str, result: str, **ids) -> None:
    """Record a refused call when the service's own transaction rolled back."""
    with transaction.atomic():
        log_client_event(kind, result, **ids)


@contextmanager
def relaxed_durability():
    """A transaction whose commit does not wait for the WAL flush (PostgreSQL
    ``synchronous_commit = off``, for this transaction only). For the hot path's bookkeeping
    (verify and heartbeat timestamps, call-log rows): a crash may lose the last fraction of a
    second of them, never an activation or a session start or end. Other databases: a plain
    transaction."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        yield
