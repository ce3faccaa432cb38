"""Retention: raw polling data older than ``monitoring.retention_days`` is deleted in batches
(archived sessions, usage samples, poll runs). Active sessions, the inventory and its history
are kept, and so are rollups."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from limon_site import config
from monitoring.conf import MONITORING
from monitoring.models import PollRun, Session, SessionStatus, UsageSample

#: Rows deleted per statement, so a first purge of years of data never holds long locks.
BATCH_SIZE = 5000


def _delete_in_batches(queryset: QuerySet, batch_size: int) -> int:
    deleted = 0
    while True:
        ids = list(queryset.order_by().values_list("pk", flat=True)[:batch_size])
        if not ids:
            return deleted
        queryset.model.objects.filter(pk__in=ids).delete()
        deleted += len(ids)


def purge_old_data(*, now: datetime | None = None, batch_size: int = BATCH_SIZE) -> dict[str, int]:
    """Delete what is older than the retention; returns the number of rows deleted per kind."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=config.get(MONITORING)["retention_days"])
    return {
        "sessions": _delete_in_batches(
            Session.objects.filter(status=SessionStatus.ARCHIVED, ended_at__lt=cutoff), batch_size
        ),
        "usage_samples": _delete_in_batches(
            UsageSample.objects.filter(sampled_at__lt=cutoff), batch_size
        ),
        "poll_runs": _delete_in_batches(PollRun.objects.filter(polled_at__lt=cutoff), batch_size),
    }
