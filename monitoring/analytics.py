"""Usage figures computed from exact session intervals (pure functions, no Django).

A *usage* is ``(started_at, ended_at, licenses)``: ``ended_at`` ``None`` means still held.
Every figure is time-weighted over a window ``[start, end)``: a session is clipped to the
window, so sessions crossing midnight or a month end count in each bucket for the part they
spend there. Datetimes must all be aware (or all naive) — the caller chooses the zone in which
buckets start (a day starts at local midnight).

Concurrency is a step function of time; figures are read off its steps:

* ``license_hours``: the integral of concurrency, in hours.
* ``average``: license-hours ÷ window length (time-weighted utilisation times issued).
* ``peak``: the highest level reached inside the window.
* ``percentile(q)``: the smallest level ``L`` such that concurrency is ``≤ L`` for at least a
  fraction ``q`` of the window (P95 = the seats that would have sufficed 95 % of the time).
* ``time_at_or_above(level)``: how long concurrency stayed at ``level`` or more (time at
  capacity when ``level`` is the issued total).
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

Usage = tuple[datetime, datetime | None, int]


@dataclass(frozen=True, slots=True)
class Profile:
    """Concurrency over a window: ``steps`` are ``(from, to, level)`` covering it in order."""

    start: datetime
    end: datetime
    steps: tuple[tuple[datetime, datetime, int], ...]

    @property
    def seconds(self) -> float:
        return (self.end - self.start).total_seconds()

    @property
    def license_hours(self) -> float:
        return sum((b - a).total_seconds() * level for a, b, level in self.steps) / 3600

    @property
    def average(self) -> float:
        return self.license_hours * 3600 / self.seconds if self.seconds else 0.0

    @property
    def peak(self) -> int:
        return max((level for _, _, level in self.steps), default=0)

    def percentile(self, q: float) -> int:
        if not 0 < q <= 1:
            raise ValueError("q must be in (0, 1]")
        if not self.seconds:
            return 0
        time_at_level: dict[int, float] = {}
        for a, b, level in self.steps:
            time_at_level[level] = time_at_level.get(level, 0.0) + (b - a).total_seconds()
        covered = 0.0
        for level in sorted(time_at_level):
            covered += time_at_level[level]
            # a tolerance for float sums: 95 % of the window must not miss by rounding
            if covered >= q * self.seconds - 1e-6:
                return level
        return self.peak

    def time_at_or_above(self, level: int) -> timedelta:
        seconds = sum((b - a).total_seconds() for a, b, lvl in self.steps if lvl >= level)
        return timedelta(seconds=seconds)


def profile(usages: Iterable[Usage], start: datetime, end: datetime) -> Profile:
    """The concurrency step function of ``usages`` clipped to ``[start, end)``."""
    start, end = _absolute(start), _absolute(end)
    if end < start:
        raise ValueError("end before start")
    deltas: dict[datetime, int] = {}
    for began, ended, licenses in usages:
        began = max(_absolute(began), start)
        ended = end if ended is None else min(_absolute(ended), end)
        if ended <= began or licenses <= 0:
            continue
        deltas[began] = deltas.get(began, 0) + licenses
        deltas[ended] = deltas.get(ended, 0) - licenses
    steps = []
    level, cursor = 0, start
    for instant in sorted(deltas):
        if instant > cursor:
            steps.append((cursor, instant, level))
            cursor = instant
        level += deltas[instant]
    if cursor < end:
        steps.append((cursor, end, level))
    return Profile(start, end, tuple(steps))


def _absolute(value: datetime) -> datetime:
    """UTC for aware datetimes: Python subtracts two datetimes of the same zone on the wall
    clock, which is an hour off across a daylight-saving change."""
    return value.astimezone(UTC) if value.tzinfo is not None else value


def bucket_starts(start: datetime, end: datetime, interval: str) -> Iterator[datetime]:
    """Bucket boundaries from ``start`` (floored to the interval) to ``end``.

    ``interval``: ``hour``, ``day``, ``week`` (Monday) or ``month``. Days start at midnight of
    ``start``'s zone; day steps use calendar arithmetic on the wall clock, so a day of a
    daylight-saving change is one bucket of 23 or 25 hours (measure it in UTC).
    """
    if interval == "hour":
        cursor = start.replace(minute=0, second=0, microsecond=0)
    else:
        cursor = start.replace(hour=0, minute=0, second=0, microsecond=0)
        if interval == "week":
            cursor -= timedelta(days=cursor.weekday())
        elif interval == "month":
            cursor = cursor.replace(day=1)
        elif interval != "day":
            raise ValueError(f"unknown interval {interval!r}")
    while cursor < end:
        yield cursor
        cursor = _next_bucket(cursor, interval)


def _next_bucket(cursor: datetime, interval: str) -> datetime:
    # Aware datetimes add on the wall clock (zoneinfo recomputes the offset), as buckets should.
    if interval == "hour":
        return cursor + timedelta(hours=1)
    if interval == "day":
        return cursor + timedelta(days=1)
    if interval == "week":
        return cursor + timedelta(days=7)
    year, month = (cursor.year + 1, 1) if cursor.month == 12 else (cursor.year, cursor.month + 1)
    return cursor.replace(year=year, month=month)


@dataclass(frozen=True, slots=True)
class Bucket:
    start: datetime
    end: datetime
    peak: int
    average: float
    license_hours: float


def series(usages: Iterable[Usage], start: datetime, end: datetime, interval: str) -> list[Bucket]:
    """Peak, time-weighted average and license-hours per bucket of ``[start, end)``."""
    usages = list(usages)
    starts = list(bucket_starts(start, end, interval))
    buckets = []
    for index, bucket_start in enumerate(starts):
        bucket_end = starts[index + 1] if index + 1 < len(starts) else end
        clipped_start = max(bucket_start, start)
        figures = profile(usages, clipped_start, bucket_end)
        buckets.append(
            Bucket(
                bucket_start,
                bucket_end,
                figures.peak,
                round(figures.average, 3),
                round(figures.license_hours, 3),
            )
        )
    return buckets


def recommended_seats(
    p95: int, *, headroom_percent: float = 10.0, peak_floor: int | None = None
) -> int:
    """Seats to own: P95 concurrency plus headroom (rounded up), never below ``peak_floor``
    (e.g. the peak of the last N business days) when given."""
    seats = math.ceil(p95 * (1 + headroom_percent / 100) - 1e-9) if p95 else 0
    if peak_floor is not None:
        seats = max(seats, peak_floor)
    return seats


@dataclass(slots=True)
class BucketUse:
    """What happened in one bucket: seat-seconds, the highest concurrency, the users who held
    a seat at some moment and the checkouts that started in it."""

    license_seconds: float = 0.0
    peak: int = 0
    users: set = field(default_factory=set)
    sessions: int = 0


def split_into_buckets(
    usages: Iterable[tuple[datetime, datetime | None, int, object]],
    boundaries: list[datetime],
) -> dict[int, BucketUse]:
    """Figures per bucket ``i`` = ``[boundaries[i], boundaries[i + 1])`` for usages
    ``(started_at, ended_at, licenses, user)``; buckets nothing touched are left out.

    One sweep over the concurrency steps, jumping to the buckets each step covers, so the cost
    follows the number of sessions and touched buckets, not the number of buckets.
    """
    bounds = [_absolute(b) for b in boundaries]
    start, end = bounds[0], bounds[-1]
    usages = list(usages)
    figures: dict[int, BucketUse] = {}
    steps = profile(((s, e, n) for s, e, n, _ in usages), start, end).steps
    for a, b, level in steps:
        if level <= 0:
            continue
        index = bisect_right(bounds, a) - 1
        while a < b:
            edge = min(b, bounds[index + 1])
            use = figures.get(index) or figures.setdefault(index, BucketUse())
            use.license_seconds += (edge - a).total_seconds() * level
            use.peak = max(use.peak, level)
            a, index = edge, index + 1
    for began, ended, licenses, user in usages:
        began = _absolute(began)
        if start <= began < end:
            index = bisect_right(bounds, began) - 1
            (figures.get(index) or figures.setdefault(index, BucketUse())).sessions += 1
        held_from = max(began, start)
        held_to = end if ended is None else min(_absolute(ended), end)
        if licenses <= 0 or held_to <= held_from:
            continue
        first = bisect_right(bounds, held_from) - 1
        last = bisect_left(bounds, held_to) - 1
        for index in range(first, last + 1):
            (figures.get(index) or figures.setdefault(index, BucketUse())).users.add(user)
    return figures
