"""Webhook endpoints and deliveries. ``emit`` writes delivery rows in the caller's transaction and
queues them on commit; ``deliver`` sends one (claimed with a conditional UPDATE) and schedules
the retry; ``deliver_due`` is the periodic sweep that sends every due delivery."""

import json
import logging
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django_q.tasks import async_task

from limon_site import audit, config
from limon_site.errors import ValidationFailed
from limon_site.webhooks import signing
from limon_site.webhooks.events import ALL_EVENTS, TEST_EVENT, is_registered, registered_events
from limon_site.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint

logger = logging.getLogger("limon.webhooks")

ENDPOINT_FIELDS = ["name", "url", "events", "is_active"]
RESPONSE_EXCERPT = 1000
USER_AGENT = "LiMon-Webhooks/1"


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _check_events(events: list[str]) -> list[str]:
    if not events:
        raise ValidationFailed(
            "Subscribe to at least one event (or '*')",
            details={"fields": {"events": ["At least one event is required."]}},
        )
    unknown = [name for name in events if name != ALL_EVENTS and not is_registered(name)]
    if unknown:
        raise ValidationFailed(
            f"Unknown events: {', '.join(unknown)}",
            details={
                "fields": {"events": [f"Unknown event {name!r}" for name in unknown]},
                "known_events": list(registered_events()),
            },
        )
    return sorted(set(events))


def _endpoint_snapshot(endpoint: WebhookEndpoint) -> dict:
    return {field: getattr(endpoint, field) for field in ENDPOINT_FIELDS}


@dataclass(frozen=True)
class CreatedEndpoint:
    endpoint: WebhookEndpoint
    secret: str  # shown once


@transaction.atomic
def create_endpoint(
    *, name: str, url: str, events: list[str], secret: str = "", is_active: bool = True, actor=None
) -> CreatedEndpoint:
    clear = secret or signing.new_secret()
    endpoint = WebhookEndpoint.objects.create(
        name=name,
        url=url,
        events=_check_events(events),
        is_active=is_active,
        secret_encrypted=signing.encrypt(clear),
        secret_hint=clear[-4:],
        created_by=audit.actor_of(actor),
    )
    audit.record(
        actor=actor,
        action="webhook.created",
        target_type="webhook",
        target_id=endpoint.pk,
        changes=audit.diff({}, _endpoint_snapshot(endpoint)),
    )
    return CreatedEndpoint(endpoint, clear)


@transaction.atomic
def update_endpoint(*, endpoint: WebhookEndpoint, actor=None, **changes) -> WebhookEndpoint:
    """Re-activating a disabled endpoint clears its failure counter."""
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    before = _endpoint_snapshot(endpoint)
    if "events" in changes:
        changes["events"] = _check_events(changes["events"])
    for field, value in changes.items():
        if field not in ENDPOINT_FIELDS:
            raise ValidationFailed(f"Unknown webhook field {field!r}")
        setattr(endpoint, field, value)
    if changes.get("is_active") and not before["is_active"]:
        endpoint.consecutive_failures = 0
        endpoint.disabled_at = None
        endpoint.disabled_reason = ""
    endpoint.save()
    changed = audit.diff(before, _endpoint_snapshot(endpoint))
    if changed:
        audit.record(
            actor=actor,
            action="webhook.updated",
            target_type="webhook",
            target_id=endpoint.pk,
            changes=changed,
        )
    return endpoint


@transaction.atomic
def rotate_secret(*, endpoint: WebhookEndpoint, actor=None) -> CreatedEndpoint:
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    clear = signing.new_secret()
    endpoint.secret_encrypted = signing.encrypt(clear)
    endpoint.secret_hint = clear[-4:]
    endpoint.save(update_fields=["secret_encrypted", "secret_hint", "updated_at"])
    audit.record(
        actor=actor, action="webhook.secret_rotated", target_type="webhook", target_id=endpoint.pk
    )
    return CreatedEndpoint(endpoint, clear)


