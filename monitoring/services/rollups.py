"""Keeps the usage rollups (:class:`~monitoring.models.HourlyUsage`,
:class:`~monitoring.models.DailyUserUsage`) up to date.

A rollup row is always recomputed whole from the sessions overlapping its hour or day, never
incremented, so refreshing a period twice, or a poll and an import refreshing the same hour,
gives the same rows. What makes it incremental is the window: a poll refreshes the hours
since the server's ``rolled_up_until`` watermark, a log-import batch the hours its new
sessions span. Sessions still held count up to ``now``; the partial current hour and day are
completed by the next poll.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from operator import itemgetter

from django.db import connection, transaction
from django.db.models import Min, Q
from django.utils import timezone

from monitoring.analytics import split_into_buckets
from monitoring.models import DailyUserUsage, Feature, HourlyUsage, LicenseServer, Session

#: Rows inserted per statement.
BATCH_SIZE = 5000
#: Features read together when rebuilding: bounds the sessions held in memory at once.
REBUILD_FEATURES = 20


def _hours(start: datetime, end: datetime) -> list[datetime]:
    """UTC hour boundaries covering ``[start, end)``, both ends included."""
    first = start.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    bounds = [first]
    while bounds[-1] < end:
        bounds.append(bounds[-1] + timedelta(hours=1))
    return bounds


def _days(start: datetime, end: datetime) -> list[datetime]:
    """Local midnights (``settings.TIME_ZONE``) covering ``[start, end)``, both ends included.
    Days step on the wall clock, so a daylight-saving day is 23 or 25 hours long."""
    zone = timezone.get_default_timezone()
    bounds = [start.astimezone(zone).replace(hour=0, minute=0, second=0, microsecond=0)]
    while bounds[-1] < end:
        bounds.append(bounds[-1] + timedelta(days=1))
    return bounds


def _overlapping(feature_ids: Iterable[int], start: datetime, end: datetime):
    return (
        Session.objects.filter(feature_id__in=list(feature_ids), started_at__lt=end)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gt=start))
        .order_by("feature_id")
        .values_list("feature_id", "server_id", "user_id", "started_at", "ended_at", "licenses")
    )


HOURLY_COLUMNS = ("feature_id", "server_id", "hour", "license_seconds", "peak", "users", "sessions")
DAILY_COLUMNS = ("user_id", "feature_id", "server_id", "day", "license_seconds", "sessions", "peak")


def _user_days(held: list[tuple], days: list[datetime]):
    """``(index, license_seconds, sessions, peak)`` per day bucket of one user's sessions of
    one feature. Sessions that never overlap (the usual case: one checkout after another)
    are summed directly; only overlapping ones need the concurrency profile for the peak."""
    held = sorted(held, key=itemgetter(0))
    latest_end = None
    for began, ended, _, _ in held:
        if latest_end is not None and began < latest_end:
            for index, use in split_into_buckets(held, days).items():
                yield index, use.license_seconds, use.sessions, use.peak
            return
        latest_end = ended if latest_end is None else max(latest_end, ended)
    start, end = days[0], days[-1]
    figures: dict[int, list] = {}
    for began, ended, licenses, _ in held:
        if start <= began < end:
            figures.setdefault(bisect_right(days, began) - 1, [0.0, 0, 0])[1] += 1
        held_from, held_to = max(began, start), min(ended, end)
        if held_to <= held_from or licenses <= 0:
            continue
        for index in range(bisect_right(days, held_from) - 1, bisect_left(days, held_to)):
            seconds = (min(held_to, days[index + 1]) - max(held_from, days[index])).total_seconds()
            use = figures.setdefault(index, [0.0, 0, 0])
            use[0] += seconds * licenses
            use[2] = max(use[2], licenses)
    for index, (seconds, sessions, peak) in figures.items():
        yield index, seconds, sessions, peak


def compute(rows: Iterable[tuple], start: datetime, end: datetime, now: datetime):
    """Rollup rows for sessions ``rows`` (``feature_id, server_id, user_id, started_at,
    ended_at, licenses``) over every hour and local day overlapping ``[start, end)``.

    Returns ``(hourly, daily, hour_range, day_range)``: row tuples in ``HOURLY_COLUMNS`` and
    ``DAILY_COLUMNS`` order and the half-open ranges of ``hour`` and ``day`` they replace.
    """
    hours, days = _hours(start, end), _days(start, end)
    day_dates = [day.date() for day in days]
    days_utc = [day.astimezone(UTC) for day in days]
    by_feature: dict[int, list] = defaultdict(list)
    servers: dict[int, int] = {}
    for feature_id, server_id, user_id, began, ended, licenses in rows:
        servers[feature_id] = server_id
        by_feature[feature_id].append((began, min(ended or now, now), licenses, user_id))
    hourly, daily = [], []
    for feature_id, usages in by_feature.items():
        server_id = servers[feature_id]
        for index, use in sorted(split_into_buckets(usages, hours).items()):
            if use.license_seconds or use.sessions:
                hourly.append(
                    (feature_id, server_id, hours[index], round(use.license_seconds, 3),
                     use.peak, len(use.users), use.sessions)
                )  # fmt: skip
        by_user: dict[int, list] = defaultdict(list)
        for usage in usages:
            by_user[usage[3]].append(usage)
        for user_id, held in by_user.items():
            for index, seconds, sessions, peak in _user_days(held, days_utc):
                if seconds or sessions:
                    daily.append(
                        (user_id, feature_id, server_id, day_dates[index], round(seconds, 3),
                         sessions, peak)
                    )  # fmt: skip
    return hourly, daily, (hours[0], hours[-1]), (day_dates[0], day_dates[-1])


def _insert(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Plain inserts of rows known to be new (their period was just deleted under the server
    lock): ``COPY`` on PostgreSQL, batched ``executemany`` elsewhere."""
    if not rows:
        return
    table = model._meta.db_table
    names = ", ".join(columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        fields = [model._meta.get_field(name.removesuffix("_id")) for name in columns]
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608
        for offset in range(0, len(rows), BATCH_SIZE):
            cursor.executemany(
                sql,
                [
                    [f.get_db_prep_value(v, connection) for f, v in zip(fields, row, strict=True)]
                    for row in rows[offset : offset + BATCH_SIZE]
                ],
            )


@transaction.atomic
def refresh(feature_ids: Iterable[int], start: datetime, end: datetime, *, now=None) -> int:
    """Recompute the rollups of ``feature_ids`` for every hour and local day overlapping
    ``[start, end)`` (capped at ``now``). Returns the number of rows written.

    The features' servers are locked (``SELECT … FOR UPDATE``) for the transaction, so a poll
    and a log import refreshing the same server take turns.
    """
    now = now or timezone.now()
    feature_ids = sorted(set(feature_ids))
    end = min(end, now)
    if not feature_ids or end <= start:
        return 0
    server_ids = sorted(
        set(Feature.objects.filter(pk__in=feature_ids).values_list("server_id", flat=True))
    )
    list(LicenseServer.objects.select_for_update().filter(pk__in=server_ids).order_by("pk"))
    hours, days = _hours(start, end), _days(start, end)
    window = (min(hours[0], days[0]), max(hours[-1], days[-1]))
    hourly, daily, hour_range, day_range = compute(
        _overlapping(feature_ids, *window), start, end, now
    )
    HourlyUsage.objects.filter(
        feature_id__in=feature_ids, hour__gte=hour_range[0], hour__lt=hour_range[1]
    ).delete()
    DailyUserUsage.objects.filter(
        feature_id__in=feature_ids, day__gte=day_range[0], day__lt=day_range[1]
    ).delete()
    _insert(HourlyUsage, HOURLY_COLUMNS, hourly)
    _insert(DailyUserUsage, DAILY_COLUMNS, daily)
    return len(hourly) + len(daily)


def refresh_server(server: LicenseServer, *, now: datetime, since: datetime | None = None) -> int:
    """After a poll of ``server`` at ``now``: refresh from its watermark (or from ``since``
    when earlier, e.g. a checkout reported with an older start) and move the watermark to
    ``now``. A server never rolled up is rebuilt from its first session."""
    watermark = (
        LicenseServer.objects.select_for_update()
        .values_list("rolled_up_until", flat=True)
        .get(pk=server.pk)
    )
    start = watermark
    if start is None:
        start = server.sessions.aggregate(first=Min("started_at"))["first"]
    if since is not None:
        start = min(start, since) if start else since
    written = 0
    if start is not None and start < now:
        features = server.features.values_list("pk", flat=True)
        written = refresh(features, start, now, now=now)
    server.rolled_up_until = max(watermark, now) if watermark else now
    LicenseServer.objects.filter(pk=server.pk).update(rolled_up_until=server.rolled_up_until)
    return written


def rebuild(
    *,
    servers: Iterable[LicenseServer] | None = None,
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Recompute every rollup from the sessions, a few features at a time (``progress(done,
    total)`` after each group). For a first install, after a bulk load, or to repair."""
    now = now or timezone.now()
    targets = list(servers) if servers is not None else list(LicenseServer.objects.all())
    feature_ids = [
        pk
        for server in targets
        for pk in server.features.order_by("pk").values_list("pk", flat=True)
    ]
    written = 0
    for offset in range(0, len(feature_ids), REBUILD_FEATURES):
        group = feature_ids[offset : offset + REBUILD_FEATURES]
        first = Session.objects.filter(feature_id__in=group).aggregate(first=Min("started_at"))
        if first["first"] is not None:
            written += refresh(group, first["first"], now, now=now)
        if progress is not None:
            progress(min(offset + REBUILD_FEATURES, len(feature_ids)), len(feature_ids))
    LicenseServer.objects.filter(pk__in=[s.pk for s in targets]).update(rolled_up_until=now)
    return written
