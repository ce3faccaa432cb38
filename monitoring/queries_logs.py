"""Read side of imported debug logs: the denial report over the pre-computed summary and
the ``limon_denials_total`` metric. Shared by ``/api/v1/denials``, the panel and ``/metrics``."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import F, OuterRef, QuerySet, Subquery, Sum
from prometheus_client.core import CounterMetricFamily, Metric

from monitoring.models import DenialSummary, LicenseUser

GROUPS = {"feature": "feature_name", "user": "username", "day": "day", "department": "department"}
COUNTS = ("true_denials", "false_denials", "queued", "timeouts", "checkouts")


def denial_report(
    *,
    group_by: str = "feature",
    server_id: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet:
    """One row per group: ``key`` and the summed counts, most true denials first (by day:
    newest first). ``department`` is the user's department name (None: no department)."""
    rows = DenialSummary.objects.all()
    if server_id is not None:
        rows = rows.filter(server_id=server_id)
    if date_from is not None:
        rows = rows.filter(day__gte=date_from)
    if date_to is not None:
        rows = rows.filter(day__lte=date_to)
    if group_by == "department":
        department = LicenseUser.objects.filter(username=OuterRef("username")).values(
            "department__name"
        )[:1]
        rows = rows.annotate(department=Subquery(department))
    column = GROUPS[group_by]
    rows = (
        rows.annotate(key=F(column)).values("key").annotate(**{name: Sum(name) for name in COUNTS})
    )
    if group_by == "day":
        return rows.order_by("-key")
    return rows.order_by("-true_denials", "key")


def true_denial_rate(row: dict) -> float | None:
    """True denials per 100 checkouts (None without checkouts)."""
    if not row["checkouts"]:
        return None
    return round(100.0 * row["true_denials"] / row["checkouts"], 2)


def denial_metrics() -> Iterable[Metric]:
    """``limon_denials_total{server,feature,kind}``, kind ``true|false|queued|timeout``."""
    family = CounterMetricFamily(
        "limon_denials",
        "Denials and queue events from imported debug logs (denial summary)",
        labels=["server", "feature", "kind"],
    )
    totals = (
        DenialSummary.objects.values("server__name", "feature_name")
        .annotate(
            true=Sum("true_denials"),
            false=Sum("false_denials"),
            queued=Sum("queued"),
            timeout=Sum("timeouts"),
        )
        .order_by("server__name", "feature_name")
    )
    for row in totals:
        for kind in ("true", "false", "queued", "timeout"):
            family.add_metric([row["server__name"], row["feature_name"], kind], row[kind])
    yield family
