"""Sessions: a running copy of the product, kept alive by heartbeats (seed 004).

- ``start_session`` locks the license row, ends dead sessions (``timeout``) and this device's
  previous open session (``replaced``), then counts the live ones: a single-session product
  allows one, others ``max_users``. A partial unique constraint allows one open session per
  activation, so the heartbeat limit "one per minute per activation" is one per session.
- ``heartbeat`` and ``end_session`` are conditional UPDATEs on the session row
  (``WHERE ended_at IS NULL …``): whichever commits first wins, and a session ends exactly once.
"""

import math
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import DateTimeField, F, Value
from django.db.models.functions import Greatest
from django.utils import timezone

from licensing import calllog, events, queries, versions
from licensing.models import Activation, EndReason, License, LicenseSession, Product
from licensing.services import _checks, anomalies
from licensing.settings_section import settings as licensing_settings
from limon_site import audit
from limon_site.errors import Conflict, Forbidden, LimonError, NotFound, RateLimited

SINGLE_SESSION_MESSAGE = (
    "Es ist nur eine Sitzung erlaubt. Diese Lizenz wird bereits auf einem anderen Gerät verwendet."
)
SINGLE_SESSION_MESSAGE_EN = (
    "Only one session is allowed. This license is already in use on another device."
)


@dataclass
class SessionStart:
    session: LicenseSession | None
    product: Product | None = None
    replaced: int = 0
    error: LimonError | None = None


def deadline(session: LicenseSession, product: Product) -> datetime:
    """When the session dies without another heartbeat."""
    return session.last_heartbeat + timedelta(seconds=product.session_timeout)


def start_session(
    *,
    key: str,
    hardware_hash: str,
    machine_id: str = "",
    version: str = "",
    actor=None,
    now: datetime | None = None,
) -> SessionStart:
    result = _start(
        key=key,
        hardware_hash=hardware_hash,
        machine_id=machine_id,
        version=version,
        actor=actor,
        now=now or timezone.now(),
    )
    if result.error:
        raise result.error
    return result


@transaction.atomic
def _start(*, key, hardware_hash, machine_id, version, actor, now) -> SessionStart:
    def refuse(error: LimonError, **ids) -> SessionStart:
        events.log_client_event("session_start", _checks.result_code(error), **ids)
        return SessionStart(None, error=error)

    license = (
        License.objects.select_for_update(of=("self",))
        .select_related("product")
        .filter(key=key)
        .first()
    )
    if license is None:
        return refuse(_checks.license_not_found(key))
    product = license.product
    unusable = _checks.license_unusable(license, timezone.localdate(now))
    if unusable:
        return refuse(unusable, license_id=license.pk)
    activation = license.activations.filter(hardware_hash=hardware_hash, is_active=True).first()
    if activation is None:
        return refuse(
            Forbidden(
                "This license is not activated on this device; activate it first",
                code="DEVICE_NOT_ACTIVATED",
                details={"license_key": key, "hardware_hash": hardware_hash},
            ),
            license_id=license.pk,
        )
    if version and queries.is_below_minimum(product, version):
        return refuse(
            Forbidden(
                f"Version {version} is no longer supported; the minimum is "
                f"{product.minimum_version}",
                code="VERSION_UNSUPPORTED",
                details={
                    "version": version,
                    "minimum_version": product.minimum_version,
                    "latest_version": queries.latest_version_string(product),
                },
            ),
            license_id=license.pk,
            activation_id=activation.pk,
        )

    open_sessions = LicenseSession.objects.filter(license=license, ended_at__isnull=True)
    cutoff = now - timedelta(seconds=product.session_timeout)
    for dead in open_sessions.filter(last_heartbeat__lt=cutoff):
        _end(dead, EndReason.TIMEOUT, actor="system", now=now)
    replaced = 0
    for previous in open_sessions.filter(activation=activation):
        replaced += _end(previous, EndReason.REPLACED, actor=actor, now=now)

    limit = 1 if product.single_session else license.max_users
    live = list(open_sessions.select_related("activation"))
    if len(live) >= limit:
        if product.single_session:
            error = Conflict(
                SINGLE_SESSION_MESSAGE,
                code="SESSION_LIMIT",
                details={
                    "message_en": SINGLE_SESSION_MESSAGE_EN,
                    "max_sessions": 1,
                    "active_sessions": len(live),
                    "active_machine": live[0].machine_id or live[0].activation.machine_name,
                    "retry_after_seconds": max(
                        1, math.ceil((deadline(live[0], product) - now).total_seconds())
                    ),
                },
            )
        else:
            error = Conflict(
                f"Alle {limit} erlaubten Sitzungen sind belegt.",
                code="SESSION_LIMIT",
                details={
                    "message_en": f"All {limit} allowed sessions are in use.",
                    "max_sessions": limit,
                    "active_sessions": len(live),
                },
            )
        return refuse(error, license_id=license.pk, activation_id=activation.pk)

    session = LicenseSession.objects.create(
        license=license,
        activation=activation,
        machine_id=machine_id,
        version=version,
        started_at=now,
        last_heartbeat=now,
    )
    Activation.objects.filter(pk=activation.pk).update(last_heartbeat=now)
    audit.record(
        actor=actor,
        action="session.started",
        target_type="license",
        target_id=license.pk,
        changes={
            "session_token": str(session.token),
            "activation_id": activation.pk,
            "machine_id": machine_id,
            "version": version,
            "replaced_sessions": replaced,
        },
    )
    events.log_client_event(
        "session_start", "ok", license_id=license.pk, activation_id=activation.pk
    )
    return SessionStart(session, product, replaced)


