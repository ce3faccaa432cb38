"""Rolling the client-call log up into running totals, and purging old rows."""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count, F, Max
from django.utils import timezone

from licensing.models import ClientEvent, ClientEventRollup, ClientEventTotal
from licensing.settings_section import settings as licensing_settings

SETTLE = timedelta(minutes=5)


@transaction.atomic
def rollup_client_events(*, now: datetime | None = None) -> int:
    """Add rows older than a few minutes (so every lower id has committed) to the totals and move
    the high-water mark. Serialised by the lock on the rollup row; returns rows rolled up."""
    now = now or timezone.now()
    ClientEventRollup.objects.get_or_create(pk=1)
    rollup = ClientEventRollup.objects.select_for_update().get(pk=1)
    upper = ClientEvent.objects.filter(id__gt=rollup.through_id, at__lt=now - SETTLE).aggregate(
        top=Max("id")
    )["top"]
    if upper is None:
        return 0
    rows = (
        ClientEvent.objects.filter(id__gt=rollup.through_id, id__lte=upper)
        .values("kind", "result")
        .annotate(n=Count("id"))
    )
    rolled = 0
    for row in rows:
        total, _ = ClientEventTotal.objects.get_or_create(kind=row["kind"], result=row["result"])
        ClientEventTotal.objects.filter(pk=total.pk).update(count=F("count") + row["n"])
        rolled += row["n"]
    rollup.through_id = upper
    rollup.save()
    return rolled


def purge_client_events(*, now: datetime | None = None) -> int:
    """Delete rows past the retention period that are already in the totals."""
    now = now or timezone.now()
    through = ClientEventRollup.objects.filter(pk=1).values_list("through_id", flat=True).first()
    if not through:
        return 0
    cutoff = now - timedelta(days=licensing_settings()["event_retention_days"])
    deleted, _ = ClientEvent.objects.filter(id__lte=through, at__lt=cutoff).delete()
    return deleted
