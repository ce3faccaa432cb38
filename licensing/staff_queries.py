"""Read-side figures of the staff side, shared by the staff API, the panel pages and the alerts:
customer statistics, pool availability, the monitoring dashboard and live statistics, anomaly
counts. (Client-side questions — live sessions, heartbeats, versions — are in
``licensing.queries``; this module builds on them.)"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from licensing import queries
from licensing.models import (
    POOL_NAMES,
    Anomaly,
    AnomalyType,
    Customer,
    License,
    Resource,
    ResourceStatus,
    ResourceType,
)
from licensing.settings_section import settings as licensing_settings
from licensing.staff_config import pool_settings

# --- customers ----------------------------------------------------------------------------


def licenses_with_device_counts(queryset=None):
    """Licenses annotated with ``current_activations`` (active devices)."""
    queryset = License.objects.all() if queryset is None else queryset
    return queryset.annotate(
        current_activations=Count("activations", filter=Q(activations__is_active=True))
    )


def customer_licenses(customer: Customer):
    return licenses_with_device_counts(customer.licenses.select_related("product")).order_by(
        "-created_at", "-id"
    )


def customer_quick_stats(customer: Customer) -> dict[str, int]:
    """``total_users`` is the seats (max users) of the customer's active licenses."""
    licenses = customer.licenses.all()
    active = licenses.with_status("active")
    return {
        "total_licenses": licenses.count(),
        "active_licenses": active.count(),
        "total_activations": customer.licenses.filter(activations__is_active=True).count(),
        "total_users": active.aggregate(n=Sum("max_users"))["n"] or 0,
    }


# --- resource pools -----------------------------------------------------------------------


def pool_status(available: int, total: int, *, thresholds: dict | None = None) -> str:
    """``critical`` below ``critical_percent`` available (or nothing left), ``low`` below
    ``low_percent``, else ``ok``."""
    thresholds = thresholds or pool_settings()
    if available <= 0:
        return "critical"
    share = available * 100 / total
    if share < thresholds["critical_percent"]:
        return "critical"
    if share < thresholds["low_percent"]:
        return "low"
    return "ok"


def pool_counts() -> dict[str, dict[str, int]]:
    """Per resource type: total, available, allocated, quarantined (every type, zeros included)."""
    counts = {
        resource_type: {"total": 0, "available": 0, "allocated": 0, "quarantined": 0}
        for resource_type in ResourceType.values
    }
    for row in Resource.objects.values("type", "status").annotate(n=Count("id")):
        counts[row["type"]][row["status"]] += row["n"]
        counts[row["type"]]["total"] += row["n"]
    return counts


CORE_POOLS = (ResourceType.DOMAIN, ResourceType.IPV4, ResourceType.PHONE_NUMBER)


def pool_availability() -> dict[str, dict]:
    """The seed's ``/api/resources/availability``: keyed by pool name (``domains``, ``ipv4``,
    ``phone_numbers``; ``servers``/``workstations`` once they hold anything)."""
    thresholds = pool_settings()
    result = {}
    for resource_type, counts in pool_counts().items():
        if resource_type not in CORE_POOLS and not counts["total"]:
            continue
        result[POOL_NAMES[resource_type]] = {
            "type": resource_type,
            "available": counts["available"],
            "total": counts["total"],
            "allocated": counts["allocated"],
            "quarantined": counts["quarantined"],
            "status": pool_status(counts["available"], counts["total"], thresholds=thresholds),
        }
    return result


def resource_stats() -> dict:
    """The seed's ``/api/resources/stats`` (plus the quarantined counts)."""
    by_type = {
        resource_type: counts for resource_type, counts in pool_counts().items() if counts["total"]
    }
    return {
        "total": sum(c["total"] for c in by_type.values()),
        "allocated": sum(c["allocated"] for c in by_type.values()),
        "available": sum(c["available"] for c in by_type.values()),
        "quarantined": sum(c["quarantined"] for c in by_type.values()),
        "by_type": by_type,
    }


@dataclass
class AvailabilityCheck:
    requested: int
    available_total: int
    resources: list[Resource]

    @property
    def enough(self) -> bool:
        return self.available_total >= self.requested


def check_availability(resource_type: str, count: int) -> AvailabilityCheck:
    """Whether ``count`` resources of the type are free, and which ones would be offered."""
    free = Resource.objects.filter(type=resource_type, status=ResourceStatus.AVAILABLE)
    return AvailabilityCheck(
        requested=count,
        available_total=free.count(),
        resources=list(free.order_by("identifier", "pk")[:count]),
    )


# --- monitoring ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Alert:
    level: str  # info | warning | critical
    source: str
    message: str
    timestamp: datetime


def alerts(*, now: datetime | None = None) -> list[Alert]:
    """Alerts from real conditions: licenses about to expire, pools running out, open
    anomalies. Most severe first."""
    now = now or timezone.now()
    found: list[Alert] = []
    days = licensing_settings()["expiring_notice_days"]
    expiring = License.objects.expiring_within(days, today=timezone.localdate(now)).count()
    if expiring:
        found.append(
            Alert(
                "warning",
                "expiring_licenses",
                f"{expiring} license{'s' if expiring != 1 else ''} expire within {days} days",
                now,
            )
        )
    for pool, info in pool_availability().items():
        if info["status"] == "ok" or not info["total"]:
            continue
        found.append(
            Alert(
                "critical" if info["status"] == "critical" else "warning",
                "resource_pool",
                f"Resource pool {pool} is {info['status']}: {info['available']} of "
                f"{info['total']} available",
                now,
            )
        )
    open_anomalies = Anomaly.objects.filter(resolved=False).aggregate(
        n=Count("id"), latest=Max("last_seen")
    )
    if open_anomalies["n"]:
        count = open_anomalies["n"]
        found.append(
            Alert(
                "warning",
                "anomalies",
                f"{count} unresolved anomal{'ies' if count != 1 else 'y'} in license usage",
                open_anomalies["latest"],
            )
        )
    order = {"critical": 0, "warning": 1, "info": 2}
    return sorted(found, key=lambda alert: order[alert.level])


def active_session_count(*, now: datetime | None = None) -> int:
    return queries.live_sessions(now=now).count()


def dashboard(*, now: datetime | None = None) -> dict:
    now = now or timezone.now()
    return {
        "metrics": {
            "total_licenses": License.objects.count(),
            "active_licenses": License.objects.with_status("active").count(),
            "total_customers": Customer.objects.count(),
            "active_sessions": active_session_count(now=now),
        },
        "alerts": alerts(now=now),
    }


def live_stats(*, now: datetime | None = None) -> dict:
    """``total_activations`` counts devices with an active activation."""
    now = now or timezone.now()
    return {
        "timestamp": now,
        "metrics": {
            "active_licenses": License.objects.with_status("active").count(),
            "total_activations": queries.activation_totals()["active"],
            "active_sessions": active_session_count(now=now),
            "heartbeats_per_minute": queries.heartbeats_last_minute(now=now),
        },
        "alerts": alerts(now=now),
    }


def anomaly_stats() -> dict:
    by_type = dict.fromkeys(AnomalyType.values, 0)
    for row in Anomaly.objects.values("type").annotate(n=Count("id")):
        by_type[row["type"]] = row["n"]
    return {
        "total_anomalies": sum(by_type.values()),
        "unresolved": Anomaly.objects.filter(resolved=False).count(),
        "by_type": by_type,
    }
