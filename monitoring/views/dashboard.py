"""The monitoring dashboard: KPI tiles, critical saturation, the 7-day usage chart, the most
saturated features, unused and expiring licenses. The figures are the cached ones of
``GET /api/v1/dashboard/metrics`` (:func:`monitoring.queries_dashboard.cached_dashboard_metrics`).

``?format=csv&table=<name>`` downloads one table: ``kpis`` (the default), ``critical``,
``saturated``, ``unused``, ``expiring`` or ``usage``."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from limon_site.charts import Series, line_chart
from limon_site.csv_export import csv_response, wants_csv
from limon_site.panel.access import staff_required
from monitoring.queries_dashboard import cached_dashboard_metrics

FEATURE_HEADER = ["server", "feature", "display_name", "application", "issued", "in_use"]


def _feature_cells(row: dict) -> list:
    application = row["application"]["name"] if row["application"] else ""
    return [row["server"]["name"], row["name"], row["display_name"], application,
            row["issued"], row["in_use"]]  # fmt: skip


def _kpis(metrics: dict) -> list[tuple[str, object]]:
    return [
        ("servers_online", metrics["servers"]["online"]),
        ("servers_total", metrics["servers"]["total"]),
        ("active_sessions", metrics["active_sessions"]),
        ("active_users", metrics["active_users"]),
        ("critical_saturation", len(metrics["critical_saturation"])),
        ("unused_licenses", metrics["unused"]["count"]),
        ("expiring_licenses", metrics["expiring"]["count"]),
        ("generated_at", metrics["generated_at"]),
    ]


TABLES = {
    "kpis": (["figure", "value"], _kpis),
    "critical": (
        ["application", "in_use", "issued", "saturation_percent"],
        lambda m: [
            [r["application"]["name"], r["in_use"], r["issued"], r["saturation"]]
            for r in m["critical_saturation"]
        ],
    ),
    "saturated": (
        [*FEATURE_HEADER, "saturation_percent"],
        lambda m: [[*_feature_cells(r), r["saturation"]] for r in m["top_saturated"]],
    ),
    "unused": (
        [*FEATURE_HEADER, "last_used_at"],
        lambda m: [[*_feature_cells(r), r["last_used_at"]] for r in m["unused"]["features"]],
    ),
    "expiring": (
        [*FEATURE_HEADER, "expires_on", "days_left"],
        lambda m: [
            [*_feature_cells(r), r["expires_on"], r["days_left"]] for r in m["expiring"]["features"]
        ],
    ),
    "usage": (
        ["hour_utc", "peak", "average"],
        lambda m: [[p["hour"], p["peak"], p["average"]] for p in m["usage_7d"]],
    ),
}


def usage_chart(points: list[dict]):
    """Hours labelled in local time, short enough for ten labels across the chart."""
    return line_chart(
        [timezone.localtime(point["hour"]).strftime("%a %H:%M") for point in points],
        [
            Series("Peak seats in use", [point["peak"] for point in points]),
            Series("Average seats in use", [point["average"] for point in points]),
        ]
        if any(point["peak"] for point in points)
        else [],
        title="Seats in use per hour, last 7 days",
    )


@staff_required
def dashboard(request):
    metrics = cached_dashboard_metrics()
    if wants_csv(request):
        table = request.GET.get("table", "kpis")
        if table not in TABLES:
            raise Http404(f"No dashboard table {table!r}")
        header, rows = TABLES[table]
        return csv_response(f"dashboard-{table}", header, rows(metrics))
    return render(
        request,
        "monitoring/dashboard.html",
        {"metrics": metrics, "usage_chart": usage_chart(metrics["usage_7d"])},
    )
