"""Read-side aggregations about people: users and departments (usage per group is in
``monitoring.queries_usage``, chargeback in ``monitoring.queries_chargeback``).

Everything is summed from the :class:`~monitoring.models.DailyUserUsage` rollup (one row per
user, feature and local day), so no function reads sessions except for "active now" and a
user's recent sessions. Periods are whole local days (``settings.TIME_ZONE``), both ends
included. Users without a department are grouped under :data:`NO_DEPARTMENT` ("(none)").
Each function runs a fixed number of queries whatever the number of rows.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import (
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from monitoring.models import (
    DailyUserUsage,
    Department,
    LicenseUser,
    Session,
    SessionStatus,
)
from monitoring.queries_chargeback import chargeback
from monitoring.queries_inventory import MappingIndex
from monitoring.usage_period import DEFAULT_DAYS, NO_DEPARTMENT, Period, hours

TOP = 10
RECENT_SESSIONS = 20


def _rollup(period: Period, field: str) -> Coalesce:
    """``SUM(field)`` of the user's rollup rows in ``period``, correlated on the user."""
    summed = (
        period.rows()
        .filter(user=OuterRef("pk"))
        .order_by()
        .values("user")
        .annotate(total=Sum(field))
        .values("total")
    )
    return Coalesce(
        Subquery(summed), 0, output_field=summed.query.annotations["total"].output_field
    )


def users_overview(days: int = DEFAULT_DAYS) -> QuerySet[LicenseUser]:
    """Users with their department and, over the last ``days`` local days,
    ``period_sessions``, ``license_seconds`` and ``license_hours``; ``active_sessions`` held now."""
    period = Period.of(days=days)
    active = (
        Session.objects.filter(user=OuterRef("pk"), status=SessionStatus.ACTIVE)
        .order_by()
        .values("user")
        .annotate(n=Count("*"))
        .values("n")
    )
    return (
        LicenseUser.objects.select_related("department")
        .annotate(
            period_sessions=_rollup(period, "sessions"),
            license_seconds=_rollup(period, "license_seconds"),
            active_sessions=Coalesce(Subquery(active, output_field=IntegerField()), 0),
        )
        .annotate(license_hours=ExpressionWrapper(F("license_seconds") / 3600.0, FloatField()))
        .order_by("username")
    )


def department_users(name: str, prefix: str = "") -> Q:
    """The users of the department called ``name`` (``(none)``: users without one);
    ``prefix`` (``"user__"``) to filter rollup rows by their user's department."""
    if name == NO_DEPARTMENT:
        return Q(**{f"{prefix}department__isnull": True})
    return Q(**{f"{prefix}department__name": name})


def _series(rows, period: Period) -> list[dict]:
    """One point per day of ``period``, zero on days without use."""
    by_day = {row["day"]: row for row in rows}
    series = []
    for day in period.dates():
        row = by_day.get(day, {})
        series.append(
            {
                "day": day,
                "sessions": row.get("sessions") or 0,
                "license_hours": hours(row.get("seconds")),
                "users": row.get("users") or 0,
            }
        )
    return series


def _top_features(rows: QuerySet, index: MappingIndex, limit: int = TOP) -> list[dict]:
    grouped = (
        rows.values("feature_id", "feature__name", "server_id", "server__name")
        .annotate(
            seconds=Sum("license_seconds"),
            sessions=Sum("sessions"),
            users=Count("user_id", distinct=True),
            last_day=Max("day"),
        )
        .order_by("-seconds", "feature__name")[:limit]
    )
    return [
        {
            "feature_id": row["feature_id"],
            "feature": row["feature__name"],
            "display_name": index.display_name(row["feature__name"], row["server_id"]),
            "server": row["server__name"],
            "sessions": row["sessions"],
            "license_hours": hours(row["seconds"]),
            "users": row["users"],
            "last_used": row["last_day"],
        }
        for row in grouped
    ]