@transaction.atomic
def delete_endpoint(*, endpoint: WebhookEndpoint, actor=None) -> None:
    before = _endpoint_snapshot(endpoint)
    endpoint_id = endpoint.pk
    endpoint.delete()
    audit.record(
        actor=actor,
        action="webhook.deleted",
        target_type="webhook",
        target_id=endpoint_id,
        changes=audit.diff(before, {}),
    )


def envelope(event: str, data: dict, *, at: datetime | None = None) -> dict:
    """The payload every receiver gets (seed 001): ``event``, ``timestamp``, ``data`` (+ ``id``)."""
    return {
        "id": f"evt_{uuid.uuid4().hex}",
        "event": event,
        "timestamp": _iso(at or timezone.now()),
        "data": data,
    }


def _queue_on_commit(delivery_ids: list[int]) -> None:
    def queue() -> None:
        for delivery_id in delivery_ids:
            async_task("limon_site.webhooks.tasks.deliver", delivery_id)

    transaction.on_commit(queue)


@transaction.atomic
def emit(*, event: str, data: dict, endpoints=None) -> int:
    if not is_registered(event):
        raise ValueError(f"webhook event {event!r} is not registered")
    targets = [
        endpoint
        for endpoint in (endpoints or WebhookEndpoint.objects.filter(is_active=True))
        if endpoint.subscribes_to(event)
    ]
    if not targets:
        return 0
    body = envelope(event, data)
    ids = [
        WebhookDelivery.objects.create(endpoint=endpoint, event=event, payload=body).pk
        for endpoint in targets
    ]
    _queue_on_commit(ids)
    return len(ids)


@transaction.atomic
def send_test_event(*, endpoint: WebhookEndpoint, actor=None) -> WebhookDelivery:
    """Queue ``webhook.test`` for this endpoint even if it is not subscribed or is disabled."""
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint,
        event=TEST_EVENT,
        payload=envelope(
            TEST_EVENT,
            {"message": "This is a test event from LiMon", "endpoint_id": endpoint.pk},
        ),
    )
    audit.record(
        actor=actor,
        action="webhook.test_sent",
        target_type="webhook",
        target_id=endpoint.pk,
        changes={"delivery_id": str(delivery.delivery_id)},
    )
    _queue_on_commit([delivery.pk])
    return delivery


@transaction.atomic
def redeliver(*, delivery: WebhookDelivery, actor=None) -> WebhookDelivery:
    """Send a failed delivery again (a fresh set of attempts)."""
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.PENDING, next_attempt_at=timezone.now(), locked_until=None, attempts=0
    )
    audit.record(
        actor=actor,
        action="webhook.redelivered",
        target_type="webhook_delivery",
        target_id=delivery.pk,
    )
    _queue_on_commit([delivery.pk])
    delivery.refresh_from_db()
    return delivery


def backoff_seconds(attempt: int, settings: dict) -> int:
    """Delay before attempt ``attempt + 1``: base · 2^(attempt-1), capped."""
    delay = settings["backoff_base_seconds"] * 2 ** max(0, attempt - 1)
    return int(min(delay, settings["backoff_max_seconds"]))


@dataclass(frozen=True)
class AttemptResult:
    ok: bool
    status: int | None
    body: str
    error: str
    duration_ms: int


def _post(url: str, body: bytes, headers: dict, timeout: int) -> AttemptResult:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            text = response.read(RESPONSE_EXCERPT).decode("utf-8", "replace")
            code = response.status
            error = ""
    except urllib.error.HTTPError as exc:
        code = exc.code
        text = exc.read(RESPONSE_EXCERPT).decode("utf-8", "replace")
        error = f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        code, text = None, ""
        error = f"{exc.__class__.__name__}: {getattr(exc, 'reason', exc)}"
    duration = int((time.perf_counter() - started) * 1000)
    ok = code is not None and 200 <= code < 300
    return AttemptResult(ok, code, text, error, duration)


