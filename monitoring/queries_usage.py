"""Usage per group (``GET /api/v1/usage`` and the panel's usage page): sessions,
license-hours, distinct users and peak concurrency per feature, user, server or day, from the
daily and hourly rollups."""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.db.models import Max, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from monitoring.models import Feature, HourlyUsage, LicenseServer, LicenseUser
from monitoring.queries_inventory import MappingIndex
from monitoring.usage_period import NO_DEPARTMENT, Period, hours

USAGE_GROUPS = ("feature", "user", "server", "day")
_GROUP_KEY = {"feature": "feature_id", "user": "user_id", "server": "server_id", "day": "day"}


def _peaks(group_by: str, period: Period) -> dict:
    """Peak concurrency per group from the hourly rollup: a feature's highest hourly peak;
    for a server or a day the highest peak of any one feature in it."""
    hourly = HourlyUsage.objects.filter(hour__gte=period.start, hour__lt=period.end).order_by()
    if group_by == "feature":
        key = "feature_id"
    elif group_by == "server":
        key = "server_id"
    else:
        hourly = hourly.annotate(day=TruncDate("hour", tzinfo=timezone.get_default_timezone()))
        key = "day"
    return dict(hourly.values(key).annotate(top=Max("peak")).values_list(key, "top"))


def _grouped(group_by: str, period: Period) -> list[tuple]:
    """``(key, seconds, sessions, users)`` per group; for users the fourth is the peak.

    Grouped by the bare key column (names are looked up afterwards), and distinct users
    counted by grouping per (key, user) first then counting rows: both stay a hash aggregate
    the database can run in parallel, where ``COUNT(DISTINCT)`` forces a sort."""
    key = _GROUP_KEY[group_by]
    rows = period.rows().order_by()
    if group_by == "user":
        return list(
            rows.values(key)
            .annotate(seconds=Sum("license_seconds"), sessions=Sum("sessions"), peak=Max("peak"))
            .values_list(key, "seconds", "sessions", "peak")
        )
    inner = rows.values(key, "user_id").annotate(
        seconds=Sum("license_seconds"), sessions=Sum("sessions")
    )
    sql, params = inner.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            # key is one of _GROUP_KEY, sql the ORM's own with its params: nothing user-made
            f"SELECT {key}, SUM(seconds), SUM(sessions), COUNT(*) FROM ({sql}) per_user "  # noqa: S608
            f"GROUP BY {key}",
            params,
        )
        found = cursor.fetchall()
    if group_by == "day":  # SQLite hands raw dates back as text
        found = [(d if isinstance(d, date) else date.fromisoformat(d), *r) for d, *r in found]
    return found


def _labels(group_by: str, keys: list) -> dict:
    if group_by == "feature":
        features = Feature.objects.filter(pk__in=keys).values_list(
            "id", "name", "server_id", "server__name"
        )
        return {pk: (name, server_id, server) for pk, name, server_id, server in features}
    if group_by == "user":
        users = LicenseUser.objects.values_list("id", "username", "department__name")
        return {pk: (name, department or NO_DEPARTMENT) for pk, name, department in users}
    if group_by == "server":
        return dict(LicenseServer.objects.values_list("id", "name"))
    return {}


def usage(group_by: str, period: Period) -> list[dict]:
    """Sessions, license-hours, distinct users and peak concurrency per ``group_by`` group
    (``feature``, ``user``, ``server`` or ``day``) over ``period``, most license-hours first
    (days in date order). Peak: see :func:`_peaks`; for a user, the most seats of one
    feature the user held at once. Three queries: the aggregate, the hourly peaks (the
    user's peak comes with the aggregate) and the group names."""
    found = _grouped(group_by, period)
    peaks = {} if group_by == "user" else _peaks(group_by, period)
    labels = _labels(group_by, [row[0] for row in found])
    index = MappingIndex() if group_by == "feature" else None
    rows = []
    for key, seconds, sessions, extra in found:
        out = {
            "key": str(key),
            "sessions": sessions or 0,
            "license_hours": hours(seconds),
            "users": 1 if group_by == "user" else extra,
            "peak": extra if group_by == "user" else peaks.get(key, 0),
        }
        if group_by == "feature":
            name, server_id, server = labels[key]
            display = index.display_name(name, server_id)
            out.update(feature_id=key, key=name, display_name=display, server=server)
        elif group_by == "user":
            out.update(key=labels[key][0], department=labels[key][1])
        elif group_by == "server":
            out.update(server_id=key, key=labels[key])
        else:
            out.update(key=key.isoformat())
        rows.append((seconds or 0, out))
    if group_by == "day":
        rows.sort(key=lambda pair: pair[1]["key"])
    else:
        rows.sort(key=lambda pair: (-pair[0], pair[1]["key"]))
    return [out for _, out in rows]