def user_activity(user: LicenseUser, period: Period) -> dict:
    """Stats, top features, the daily series and recent sessions of ``user`` over ``period``.
    ``last_used`` per feature (all time, not only the period) gives ``days_since_last_use``
    counted from today; a feature held now is 0."""
    rows = period.rows().filter(user=user)
    totals = rows.aggregate(
        seconds=Sum("license_seconds"),
        sessions=Sum("sessions"),
        features=Count("feature_id", distinct=True),
        days=Count("day", distinct=True),
    )
    today = timezone.localdate()
    held = set(
        Session.objects.filter(user=user, status=SessionStatus.ACTIVE).values_list(
            "feature_id", flat=True
        )
    )
    last_used = []
    for row in (
        DailyUserUsage.objects.filter(user=user)
        .values("feature_id", "feature__name", "server__name")
        .annotate(last_day=Max("day"))
        .order_by("-last_day", "feature__name")
    ):
        since = 0 if row["feature_id"] in held else (today - row["last_day"]).days
        last_used.append(
            {
                "feature_id": row["feature_id"],
                "feature": row["feature__name"],
                "server": row["server__name"],
                "last_used": row["last_day"],
                "days_since_last_use": since,
            }
        )
    daily = rows.values("day").annotate(seconds=Sum("license_seconds"), sessions=Sum("sessions"))
    recent = (
        Session.objects.filter(user=user)
        .select_related("server", "feature", "user")
        .order_by("-started_at", "-id")[:RECENT_SESSIONS]
    )
    return {
        "username": user.username,
        "from": period.first,
        "to": period.last,
        "stats": {
            "sessions": totals["sessions"] or 0,
            "license_hours": hours(totals["seconds"]),
            "distinct_features": totals["features"],
            "days_active": totals["days"],
            "active_sessions": len(held),
        },
        "top_features": _top_features(rows, MappingIndex()),
        "last_used": last_used,
        "daily": [
            {k: v for k, v in point.items() if k != "users"} for point in _series(daily, period)
        ],
        "recent_sessions": list(recent),
    }


def departments_overview(
    period: Period, departments: QuerySet[Department] | None = None, include_none: bool = True
) -> list[dict]:
    """The ``departments`` (default: all) and, with ``include_none`` and users without a
    department, ``(none)`` last, with ``users``, ``active_users`` (with use in the period),
    ``sessions``, ``license_hours``, ``share`` (percent of all license-hours of the period)
    and ``amount`` (chargeback over every application, see :func:`chargeback`)."""
    departments = Department.objects.all() if departments is None else departments
    # per user, then per department in Python: a parallel hash aggregate without a join
    department_of = dict(LicenseUser.objects.values_list("id", "department_id"))
    counts: dict = defaultdict(int)
    for department in department_of.values():
        counts[department] += 1
    usage: dict = {}
    per_user = (
        period.rows()
        .order_by()
        .values("user_id")
        .annotate(sessions=Sum("sessions"), seconds=Sum("license_seconds"))
        .values_list("user_id", "sessions", "seconds")
    )
    for user, sessions, seconds in per_user:
        group = usage.setdefault(
            department_of.get(user), {"active": 0, "sessions": 0, "seconds": 0.0}
        )
        group["active"] += 1
        group["sessions"] += sessions
        group["seconds"] += seconds
    money = {row["department_id"]: row for row in chargeback(period)["results"]}
    total = sum(row["seconds"] for row in usage.values())
    groups = [(d.pk, d.name, d.cost_center) for d in departments.order_by("name")]
    if include_none and (None in counts or None in usage):
        groups.append((None, NO_DEPARTMENT, ""))
    rows = []
    for pk, name, cost_center in groups:
        use = usage.get(pk, {})
        charge = money.get(pk, {})
        rows.append(
            {
                "id": pk,
                "name": name,
                "cost_center": cost_center,
                "users": counts.get(pk, 0),
                "active_users": use.get("active", 0),
                "sessions": use.get("sessions") or 0,
                "license_hours": hours(use.get("seconds")),
                "share": round(100 * use["seconds"] / total, 2) if use and total else 0.0,
                "amount": charge.get("amount"),
                "amounts": charge.get("amounts", {}),
                "currency": charge.get("currency"),
            }
        )
    return rows


def department_activity(name: str, period: Period) -> dict:
    """Daily series (sessions, license-hours, distinct users), top features and top users of
    the department ``name`` (``(none)``: users without one) over ``period``."""
    rows = period.rows().filter(department_users(name, "user__"))
    daily = rows.values("day").annotate(
        seconds=Sum("license_seconds"),
        sessions=Sum("sessions"),
        users=Count("user_id", distinct=True),
    )
    totals = rows.aggregate(
        seconds=Sum("license_seconds"),
        sessions=Sum("sessions"),
        users=Count("user_id", distinct=True),
    )
    top_users = (
        rows.values("user__username", "user__display_name")
        .annotate(seconds=Sum("license_seconds"), sessions=Sum("sessions"))
        .order_by("-seconds", "user__username")[:TOP]
    )
    return {
        "department": name,
        "from": period.first,
        "to": period.last,
        "stats": {
            "active_users": totals["users"],
            "sessions": totals["sessions"] or 0,
            "license_hours": hours(totals["seconds"]),
        },
        "daily": _series(daily, period),
        "top_features": _top_features(rows, MappingIndex()),
        "top_users": [
            {
                "username": r["user__username"],
                "display_name": r["user__display_name"],
                "sessions": r["sessions"],
                "license_hours": hours(r["seconds"]),
            }
            for r in top_users
        ],
    }
