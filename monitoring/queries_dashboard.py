"""The dashboard figures, shared by ``GET /api/v1/dashboard/metrics`` and the panel dashboard.

:func:`dashboard_metrics` computes them (a fixed number of queries whatever the size of the
estate: the session table is only read through its ``ended_at`` index, usage through the
``HourlyUsage`` rollup); :func:`cached_dashboard_metrics` serves them from the shared cache
for ``analytics.dashboard_cache_seconds``. See ``docs/monitoring-dashboard.md`` for the
definition of each figure.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.core.cache import cache
from django.db.models import F, FloatField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Cast
from django.utils import timezone

from limon_site import config
from monitoring.conf import ANALYTICS, MONITORING
from monitoring.models import (
    Application,
    Feature,
    HourlyUsage,
    LicenseServer,
    ServerStatus,
    Session,
    SessionStatus,
)
from monitoring.queries import keystone_features, saturation_level
from monitoring.queries_inventory import MappingIndex, saturation_percent

#: Bump when the shape of the cached value changes, so workers never read an older shape.
CACHE_KEY = "monitoring:dashboard-metrics:v1"
#: Rows kept in each list (top saturated features, unused and expiring licenses).
TOP_SATURATED = 10
LIST_LIMIT = 50
USAGE_DAYS = 7


def _open_sessions():
    """Checkouts held now on in-service servers. ``ended_at IS NULL`` is what the index
    answers (a session is active exactly while it has no end, a model constraint)."""
    return Session.objects.filter(
        ended_at__isnull=True, status=SessionStatus.ACTIVE, server__is_active=True
    )


def _counted_features():
    """Present features of in-service servers with a counted total: what saturation uses."""
    return Feature.objects.filter(is_present=True, server__is_active=True, issued__gt=0)


def _ref(obj) -> dict | None:
    return {"id": obj.pk, "name": obj.name} if obj is not None else None


def _feature_row(feature: Feature, index: MappingIndex) -> dict:
    return {
        "feature_id": feature.pk,
        "name": feature.name,
        "display_name": index.display_name(feature.name, feature.server_id),
        "application": _ref(index.application(feature.name, feature.server_id)),
        "server": {"id": feature.server_id, "name": feature.server.name},
        "issued": feature.issued,
        "in_use": feature.in_use,
    }


def critical_saturation(threshold: int) -> list[dict]:
    """Critical applications whose keystone features (:func:`keystone_features`, summed over
    every deployment) are at or above ``threshold`` percent in use, most saturated first.
    One aggregate query for all applications."""
    apps = list(
        Application.objects.filter(is_critical=True, keystone_feature__isnull=False).order_by(
            "name"
        )
    )
    if not apps:
        return []
    sums = {}
    for app in apps:
        keystone = Q(pk__in=keystone_features(app).values("pk"))
        sums[f"in_use_{app.pk}"] = Sum("in_use", filter=keystone)
        sums[f"issued_{app.pk}"] = Sum("issued", filter=keystone)
    totals = _counted_features().aggregate(**sums)
    rows = []
    for app in apps:
        in_use, issued = totals[f"in_use_{app.pk}"] or 0, totals[f"issued_{app.pk}"] or 0
        percent = saturation_percent(in_use, issued)
        if percent is not None and percent >= threshold:
            rows.append(
                {
                    "application": _ref(app),
                    "in_use": in_use,
                    "issued": issued,
                    "saturation": percent,
                }
            )
    return sorted(rows, key=lambda row: (-row["saturation"], row["application"]["name"]))


def top_saturated(index: MappingIndex, threshold: int, limit: int = TOP_SATURATED) -> list[dict]:
    """The features with the highest in use ÷ issued (at least one seat in use)."""
    features = (
        _counted_features()
        .filter(in_use__gt=0)
        .select_related("server")
        .annotate(ratio=Cast(F("in_use"), FloatField()) / F("issued"))
        .order_by("-ratio", "-in_use", "server__name", "name")[:limit]
    )
    rows = []
    for feature in features:
        percent = saturation_percent(feature.in_use, feature.issued)
        rows.append(
            {
                **_feature_row(feature, index),
                "saturation": percent,
                "saturation_level": saturation_level(percent, threshold),
            }
        )
    return rows


def unused_licenses(index: MappingIndex, days: int, now: datetime) -> dict:
    """Features with issued seats that nobody held during the last ``days`` days (to the
    hour): no ``HourlyUsage`` hour ending after the cutoff and no checkout open now.
    ``last_used_at`` is the start of the last hour with use (``None``: none recorded)."""
    cutoff = now - timedelta(days=days)
    last_hour = HourlyUsage.objects.filter(feature=OuterRef("pk")).order_by("-hour").values("hour")
    features = list(
        _counted_features()
        .select_related("server")
        .annotate(last_used_at=Subquery(last_hour[:1]))
        .filter(Q(last_used_at__isnull=True) | Q(last_used_at__lte=cutoff - timedelta(hours=1)))
        .exclude(pk__in=_open_sessions().values("feature_id"))
        .order_by("-issued", "server__name", "name")
    )
    rows = [
        {**_feature_row(feature, index), "last_used_at": feature.last_used_at}
        for feature in features[:LIST_LIMIT]
    ]
    return {"days": days, "count": len(features), "features": rows}


def expiring_licenses(index: MappingIndex, days: int, now: datetime) -> dict:
    """Present features of in-service servers whose ``expires_on`` is from today (local date)
    to ``days`` days later, soonest first. Permanent features (no date) never expire."""
    today = timezone.localdate(now)
    features = list(
        Feature.objects.filter(
            is_present=True,
            server__is_active=True,
            expires_on__gte=today,
            expires_on__lte=today + timedelta(days=days),
        )
        .select_related("server")
        .order_by("expires_on", "server__name", "name")
    )
    rows = [
        {
            **_feature_row(feature, index),
            "expires_on": feature.expires_on,
            "days_left": (feature.expires_on - today).days,
        }
        for feature in features[:LIST_LIMIT]
    ]
    return {"days": days, "count": len(features), "features": rows}


def usage_series(now: datetime, days: int = USAGE_DAYS) -> list[dict]:
    """One point per UTC hour of the last ``days`` days, the current hour last, over every
    feature: ``average`` = seat-seconds ÷ 3600 (mean seats in use during the hour), ``peak`` =
    the sum of each feature's peak (seats at the busiest moment of each feature; an upper
    bound of the estate's simultaneous peak). Hours without use are 0."""
    last = now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    hours = [last - timedelta(hours=n) for n in range(days * 24 - 1, -1, -1)]
    totals = {
        row["hour"].astimezone(UTC): row
        for row in HourlyUsage.objects.filter(hour__gte=hours[0], hour__lte=last)
        .values("hour")
        .annotate(peak_sum=Sum("peak"), seconds=Sum("license_seconds"))
        .order_by()
    }
    series = []
    for hour in hours:
        row = totals.get(hour)
        series.append(
            {
                "hour": hour,
                "peak": row["peak_sum"] if row else 0,
                "average": round(row["seconds"] / 3600, 2) if row else 0.0,
            }
        )
    return series