def deliver(delivery_id: int, *, now: datetime | None = None) -> str | None:
    """Send one due delivery. Returns its new status, or None if it was not ours to send (not due,
    already delivered, or claimed by another worker)."""
    settings = config.get("webhooks")
    now = now or timezone.now()
    lease = timedelta(seconds=settings["timeout_seconds"] + 30)
    claimed = (
        WebhookDelivery.objects.filter(
            pk=delivery_id,
            status__in=[DeliveryStatus.PENDING, DeliveryStatus.RETRYING],
            next_attempt_at__lte=now,
        )
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now))
        .update(locked_until=now + lease, attempts=F("attempts") + 1, last_attempt_at=now)
    )
    if not claimed:
        return None
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    endpoint = delivery.endpoint
    if not endpoint.is_active and delivery.event != TEST_EVENT:
        WebhookDelivery.objects.filter(pk=delivery_id).update(
            status=DeliveryStatus.FAILED,
            error="endpoint is disabled",
            next_attempt_at=None,
            locked_until=None,
        )
        return DeliveryStatus.FAILED

    body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()
    timestamp = str(int(time.time()))
    secret = signing.decrypt(endpoint.secret_encrypted)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        signing.HEADER_TIMESTAMP: timestamp,
        signing.HEADER_SIGNATURE: signing.signature(secret, timestamp, body),
        signing.HEADER_EVENT: delivery.event,
        signing.HEADER_DELIVERY: str(delivery.delivery_id),
    }
    result = _post(endpoint.url, body, headers, settings["timeout_seconds"])
    finished = timezone.now()
    common = {
        "response_code": result.status,
        "response_body": result.body,
        "error": result.error,
        "duration_ms": result.duration_ms,
        "locked_until": None,
    }
    if result.ok:
        WebhookDelivery.objects.filter(pk=delivery_id).update(
            status=DeliveryStatus.DELIVERED, delivered_at=finished, next_attempt_at=None, **common
        )
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
            consecutive_failures=0, last_success_at=finished
        )
        return DeliveryStatus.DELIVERED

    attempts = delivery.attempts
    if attempts >= settings["max_attempts"]:
        status, next_at = DeliveryStatus.FAILED, None
    else:
        status = DeliveryStatus.RETRYING
        next_at = now + timedelta(seconds=backoff_seconds(attempts, settings))
    WebhookDelivery.objects.filter(pk=delivery_id).update(
        status=status, next_attempt_at=next_at, **common
    )
    logger.warning(
        "webhook delivery %s to %s failed (attempt %s): %s",
        delivery.delivery_id,
        endpoint.url,
        attempts,
        result.error,
    )
    _count_failure(endpoint, finished, settings)
    return status


def _count_failure(endpoint: WebhookEndpoint, at: datetime, settings: dict) -> None:
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        consecutive_failures=F("consecutive_failures") + 1, last_failure_at=at
    )
    limit = settings["disable_after_failures"]
    reason = f"disabled after {limit} consecutive failed attempts"
    disabled = WebhookEndpoint.objects.filter(
        pk=endpoint.pk, is_active=True, consecutive_failures__gte=limit
    ).update(is_active=False, disabled_at=at, disabled_reason=reason)
    if disabled:
        audit.record(
            actor="system",
            action="webhook.disabled",
            target_type="webhook",
            target_id=endpoint.pk,
            changes={"is_active": {"old": True, "new": False}, "reason": reason},
        )


def due_delivery_ids(*, now: datetime | None = None, limit: int = 500) -> list[int]:
    now = now or timezone.now()
    return list(
        WebhookDelivery.objects.filter(
            status__in=[DeliveryStatus.PENDING, DeliveryStatus.RETRYING], next_attempt_at__lte=now
        )
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


def deliver_due(*, now: datetime | None = None) -> dict[str, int]:
    """Send every due delivery (the periodic sweep; each is claimed individually)."""
    outcome: dict[str, int] = {}
    for delivery_id in due_delivery_ids(now=now):
        status = deliver(delivery_id, now=now)
        if status:
            outcome[status] = outcome.get(status, 0) + 1
    return outcome


def purge_deliveries(*, now: datetime | None = None) -> int:
    days = config.get("webhooks")["retention_days"]
    cutoff = (now or timezone.now()) - timedelta(days=days)
    deleted, _ = WebhookDelivery.objects.filter(
        created_at__lt=cutoff, status__in=[DeliveryStatus.DELIVERED, DeliveryStatus.FAILED]
    ).delete()
    return deleted
