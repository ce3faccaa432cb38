"""Prometheus gauges of the monitored estate, read from the database at scrape time (the
figures of the latest poll), so every gunicorn worker reports the same numbers."""

from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily

from monitoring.models import ServerStatus
from monitoring.queries_applications import concurrent_users_gauge
from monitoring.queries_inventory import MappingIndex, feature_gauges, server_gauges

FEATURE_LABELS = ["server", "feature", "application"]


def monitoring_metrics():
    issued = GaugeMetricFamily(
        "limon_feature_licenses_issued",
        "Seats issued per feature at the latest poll (uncounted features are left out)",
        labels=FEATURE_LABELS,
    )
    in_use = GaugeMetricFamily(
        "limon_feature_licenses_in_use",
        "Seats in use per feature at the latest poll",
        labels=FEATURE_LABELS,
    )
    queued = GaugeMetricFamily(
        "limon_feature_queued",
        "Queued checkout requests per feature at the latest poll",
        labels=FEATURE_LABELS,
    )
    index = MappingIndex()
    for feature in feature_gauges():
        application = index.application(feature.name, feature.server_id)
        labels = [feature.server_name, feature.name, application.name if application else ""]
        if feature.issued is not None:
            issued.add_metric(labels, feature.issued)
        in_use.add_metric(labels, feature.in_use)
        queued.add_metric(labels, feature.queued)
    yield issued
    yield in_use
    yield queued

    up = GaugeMetricFamily(
        "limon_server_up", "1 when the latest poll found the server up, else 0", labels=["server"]
    )
    age = GaugeMetricFamily(
        "limon_server_last_poll_age_seconds",
        "Seconds since the server was last polled (left out when never polled)",
        labels=["server"],
    )
    now = timezone.now()
    for server in server_gauges():
        up.add_metric([server.name], 1 if server.status == ServerStatus.UP else 0)
        if server.last_polled_at:
            age.add_metric([server.name], (now - server.last_polled_at).total_seconds())
    yield up
    yield age

    users = GaugeMetricFamily(
        "limon_application_concurrent_users",
        "Distinct users holding the application's keystone feature (any server it is deployed "
        "on) at the latest poll",
        labels=["application"],
    )
    for name, count in concurrent_users_gauge():
        users.add_metric([name], count)
    yield users