def dashboard_metrics(now: datetime | None = None) -> dict:
    """Every dashboard figure, computed now (no cache)."""
    now = now or timezone.now()
    analytics = config.get(ANALYTICS)
    threshold = config.get(MONITORING)["saturation_threshold_percent"]
    in_service = LicenseServer.objects.filter(is_active=True)
    index = MappingIndex()
    open_sessions = _open_sessions()
    return {
        "generated_at": now,
        "cache_seconds": analytics["dashboard_cache_seconds"],
        "saturation_threshold_percent": threshold,
        "servers": {
            "online": in_service.filter(status=ServerStatus.UP).count(),
            "total": in_service.count(),
        },
        "active_sessions": open_sessions.count(),
        "active_users": open_sessions.values("user_id").distinct().count(),
        "critical_saturation": critical_saturation(threshold),
        "top_saturated": top_saturated(index, threshold),
        "unused": unused_licenses(index, analytics["unused_days"], now),
        "expiring": expiring_licenses(index, analytics["expiring_days"], now),
        "usage_7d": usage_series(now),
    }


def cached_dashboard_metrics() -> dict:
    """:func:`dashboard_metrics` through the shared cache. A hit reads nothing else (not even
    the configuration), so a settings change shows once the cached value expires;
    ``dashboard_cache_seconds`` 0 computes on every call."""
    metrics = cache.get(CACHE_KEY)
    if metrics is None:
        metrics = dashboard_metrics()
        if metrics["cache_seconds"] > 0:
            cache.set(CACHE_KEY, metrics, metrics["cache_seconds"])
    return metrics
