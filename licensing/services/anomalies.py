"""Anomaly detection: load the event streams, run the rules (``licensing.anomaly_rules``), record
what they find, and let staff resolve it.

Detection runs twice: right away, from the client services (``after_activation_change`` when a
device is activated or deactivated, ``after_refused_heartbeat`` when a heartbeat is refused for
coming too fast), and as the scheduled sweep ``scan`` that catches everything else. A *new*
anomaly fires the ``license.suspicious`` webhook (queued on commit) and writes the audit trail;
seeing an open one again only refreshes it.
"""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from licensing import anomaly_rules, events
from licensing.anomaly_rules import ActivationSpan, Finding
from licensing.models import Activation, Anomaly, ClientEvent, License
from licensing.settings_section import settings as licensing_settings
from licensing.staff_config import anomaly_settings
from limon_site import audit
from limon_site.errors import Conflict


def _spans(queryset) -> list[ActivationSpan]:
    return [
        ActivationSpan(pk, license_id, hardware_hash, activated_at, deactivated_at)
        for pk, license_id, hardware_hash, activated_at, deactivated_at in queryset.values_list(
            "pk", "license_id", "hardware_hash", "activated_at", "deactivated_at"
        )
    ]


def _touching(since: datetime) -> Q:
    """Activations live at some moment after ``since``."""
    return Q(is_active=True) | Q(deactivated_at__gte=since) | Q(activated_at__gte=since)


def license_findings(license_id: int, *, now: datetime) -> list[Finding]:
    conf = anomaly_settings()
    pattern_window = timedelta(minutes=conf["activation_window_minutes"])
    hopping_window = timedelta(hours=conf["hopping_window_hours"])
    since = now - max(pattern_window, hopping_window)
    spans = _spans(
        Activation.objects.filter(license_id=license_id).filter(
            Q(activated_at__gte=since) | Q(deactivated_at__gte=since)
        )
    )
    found = [
        anomaly_rules.unusual_activation_pattern(
            spans,
            license_id=license_id,
            now=now,
            window=pattern_window,
            max_events=conf["activation_max_events"],
        ),
        anomaly_rules.license_moves(
            spans,
            license_id=license_id,
            now=now,
            window=hopping_window,
            max_moves=conf["hopping_max_moves"],
        ),
    ]
    return [finding for finding in found if finding]


def device_findings(hardware_hash: str, *, now: datetime) -> list[Finding]:
    conf = anomaly_settings()
    window = timedelta(hours=conf["hopping_window_hours"])
    spans = _spans(
        Activation.objects.filter(hardware_hash=hardware_hash).filter(_touching(now - window))
    )
    finding = anomaly_rules.device_on_many_licenses(
        spans,
        hardware_hash=hardware_hash,
        now=now,
        window=window,
        max_licenses=conf["hopping_max_licenses_per_device"],
    )
    return [finding] if finding else []


def _heartbeat_rule_params() -> tuple[timedelta, int, int]:
    conf = anomaly_settings()
    window = timedelta(minutes=conf["heartbeat_window_minutes"])
    interval = max(1, licensing_settings()["heartbeat_window_seconds"])
    return window, interval, conf["heartbeat_excess_factor"]


def heartbeat_findings(activation_id: int, *, now: datetime) -> list[Finding]:
    window, interval, factor = _heartbeat_rule_params()
    calls = ClientEvent.objects.filter(
        kind="heartbeat", activation_id=activation_id, at__gte=now - window, at__lte=now
    )
    times = list(calls.values_list("at", flat=True))
    license_id = (
        calls.exclude(license_id=None).values_list("license_id", flat=True).first()
        or Activation.objects.filter(pk=activation_id).values_list("license_id", flat=True).first()
    )
    finding = anomaly_rules.excessive_heartbeats(
        times,
        activation_id=activation_id,
        license_id=license_id,
        now=now,
        window=window,
        allowed_interval_seconds=interval,
        factor=factor,
    )
    return [finding] if finding else []


def _last_event_at(anomaly: Anomaly) -> datetime:
    try:
        return datetime.fromisoformat(anomaly.evidence["last_event_at"])
    except (KeyError, TypeError, ValueError):
        return anomaly.last_seen


