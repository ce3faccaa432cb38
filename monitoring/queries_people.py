"""Read-side aggregations about people: users, departments, usage per group and chargeback.

Everything is summed from the :class:`~monitoring.models.DailyUserUsage` rollup (one row per
user, feature and local day), so no function reads sessions except for "active now" and a
user's recent sessions. Periods are whole local days (``settings.TIME_ZONE``), both ends
included. Users without a department are grouped under :data:`NO_DEPARTMENT` ("(none)").
Each function runs a fixed number of queries whatever the number of rows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
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
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from monitoring.models import (
    Application,
    DailyUserUsage,
    Department,
    Deployment,
    Feature,
    HourlyUsage,
    LicenseServer,
    LicenseUser,
    Session,
    SessionStatus,
)
from monitoring.queries_inventory import MappingIndex

#: The group of users without a department, in department aggregates and URLs.
NO_DEPARTMENT = "(none)"
DEFAULT_DAYS = 30
TOP = 10
RECENT_SESSIONS = 20
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Period:
    """Local days ``first`` … ``last``, both included."""

    first: date
    last: date

    @classmethod
    def of(cls, first: date | None = None, last: date | None = None, days: int | None = None):
        """``last`` defaults to today (local), ``first`` to ``days`` (30) days before it."""
        last = last or timezone.localdate()
        first = first or last - timedelta(days=(days or DEFAULT_DAYS) - 1)
        return cls(first, last)

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def start(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.first, time.min))

    @property
    def end(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.last + timedelta(days=1), time.min))

    def dates(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range(self.days)]

    def rows(self) -> QuerySet[DailyUserUsage]:
        return DailyUserUsage.objects.filter(day__gte=self.first, day__lte=self.last)


def hours(seconds: float | None) -> float:
    return round((seconds or 0) / 3600, 2)


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


# Chargeback ---------------------------------------------------------------------------------


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def application_cost(application: Application, deployments, days: int) -> Decimal | None:
    """The cost of ``days`` days of the application: each deployment's ``annual_cost``, or
    else ``application.cost_per_seat * seats``, prorated by ``days / 365``. ``None`` when
    no deployment has a cost."""
    annual, known = Decimal(0), False
    for deployment in deployments:
        if deployment.annual_cost is not None:
            annual += deployment.annual_cost
            known = True
        elif application.cost_per_seat is not None and deployment.seats:
            annual += application.cost_per_seat * deployment.seats
            known = True
    return annual * days / 365 if known else None


def _charged_features(applications, deployments_of) -> dict[int, set[int]]:
    """Feature ids charged to each application: its keystone features (same name as the
    keystone, on every server it is deployed on, as ``queries.keystone_features``), or every
    feature of those servers when it has no keystone. One query for all applications."""
    servers = {d.server_id for deps in deployments_of.values() for d in deps}
    features = list(
        Feature.objects.filter(server_id__in=servers).values_list("id", "name", "server_id")
    )
    charged = {}
    for application in applications:
        on = {d.server_id for d in deployments_of[application.pk]}
        keystone = application.keystone_feature.name if application.keystone_feature else None
        charged[application.pk] = {
            pk for pk, name, server in features if server in on and keystone in (None, name)
        }
    return charged


def _seconds_by_department(period: Period, feature_ids=None) -> dict:
    """``{(department_id, feature_id): seconds}`` over ``period``."""
    rows = period.rows()
    if feature_ids is not None:
        rows = rows.filter(feature_id__in=feature_ids)
    grouped = rows.values("user__department_id", "feature_id").annotate(
        seconds=Sum("license_seconds")
    )
    return {(r["user__department_id"], r["feature_id"]): r["seconds"] for r in grouped}


def chargeback(period: Period, application: Application | None = None) -> dict:
    """Each department's share of license-hours and what it costs.

    With ``application``: hours of its charged features (keystone features, or every feature
    of its servers without a keystone), and the application's cost over the period split by
    those shares. Without: hours of every feature; each department's ``amount`` is the sum
    over every application with a cost of its cost split by the department's share of that
    application's hours. ``amounts`` holds the amount per currency; ``amount`` and
    ``currency`` are set when there is exactly one currency.
    """
    applications = list(
        Application.objects.select_related("keystone_feature").filter(
            **({"pk": application.pk} if application else {})
        )
    )
    deployments_of = defaultdict(list)
    for deployment in Deployment.objects.filter(application__in=applications):
        deployments_of[deployment.application_id].append(deployment)
    charged = _charged_features(applications, deployments_of)
    scope = charged.get(application.pk, set()) if application else None
    seconds = _seconds_by_department(period, scope)
    names = dict(Department.objects.values_list("pk", "name"))
    hours_of: dict = defaultdict(float)
    for (department, _), value in seconds.items():
        hours_of[department] += value
    amounts: dict = defaultdict(lambda: defaultdict(Decimal))
    for app in applications:
        cost = application_cost(app, deployments_of[app.pk], period.days)
        if cost is None:
            continue
        per_department = defaultdict(float)
        for (department, feature), value in seconds.items():
            if feature in charged[app.pk]:
                per_department[department] += value
        total = sum(per_department.values())
        for department, value in per_department.items():
            amounts[department][app.currency] += cost * Decimal(value / total)
    total_seconds = sum(hours_of.values())
    currencies = sorted({c for per in amounts.values() for c in per})
    single = currencies[0] if len(currencies) == 1 else None
    rows = []
    for department in set(hours_of) | set(amounts):
        money = {c: _money(v) for c, v in sorted(amounts[department].items())}
        rows.append(
            {
                "department_id": department,
                "department": names.get(department, NO_DEPARTMENT),
                "license_hours": hours(hours_of[department]),
                "share": round(100 * hours_of[department] / total_seconds, 2)
                if total_seconds
                else 0.0,
                "amount": money.get(single, Decimal("0.00")) if single else None,
                "amounts": money,
                "currency": single,
            }
        )
    rows.sort(key=lambda r: (-r["license_hours"], r["department"]))
    return {
        "from": period.first,
        "to": period.last,
        "application": {"id": application.pk, "name": application.name} if application else None,
        "currency": single,
        "license_hours": hours(total_seconds),
        "results": rows,
    }


# Departments --------------------------------------------------------------------------------


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


# Usage per group ----------------------------------------------------------------------------

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
