"""Prometheus families for the license server, read from the database at scrape time (so every
gunicorn worker and every host reports the same numbers)."""

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

from licensing import queries


def licensing_metrics():
    totals = queries.client_event_totals()

    activations = CounterMetricFamily(
        "limon_licensing_activations",
        "Activation requests by result (ok, existing, activation_limit_reached, …)",
        labels=["result"],
    )
    verifications = CounterMetricFamily(
        "limon_licensing_verifications",
        "License verifications by result (ok or the reason it was invalid)",
        labels=["result"],
    )
    calls = CounterMetricFamily(
        "limon_licensing_client_calls",
        "All license-server client calls by kind and result",
        labels=["kind", "result"],
    )
    for (kind, result), count in sorted(totals.items()):
        calls.add_metric([kind, result], count)
        if kind == "activate":
            activations.add_metric([result], count)
        elif kind == "verify":
            verifications.add_metric([result], count)
    yield activations
    yield verifications
    yield calls

    sessions = GaugeMetricFamily(
        "limon_licensing_active_sessions", "Live sessions by product", labels=["product"]
    )
    for product, count in sorted(queries.live_session_counts_by_product().items()):
        sessions.add_metric([product], count)
    yield sessions

    yield GaugeMetricFamily(
        "limon_licensing_heartbeats_per_minute",
        "Accepted session heartbeats in the last 60 seconds",
        value=queries.heartbeats_last_minute(),
    )

    devices = queries.activation_totals()
    yield GaugeMetricFamily(
        "limon_licensing_active_activations",
        "Devices with an active activation",
        value=devices["active"],
    )

    licenses = GaugeMetricFamily(
        "limon_licensing_licenses", "Licenses by status", labels=["status"]
    )
    for status, count in queries.license_counts_by_status().items():
        licenses.add_metric([status], count)
    yield licenses
