"""The period of the usage pages and endpoints: whole local days, both ends included, read
from the daily rollup."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from monitoring.models import DailyUserUsage

#: The group of users without a department, in department aggregates and URLs.
NO_DEPARTMENT = "(none)"
DEFAULT_DAYS = 30


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
