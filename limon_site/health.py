"""Health checks shared by ``/health``, ``/api/health`` and the panel overview."""

import time
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder


def now_iso() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


def database_check() -> dict:
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return {"status": "down", "error": exc.__class__.__name__}
    return {
        "status": "up",
        "latency_ms": round((time.perf_counter() - started) * 1000, 2),
        "engine": connection.vendor,
    }


def cache_check() -> dict:
    try:
        cache.set("limon:health", "ok", 30)
        ok = cache.get("limon:health") == "ok"
    except Exception as exc:
        return {"status": "down", "error": exc.__class__.__name__}
    return {"status": "up" if ok else "down", "backend": settings.CACHES["default"]["BACKEND"]}


def task_queue_check() -> dict:
    """Seconds since a django-q2 cluster last reported, and queued tasks."""
    try:
        from django_q.brokers import get_broker
        from django_q.status import Stat

        broker = get_broker()
        stats = Stat.get_all(broker=broker)
        queued = broker.queue_size() or 0
    except Exception as exc:
        return {"status": "unknown", "error": exc.__class__.__name__}
    if not stats:
        return {
            "status": "no_cluster",
            "clusters": 0,
            "queued": queued,
            "seconds_since_heartbeat": None,
        }
    newest = max(stat.timestamp for stat in stats)
    age = (datetime.now(UTC) - newest.astimezone(UTC)).total_seconds()
    return {
        "status": "up" if age < 120 else "stale",
        "clusters": len(stats),
        "queued": queued,
        "seconds_since_heartbeat": round(age, 1),
    }


def applied_migrations() -> dict[str, str]:
    recorder = MigrationRecorder(connection)
    latest: dict[str, str] = {}
    for app, name in recorder.migration_qs.order_by("app", "name").values_list("app", "name"):
        latest[app] = name
    return latest
