"""Prometheus metrics. HTTP counters live in prometheus-client (multiprocess mode when
``PROMETHEUS_MULTIPROC_DIR`` is set, as under gunicorn); domain gauges are read from the database
at scrape time by collectors that apps register, so every worker reports the same values."""

import logging
import os
from collections.abc import Callable, Iterable

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric

logger = logging.getLogger("limon.metrics")

CONTENT_TYPE = CONTENT_TYPE_LATEST

HTTP_REQUESTS = Counter(
    "limon_http_requests_total",
    "HTTP requests by route template and status",
    ["method", "route", "status"],
)
HTTP_LATENCY = Histogram(
    "limon_http_request_duration_seconds",
    "HTTP request latency by route template",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)

MetricSource = Callable[[], Iterable[Metric]]
_collectors: list[MetricSource] = []


def register_collector(source: MetricSource) -> MetricSource:
    """Apps register functions yielding metric families (read from the database)."""
    if source not in _collectors:
        _collectors.append(source)
    return source


def observe_request(*, method: str, route: str, status: int, seconds: float) -> None:
    HTTP_REQUESTS.labels(method, route, str(status)).inc()
    HTTP_LATENCY.labels(method, route).observe(seconds)


class _DatabaseCollector:
    def collect(self):
        for source in _collectors:
            try:
                yield from source()
            except Exception:
                logger.exception("metrics collector %s failed", getattr(source, "__name__", source))


def render() -> bytes:
    multiproc_dir = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if multiproc_dir:
        from prometheus_client import multiprocess
        from prometheus_client.process_collector import ProcessCollector

        process_registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(process_registry)
        ProcessCollector(registry=process_registry)
        text = generate_latest(process_registry)
    else:
        text = generate_latest(REGISTRY)
    database_registry = CollectorRegistry(auto_describe=False)
    database_registry.register(_DatabaseCollector())
    return text + generate_latest(database_registry)


@register_collector
def task_queue_metrics():
    from django_q.brokers import get_broker

    gauge = GaugeMetricFamily("limon_task_queue_depth", "Tasks waiting in the django-q2 queue")
    gauge.add_metric([], get_broker().queue_size() or 0)
    yield gauge