def _end(session: LicenseSession, reason: str, *, actor, now: datetime) -> int:
    """End ``session`` if still open (conditional UPDATE); 1 if this call ended it.

    A heartbeat that committed while this call waited for the row has a later timestamp than
    ``now``; ``ended_at`` never precedes the last accepted heartbeat."""
    ended = LicenseSession.objects.filter(pk=session.pk, ended_at__isnull=True).update(
        ended_at=Greatest(Value(now, output_field=DateTimeField()), F("last_heartbeat")),
        end_reason=reason,
    )
    if ended:
        audit.record(
            actor=actor,
            action="session.ended",
            target_type="license",
            target_id=session.license_id,
            changes={
                "session_token": str(session.token),
                "end_reason": reason,
                "duration_seconds": max(0, int((now - session.started_at).total_seconds())),
            },
        )
        events.log_client_event(
            "session_end",
            reason,
            license_id=session.license_id,
            activation_id=session.activation_id,
        )
    return ended


def _find(token: str, key: str | None) -> LicenseSession:
    session = (
        LicenseSession.objects.select_related("license__product").filter(token=token).first()
        if _is_uuid(token)
        else None
    )
    if session is None or (key and session.license.key != key):
        raise NotFound(
            "Session not found", code="SESSION_NOT_FOUND", details={"session_token": str(token)}
        )
    return session


def _is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def _ended_error(session: LicenseSession) -> Conflict:
    return Conflict(
        "This session has ended; start a new one",
        code="SESSION_ENDED",
        details={
            "session_token": str(session.token),
            "end_reason": session.end_reason,
            "ended_at": session.ended_at.isoformat() if session.ended_at else None,
        },
    )


def heartbeat(*, token: str, key: str | None = None, now: datetime | None = None) -> LicenseSession:
    """Keep the session alive. 409 ``SESSION_ENDED`` once it ended (or timed out), 429
    ``HEARTBEAT_RATE_LIMITED`` (with ``Retry-After``) within the heartbeat window, 403 when the
    license was deactivated or expired meanwhile (the session is then ended)."""
    now = now or timezone.now()
    session = _find(token, key)
    license, product = session.license, session.license.product
    ids = {"license_id": license.pk, "activation_id": session.activation_id}

    if session.ended_at is not None:
        calllog.record("heartbeat", "session_ended", **ids)
        raise _ended_error(session)
    unusable = _checks.license_unusable(license, timezone.localdate(now))
    if unusable:
        with transaction.atomic():
            _end(session, EndReason.ADMIN, actor="system", now=now)
            calllog.record("heartbeat", _checks.result_code(unusable), **ids)
        raise unusable

    conf = licensing_settings()
    window = timedelta(
        seconds=max(0, conf["heartbeat_window_seconds"] - conf["heartbeat_tolerance_seconds"])
    )
    alive_since = now - timedelta(seconds=product.session_timeout)
    with events.relaxed_durability():
        beaten = LicenseSession.objects.filter(
            pk=session.pk,
            ended_at__isnull=True,
            last_heartbeat__gte=alive_since,
            last_heartbeat__lte=now - window,
        ).update(last_heartbeat=now, heartbeat_count=F("heartbeat_count") + 1)
        if beaten:
            Activation.objects.filter(pk=session.activation_id).update(last_heartbeat=now)
            calllog.record("heartbeat", "ok", **ids)
    if beaten:
        session.last_heartbeat = now
        session.heartbeat_count += 1
        return session

    session.refresh_from_db()
    if session.ended_at is None and session.last_heartbeat < alive_since:
        with transaction.atomic():
            _end(session, EndReason.TIMEOUT, actor="system", now=now)
        session.refresh_from_db()
    if session.ended_at is not None:
        calllog.record("heartbeat", "session_ended", **ids)
        raise _ended_error(session)
    retry_after = math.ceil((session.last_heartbeat + window - now).total_seconds())
    calllog.record("heartbeat", "rate_limited", **ids)
    # Anomaly detection (issue 8): a client beating faster than allowed.
    anomalies.after_refused_heartbeat(activation_id=session.activation_id, now=now)
    raise RateLimited(
        f"Only one heartbeat per {conf['heartbeat_window_seconds']} seconds is allowed",
        code="HEARTBEAT_RATE_LIMITED",
        retry_after=max(1, retry_after),
        details={"heartbeat_window_seconds": conf["heartbeat_window_seconds"]},
    )


@dataclass
class SessionEnd:
    session: LicenseSession
    ended_now: bool


@transaction.atomic
def end_session(
    *,
    token: str,
    key: str | None = None,
    reason: str = EndReason.CLIENT,
    actor=None,
    now: datetime | None = None,
) -> SessionEnd:
    """End the session. Ending an ended session is not an error: the answer repeats how and
    when it ended (``ended_now`` False)."""
    now = now or timezone.now()
    session = _find(token, key)
    ended = _end(session, reason, actor=actor, now=now)
    session.refresh_from_db()
    return SessionEnd(session, bool(ended))


def expire_dead_sessions(*, now: datetime | None = None) -> int:
    """The scheduled sweep: end open sessions silent for longer than their product's timeout."""
    now = now or timezone.now()
    ended = 0
    for product in Product.objects.all():
        cutoff = now - timedelta(seconds=product.session_timeout)
        dead = LicenseSession.objects.filter(
            license__product=product, ended_at__isnull=True, last_heartbeat__lt=cutoff
        )
        for session in dead:
            with transaction.atomic():
                ended += _end(session, EndReason.TIMEOUT, actor="system", now=now)
    return ended


def validate_version(value: str) -> str:
    if value:
        versions.parse_lenient(value)
    return value
