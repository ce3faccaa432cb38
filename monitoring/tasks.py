"""django-q2 task functions (thin wrappers around the services), scheduled in schedules.py."""

from monitoring import schedules
from monitoring.services import polling, retention


def poll_all_servers() -> int:
    """Poll every active server; returns how many polls succeeded. Keeps the schedule's
    interval in step with the configured one, so a change needs no restart or migrate."""
    results = polling.poll_all()
    schedules.sync_schedules()
    return sum(1 for result in results if result.run is not None and result.run.ok)


def purge_old_data() -> dict[str, int]:
    return retention.purge_old_data()