def record(finding: Finding, *, now: datetime) -> tuple[Anomaly | None, bool]:
    """Store a finding: refresh the open anomaly of the same (type, subject), or open a new one —
    unless a resolution already covered all of this evidence. Returns (anomaly, created)."""
    with transaction.atomic():
        open_anomaly = (
            Anomaly.objects.select_for_update()
            .filter(type=finding.type, subject=finding.subject, resolved=False)
            .first()
        )
        if open_anomaly:
            if finding.last_event_at > _last_event_at(open_anomaly):
                Anomaly.objects.filter(pk=open_anomaly.pk).update(
                    last_seen=now, evidence=finding.evidence, occurrences=F("occurrences") + 1
                )
                open_anomaly.refresh_from_db()
            return open_anomaly, False
        covered = Anomaly.objects.filter(
            type=finding.type,
            subject=finding.subject,
            resolved=True,
            resolved_at__gte=finding.last_event_at,
        ).exists()
        if covered:
            return None, False
        license = (
            License.objects.filter(pk=finding.license_id).first() if finding.license_id else None
        )
        try:
            with transaction.atomic():
                anomaly = Anomaly.objects.create(
                    type=finding.type,
                    subject=finding.subject,
                    license=license,
                    license_key=license.key if license else "",
                    evidence=finding.evidence,
                    first_seen=now,
                    last_seen=now,
                )
        except IntegrityError:  # another worker opened it a moment ago
            return record(finding, now=now)
        audit.record(
            actor="system",
            action="anomaly.detected",
            target_type="license" if license else "anomaly",
            target_id=license.pk if license else anomaly.pk,
            changes={"anomaly_id": anomaly.pk, "type": finding.type, "subject": finding.subject},
        )
        if license is not None:
            events.notify(
                events.LICENSE_SUSPICIOUS,
                events.license_data(
                    license,
                    anomaly_type=finding.type,
                    anomaly_id=anomaly.pk,
                    subject=finding.subject,
                    evidence=finding.evidence,
                ),
            )
        return anomaly, True


def _record_all(findings: list[Finding], now: datetime) -> list[Anomaly]:
    created = []
    for finding in findings:
        anomaly, is_new = record(finding, now=now)
        if is_new:
            created.append(anomaly)
    return created


def after_activation_change(
    *, license_id: int, hardware_hash: str, now: datetime | None = None
) -> list[Anomaly]:
    """Hook for the client services: a device was activated on (or deactivated from) a license."""
    now = now or timezone.now()
    findings = license_findings(license_id, now=now) + device_findings(hardware_hash, now=now)
    return _record_all(findings, now)


def after_refused_heartbeat(*, activation_id: int, now: datetime | None = None) -> list[Anomaly]:
    """Hook for the session service: a heartbeat came faster than allowed."""
    now = now or timezone.now()
    return _record_all(heartbeat_findings(activation_id, now=now), now)


def scan(*, now: datetime | None = None) -> dict[str, int]:
    """The scheduled sweep over everything that moved within the rules' windows."""
    now = now or timezone.now()
    conf = anomaly_settings()
    license_since = now - max(
        timedelta(minutes=conf["activation_window_minutes"]),
        timedelta(hours=conf["hopping_window_hours"]),
    )
    moved = Activation.objects.filter(
        Q(activated_at__gte=license_since) | Q(deactivated_at__gte=license_since)
    )
    findings: list[Finding] = []
    license_ids = sorted(set(moved.values_list("license_id", flat=True)))
    for license_id in license_ids:
        findings += license_findings(license_id, now=now)
    device_since = now - timedelta(hours=conf["hopping_window_hours"])
    shared = (
        Activation.objects.filter(_touching(device_since))
        .values("hardware_hash")
        .annotate(licenses=Count("license_id", distinct=True))
        .filter(licenses__gt=conf["hopping_max_licenses_per_device"])
    )
    for row in shared:
        findings += device_findings(row["hardware_hash"], now=now)
    window, interval, factor = _heartbeat_rule_params()
    threshold = max(1, int(window.total_seconds() // interval)) * factor
    noisy = (
        ClientEvent.objects.filter(
            kind="heartbeat", at__gte=now - window, at__lte=now, activation_id__isnull=False
        )
        .values("activation_id")
        .annotate(calls=Count("id"))
        .filter(calls__gt=threshold)
    )
    for row in noisy:
        findings += heartbeat_findings(row["activation_id"], now=now)
    created = _record_all(findings, now)
    return {"checked_licenses": len(license_ids), "findings": len(findings), "new": len(created)}


@transaction.atomic
def resolve_anomaly(*, anomaly: Anomaly, note: str = "", actor=None) -> Anomaly:
    """Mark an anomaly resolved (409 ``ANOMALY_RESOLVED`` when it already is)."""
    now = timezone.now()
    resolved = Anomaly.objects.filter(pk=anomaly.pk, resolved=False).update(
        resolved=True, resolved_at=now, resolved_by=audit.actor_of(actor), resolution_note=note
    )
    anomaly.refresh_from_db()
    if not resolved:
        raise Conflict(
            f"This anomaly was already resolved by {anomaly.resolved_by}",
            code="ANOMALY_RESOLVED",
            details={"resolved_at": anomaly.resolved_at.isoformat()},
        )
    audit.record(
        actor=actor,
        action="anomaly.resolved",
        target_type="license" if anomaly.license_id else "anomaly",
        target_id=anomaly.license_id or anomaly.pk,
        changes={"anomaly_id": anomaly.pk, "type": anomaly.type, "note": note},
    )
    return anomaly
