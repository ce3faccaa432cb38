"""Usage history for charts: peak and average concurrency per hour, day, week or month, overall
and per site, from the hourly rollup. Used for applications (their keystone features), single
features, and the dashboard."""

from __future__ import annotations

from bisect import bisect_right
from datetime import UTC, datetime

from django.db.models import FloatField, Func, Sum
from django.utils import timezone

from monitoring import analytics
from monitoring.models import Application, Feature, HourlyUsage, Site
from monitoring.queries import keystone_features

INTERVALS = ("hour", "day", "week", "month")
#: The longest range each interval may cover (keeps a series to a few thousand buckets).
MAX_RANGE_DAYS = {"hour": 31, "day": 731, "week": 3660, "month": 3660}
NO_SITE = "No site"


class Epoch(Func):
    """Seconds since 1970 of a datetime column, computed by the database: reading 10,000s of
    hours as numbers instead of aware datetimes keeps a year of history fast."""

    output_field = FloatField()

    def as_sql(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template="EXTRACT(EPOCH FROM %(expressions)s)")

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            compiler, connection, template="CAST(strftime('%%%%s', %(expressions)s) AS REAL)"
        )


def history(feature_ids, start: datetime, end: datetime, interval: str) -> dict:
    """Peak and average concurrency per bucket of ``[start, end)`` from the hourly rollups of
    ``feature_ids``, overall and per site.

    Buckets start in ``settings.TIME_ZONE`` (:func:`monitoring.analytics.bucket_starts`; the
    first is floored to the interval). Per clock hour the features' hourly peaks are summed
    (across servers and sites), and a bucket's ``peak`` is the highest of those hourly sums;
    that is an upper bound of the true simultaneous peak when two features peak at different
    moments of the same hour. ``average`` is license-seconds ÷ the bucket's seconds (the
    last bucket ends at ``end``)."""
    if interval not in INTERVALS:
        raise ValueError(f"unknown interval {interval!r}")
    local_start = timezone.localtime(start)
    starts = list(analytics.bucket_starts(local_start, end, interval))
    bounds = [s.astimezone(UTC) for s in starts] + [end.astimezone(UTC)]
    if not starts:
        return {"series": [], "by_site": []}
    rows = (
        HourlyUsage.objects.filter(
            feature_id__in=list(feature_ids), hour__gte=bounds[0], hour__lt=bounds[-1]
        )
        .order_by()
        .annotate(epoch=Epoch("hour"))
        .values("epoch", "server__site_id")
        .annotate(peak=Sum("peak"), seconds=Sum("license_seconds"))
        .values_list("epoch", "server__site_id", "peak", "seconds")
    )
    count = len(starts)
    epochs = [bound.timestamp() for bound in bounds]
    hourly_total: dict[float, list] = {}
    seconds = [0.0] * count
    sites: dict[object, dict] = {}
    for hour, site_id, peak, spent in rows:
        entry = hourly_total.get(hour)
        if entry is None:
            entry = hourly_total[hour] = [bisect_right(epochs, float(hour)) - 1, 0]
        index = entry[0]
        entry[1] += peak
        seconds[index] += spent
        site = sites.get(site_id)
        if site is None:
            site = sites[site_id] = {"peak": [0] * count, "sec": [0.0] * count}
        if peak > site["peak"][index]:
            site["peak"][index] = peak
        site["sec"][index] += spent
    names = dict(Site.objects.filter(pk__in=[k for k in sites if k]).values_list("pk", "name"))
    for site_id, site in sites.items():
        site["name"] = names.get(site_id, NO_SITE)
    peaks = [0] * count
    for index, total in hourly_total.values():
        if total > peaks[index]:
            peaks[index] = total
    lengths = [(bounds[i + 1] - bounds[i]).total_seconds() for i in range(count)]

    def average(value: float, index: int) -> float:
        return round(value / lengths[index], 3) if lengths[index] else 0.0

    series = [
        {
            "start": starts[i],
            "end": bounds[i + 1],
            "peak": peaks[i],
            "average": average(seconds[i], i),
            "license_hours": round(seconds[i] / 3600, 3),
        }
        for i in range(count)
    ]
    by_site = [
        {
            "site_id": key,
            "site": site["name"],
            "series": [
                {"start": starts[i], "peak": site["peak"][i], "average": average(site["sec"][i], i)}
                for i in range(count)
            ],
        }
        for key, site in sorted(sites.items(), key=lambda item: item[1]["name"])
    ]
    return {"series": series, "by_site": by_site}


def usage_history(app: Application, start: datetime, end: datetime, interval: str) -> dict:
    """:func:`history` of the application's keystone features."""
    ids = list(keystone_features(app).values_list("pk", flat=True))
    return history(ids, start, end, interval)


def feature_usage_history(feature: Feature, start: datetime, end: datetime, interval: str) -> dict:
    return history([feature.pk], start, end, interval)
