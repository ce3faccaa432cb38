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
from django.db.models import BigIntegerField, Func, Min, Q
from django.utils import timezone

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


class _EpochMicroseconds(Func):
    """A PostgreSQL timestamp as exact integer microseconds since the epoch: reading
    millions of sessions, building their datetimes is most of the client's time."""

    template = "(EXTRACT(EPOCH FROM %(expressions)s) * 1000000)::bigint"
    output_field = BigIntegerField()


def _overlapping(feature_ids: Iterable[int], start: datetime, end: datetime):
    """Sessions of ``feature_ids`` overlapping ``[start, end)``; on PostgreSQL with
    ``started_at`` / ``ended_at`` as epoch microseconds (see :func:`compute`)."""
    sessions = Session.objects.filter(feature_id__in=list(feature_ids), started_at__lt=end).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gt=start)
    )
    if connection.vendor == "postgresql":
        sessions = sessions.annotate(
            began_us=_EpochMicroseconds("started_at"), ended_us=_EpochMicroseconds("ended_at")
        )
        columns = ("feature_id", "server_id", "user_id", "began_us", "ended_us", "licenses")
    else:
        columns = ("feature_id", "server_id", "user_id", "started_at", "ended_at", "licenses")
    return sessions.order_by().values_list(*columns)


HOURLY_COLUMNS = ("feature_id", "server_id", "hour", "license_seconds", "peak", "users", "sessions")
DAILY_COLUMNS = ("user_id", "feature_id", "server_id", "day", "license_seconds", "sessions", "peak")


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def _us(value: datetime) -> int:
    """Microseconds since the epoch: exact integers, so sums need no datetime arithmetic."""
    return (value - _EPOCH) // _MICROSECOND


def _split(usages: list[tuple], bounds: list[int]) -> dict[int, list]:
    """:func:`monitoring.analytics.split_into_buckets` on integer instants (microseconds):
    ``[seat-microseconds, peak, users, sessions]`` per bucket touched.

    Seat-time and users come from each session's overlap with its buckets (exact integers);
    the peak from one sweep over the concurrency steps, each step raising the peak of the
    buckets it spans. No datetime or timedelta is built per step or bucket.
    """
    start, end = bounds[0], bounds[-1]
    deltas: dict[int, int] = {}
    figures: dict[int, list] = {}
    for began, ended, licenses, user in usages:
        if start <= began < end:
            index = bisect_right(bounds, began) - 1
            (figures.get(index) or figures.setdefault(index, [0, 0, set(), 0]))[3] += 1
        held_from = began if began > start else start
        held_to = ended if ended < end else end
        if licenses <= 0 or held_to <= held_from:
            continue
        deltas[held_from] = deltas.get(held_from, 0) + licenses
        deltas[held_to] = deltas.get(held_to, 0) - licenses
        first, last = bisect_right(bounds, held_from) - 1, bisect_left(bounds, held_to) - 1
        for index in range(first, last + 1):
            use = figures.get(index) or figures.setdefault(index, [0, 0, set(), 0])
            if first == last:
                use[0] += (held_to - held_from) * licenses
            else:
                edge_from, edge_to = max(held_from, bounds[index]), min(held_to, bounds[index + 1])
                use[0] += (edge_to - edge_from) * licenses
            use[2].add(user)
    level = 0
    instants = sorted(deltas)
    for position, instant in enumerate(instants):
        level += deltas[instant]
        if level <= 0:  # the last instant always brings the level back to 0
            continue
        # the step [instant, next instant) at ``level``: every bucket it reaches has a row
        first = bisect_right(bounds, instant) - 1
        last = bisect_left(bounds, instants[position + 1]) - 1
        for index in range(first, last + 1):
            use = figures[index]
            if level > use[1]:
                use[1] = level
    return figures


def _user_days_us(held: list[tuple], days: list[int]):
    """``(index, license_seconds, sessions, peak)`` per day bucket of one user's sessions of
    one feature (instants in microseconds). Sessions that never overlap (the usual case: one
    checkout after another) are summed directly; only overlapping ones need the concurrency
    profile for the peak."""
    held = sorted(held, key=itemgetter(0))
    latest_end = None
    for began, ended, _, _ in held:
        if latest_end is not None and began < latest_end:
            for index, use in _split(held, days).items():
                yield index, use[0] / 1e6, use[3], use[1]
            return
        latest_end = ended if latest_end is None else max(latest_end, ended)
    start, end = days[0], days[-1]
    figures: dict[int, list] = {}
    for began, ended, licenses, _ in held:
        if start <= began < end:
            figures.setdefault(bisect_right(days, began) - 1, [0, 0, 0])[1] += 1
        held_from, held_to = max(began, start), min(ended, end)
        if held_to <= held_from or licenses <= 0:
            continue
        for index in range(bisect_right(days, held_from) - 1, bisect_left(days, held_to)):
            use = figures.setdefault(index, [0, 0, 0])
            use[0] += (min(held_to, days[index + 1]) - max(held_from, days[index])) * licenses
            use[2] = max(use[2], licenses)
    for index, (held_us, sessions, peak) in figures.items():
        yield index, held_us / 1e6, sessions, peak


def _user_days(held: list[tuple], days: list[datetime]):
    """:func:`_user_days_us` for aware datetimes ``(started_at, ended_at, licenses, user)``."""
    held_us = [(_us(began), _us(ended), licenses, user) for began, ended, licenses, user in held]
    yield from _user_days_us(held_us, [_us(day) for day in days])


def compute(rows: Iterable[tuple], start: datetime, end: datetime, now: datetime):
    """Rollup rows for sessions ``rows`` (``feature_id, server_id, user_id, started_at,
    ended_at, licenses``; instants as aware datetimes or as integer microseconds since the
    epoch) over every hour and local day overlapping ``[start, end)``.

    Returns ``(hourly, daily, hour_range, day_range)``: row tuples in ``HOURLY_COLUMNS`` and
    ``DAILY_COLUMNS`` order and the half-open ranges of ``hour`` and ``day`` they replace.
    Instants are handled as integer microseconds: exact, and cheaper than datetime
    arithmetic over millions of sessions.
    """
    hours, days = _hours(start, end), _days(start, end)
    day_dates = [day.date() for day in days]
    hour_bounds, day_bounds = [_us(hour) for hour in hours], [_us(day) for day in days]
    now_us = _us(now)
    by_feature: dict[int, list] = defaultdict(list)
    servers: dict[int, int] = {}
    for feature_id, server_id, user_id, began, ended, licenses in rows:
        servers[feature_id] = server_id
        if type(began) is not int:
            began, ended = _us(began), None if ended is None else _us(ended)
        held_to = now_us if ended is None or ended > now_us else ended
        by_feature[feature_id].append((began, held_to, licenses, user_id))
    hourly, daily = [], []
    for feature_id, usages in by_feature.items():
        server_id = servers[feature_id]
        for index, (held_us, peak, users, sessions) in sorted(_split(usages, hour_bounds).items()):
            if held_us or sessions:
                hourly.append(
                    (feature_id, server_id, hours[index], round(held_us / 1e6, 3), peak,
                     len(users), sessions)
                )  # fmt: skip
        by_user: dict[int, list] = defaultdict(list)
        for usage in usages:
            by_user[usage[3]].append(usage)
        for user_id, held in by_user.items():
            for index, seconds, sessions, peak in _user_days_us(held, day_bounds):
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
