"""Read-side analytics of applications, shared by the API, the panel pages and ``/metrics``.

The keystone rule holds throughout: application-level users and concurrency come only from
the application's keystone features (features named like its keystone, on the servers it is
deployed on, see :func:`monitoring.queries.keystone_features`), so toolbox checkouts never
double-count.

* Live figures (in use now, issued, active users now) are the latest poll's.
* Seat figures (peak, P95, recommended seats, license-hours, time at capacity, distinct users)
  are exact, from the keystone sessions over the last ``recommendation_days`` days
  (:func:`monitoring.analytics.profile`).
* Usage history and feature history (:mod:`monitoring.queries_history`) come from
  :class:`~monitoring.models.HourlyUsage`; top users from
  :class:`~monitoring.models.DailyUserUsage`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Count,
    DateTimeField,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from limon_site import config
from monitoring import analytics
from monitoring.conf import ANALYTICS
from monitoring.models import (
    Application,
    DailyUserUsage,
    Deployment,
    Feature,
    Session,
    SessionStatus,
)
from monitoring.queries import keystone_features
from monitoring.queries_inventory import MappingIndex

TOP_BY = ("sessions", "hours")


def _subquery_total(queryset: QuerySet, group: str, aggregate) -> Subquery:
    return Subquery(
        queryset.order_by().values(group).annotate(total=aggregate).values("total")[:1],
        output_field=IntegerField(),
    )


def applications_metrics() -> QuerySet[Application]:
    """Applications by name with, in a fixed number of queries whatever their number:
    ``deployments_count``, ``seats_owned`` (sum of deployment seats, ``None`` if none set),
    ``in_use_now`` / ``issued_now`` (keystone features at the latest poll; issued ``None`` when
    uncounted) and ``active_users_now`` (distinct users of active keystone sessions)."""
    keystone = Feature.objects.filter(
        name=OuterRef("keystone_feature__name"), server__deployments__application=OuterRef("pk")
    )
    active = Session.objects.filter(
        status=SessionStatus.ACTIVE,
        feature__name=OuterRef("keystone_feature__name"),
        server__deployments__application=OuterRef("pk"),
    )
    deployments = Deployment.objects.filter(application=OuterRef("pk"))
    return (
        Application.objects.select_related("keystone_feature", "keystone_feature__server")
        .annotate(
            deployments_count=Coalesce(
                _subquery_total(deployments, "application", Count("*")), Value(0)
            ),
            seats_owned=_subquery_total(deployments, "application", Sum("seats")),
            in_use_now=Coalesce(_subquery_total(keystone, "name", Sum("in_use")), Value(0)),
            issued_now=_subquery_total(keystone, "name", Sum("issued")),
            active_users_now=Coalesce(
                _subquery_total(active, "status", Count("user_id", distinct=True)), Value(0)
            ),
        )
        .order_by("name")
    )


@dataclass
class ApplicationMetrics:
    """Seat figures of one application (see the module docstring and
    docs/monitoring-applications.md for how each is computed)."""

    window_days: int
    seats_owned: int | None
    in_use_now: int
    issued_now: int | None
    active_users_now: int
    peak: int
    p95: int
    average: float
    peak_floor: int | None
    recommended_seats: int
    surplus_seats: int | None
    cost_per_seat: Decimal | None
    cost_source: str
    currency: str
    unused_cost: Decimal | None
    distinct_users: int
    license_hours: float
    time_at_capacity_hours: float | None


def business_days(today: date, count: int) -> list[date]:
    """The ``count`` most recent Monday to Friday dates up to and including ``today``."""
    days, cursor = [], today
    while len(days) < count:
        if cursor.weekday() < 5:
            days.append(cursor)
        cursor -= timedelta(days=1)
    return days


def _local_midnight(day: date) -> datetime:
    zone = timezone.get_default_timezone()
    return datetime(day.year, day.month, day.day, tzinfo=zone)


def _cost_per_seat(app: Application, deployments: list[Deployment]) -> tuple[Decimal | None, str]:
    """Annual cost ÷ seats of the deployments where both are set, else the application's
    cost per seat."""
    priced = [d for d in deployments if d.annual_cost is not None and d.seats]
    if priced:
        total = sum((d.annual_cost for d in priced), Decimal(0))
        return total / sum(d.seats for d in priced), "deployments"
    if app.cost_per_seat is not None:
        return app.cost_per_seat, "application"
    return None, ""


def metrics_for(applications, *, now: datetime | None = None) -> dict[int, ApplicationMetrics]:
    """:class:`ApplicationMetrics` per application id, in four queries for any number of
    applications (keystone features, deployments, active users, keystone sessions)."""
    now = now or timezone.now()
    settings = config.get(ANALYTICS)
    apps = {app.pk: app for app in applications}
    if not apps:
        return {}
    window_days = settings["recommendation_days"]
    floor_days = settings["peak_floor_business_days"]
    start = now - timedelta(days=window_days)
    floor_dates = business_days(timezone.localtime(now).date(), floor_days) if floor_days else []
    load_from = min([start] + [_local_midnight(d) for d in floor_dates])

    keystone_names = {
        pk: app.keystone_feature.name for pk, app in apps.items() if app.keystone_feature_id
    }
    features: dict[int, list] = defaultdict(list)
    owner: dict[int, int] = {}
    rows = Feature.objects.filter(
        name__in=set(keystone_names.values()),
        server__deployments__application__in=list(keystone_names),
    ).values_list("id", "name", "in_use", "issued", "server__deployments__application_id")
    for feature_id, name, in_use, issued, app_id in rows:
        if keystone_names.get(app_id) == name:
            features[app_id].append((in_use, issued))
            owner[feature_id] = app_id
    deployments: dict[int, list[Deployment]] = defaultdict(list)
    for deployment in Deployment.objects.filter(application__in=list(apps)):
        deployments[deployment.application_id].append(deployment)
    usages: dict[int, list] = defaultdict(list)
    # "held after load_from" as one expression: a condition on the bare ``ended_at`` lets
    # PostgreSQL OR together ended_at index scans over every feature's sessions (0.4 s at
    # 3 M sessions) where the feature index alone finds these few thousand rows.
    sessions = (
        Session.objects.filter(feature_id__in=list(owner), started_at__lt=now)
        .alias(held_until=Coalesce("ended_at", Value(now, output_field=DateTimeField())))
        .filter(held_until__gt=load_from)
        .order_by()
        .values_list("feature_id", "started_at", "ended_at", "licenses", "user_id", "status")
    )
    active_users: dict[int, set] = defaultdict(set)
    for feature_id, began, ended, licenses, user_id, status in sessions:
        app_id = owner[feature_id]
        usages[app_id].append((began, ended, licenses, user_id))
        if status == SessionStatus.ACTIVE:
            active_users[app_id].add(user_id)

    result = {}
    for pk, app in apps.items():
        result[pk] = _metrics(
            app, features[pk], deployments[pk], usages[pk], active_users[pk],
            start=start, now=now, floor_dates=floor_dates, settings=settings,
        )  # fmt: skip
    return result


def _metrics(app, features, deployments, usages, active_users, *, start, now, floor_dates,
             settings) -> ApplicationMetrics:  # fmt: skip
    in_window = [(s, e, n) for s, e, n, _ in usages if e is None or e > start]
    profile = analytics.profile(in_window, start, now)
    users = {u for s, e, n, u in usages if (e is None or e > start) and n > 0}
    peak_floor = None
    if floor_dates:
        plain = [(s, e, n) for s, e, n, _ in usages]
        peaks = []
        for day in floor_dates:
            day_start = _local_midnight(day)
            day_end = min(_local_midnight(day + timedelta(days=1)), now)
            if day_end > day_start:
                peaks.append(analytics.profile(plain, day_start, day_end).peak)
        peak_floor = max(peaks, default=0)
    p95 = profile.percentile(0.95) if profile.seconds else 0
    recommended = analytics.recommended_seats(
        p95, headroom_percent=settings["headroom_percent"], peak_floor=peak_floor
    )
    seated = [d.seats for d in deployments if d.seats is not None]
    owned = sum(seated) if seated else None
    surplus = max(owned - recommended, 0) if owned is not None else None
    cost_per_seat, source = _cost_per_seat(app, deployments)
    unused = None
    if surplus is not None and cost_per_seat is not None:
        unused = (surplus * cost_per_seat).quantize(Decimal("0.01"), ROUND_HALF_UP)
    issued_values = [issued for _, issued in features if issued is not None]
    issued = sum(issued_values) if issued_values else None
    at_capacity = None
    if issued:
        at_capacity = round(profile.time_at_or_above(issued).total_seconds() / 3600, 3)
    return ApplicationMetrics(
        window_days=settings["recommendation_days"],
        seats_owned=owned,
        in_use_now=sum(in_use for in_use, _ in features),
        issued_now=issued,
        active_users_now=len(active_users),
        peak=profile.peak,
        p95=p95,
        average=round(profile.average, 3),
        peak_floor=peak_floor,
        recommended_seats=recommended,
        surplus_seats=surplus,
        cost_per_seat=None if cost_per_seat is None else cost_per_seat.quantize(Decimal("0.01")),
        cost_source=source,
        currency=app.currency,
        unused_cost=unused,
        distinct_users=len(users),
        license_hours=round(profile.license_hours, 3),
        time_at_capacity_hours=at_capacity,
    )


def application_metrics(app: Application, *, now: datetime | None = None) -> ApplicationMetrics:
    return metrics_for([app], now=now)[app.pk]


# --- users and sessions ------------------------------------------------------------------


def top_users(app: Application, *, by: str = "hours", days: int = 30, limit: int = 10,
              now: datetime | None = None) -> list[dict]:  # fmt: skip
    """Users of the keystone features over the last ``days`` local days (today included),
    ranked by ``sessions`` or license-``hours``, from the daily rollups."""
    if by not in TOP_BY:
        raise ValueError(f"unknown ranking {by!r}")
    today = timezone.localtime(now or timezone.now()).date()
    first = today - timedelta(days=days - 1)
    ids = list(keystone_features(app).values_list("pk", flat=True))
    order = "-sessions" if by == "sessions" else "-seconds"
    rows = (
        DailyUserUsage.objects.filter(feature_id__in=ids, day__gte=first, day__lte=today)
        .order_by()
        .values("user_id", "user__username", "user__display_name", "user__department__name")
        .annotate(
            sessions=Sum("sessions"),
            seconds=Sum("license_seconds"),
            days_active=Count("day", distinct=True),
        )
        .order_by(order, "-seconds" if by == "sessions" else "-sessions", "user__username")[:limit]
    )
    return [
        {
            "username": row["user__username"],
            "display_name": row["user__display_name"],
            "department": row["user__department__name"],
            "sessions": row["sessions"],
            "license_hours": round(row["seconds"] / 3600, 3),
            "days_active": row["days_active"],
        }
        for row in rows
    ]


def application_feature_ids(app: Application) -> list[int]:
    """The keystone features plus every feature of the deployed servers that the feature
    mappings attribute to the application (its toolboxes)."""
    ids = set(keystone_features(app).values_list("pk", flat=True))
    index = MappingIndex()
    for pk, name, server_id in Feature.objects.filter(
        server__deployments__application=app
    ).values_list("pk", "name", "server_id"):
        mapped = index.application(name, server_id)
        if mapped is not None and mapped.pk == app.pk:
            ids.add(pk)
    return sorted(ids)


def active_sessions(app: Application) -> QuerySet[Session]:
    """Active sessions of :func:`application_feature_ids`, oldest first."""
    return (
        Session.objects.filter(
            status=SessionStatus.ACTIVE, feature_id__in=application_feature_ids(app)
        )
        .select_related("feature", "user", "server", "server__site")
        .order_by("started_at", "id")
    )


def application_features(app: Application) -> QuerySet[Feature]:
    """Features of the servers the application is deployed on, by name and server."""
    return (
        Feature.objects.filter(server__deployments__application=app)
        .select_related("server")
        .order_by("name", "server__name")
    )


def concurrent_users_gauge() -> list[tuple[str, int]]:
    """``(application name, distinct users with an active keystone session)`` for every
    application with a keystone."""
    return list(
        applications_metrics()
        .filter(keystone_feature__isnull=False)
        .values_list("name", "active_users_now")
    )
