"""django-q2 tasks of the staff side (thin wrappers around the services) and their schedules,
declared here and synced by name after ``migrate`` (``limon_site.schedules``)."""

from django_q.models import Schedule

from licensing.services import anomalies, resources
from limon_site import schedules

SCHEDULES = [
    {
        "name": "licensing.scan_anomalies",
        "func": "licensing.tasks_staff.scan_anomalies",
        "schedule_type": Schedule.MINUTES,
        "minutes": 5,
    },
    {
        "name": "licensing.restore_quarantined_resources",
        "func": "licensing.tasks_staff.restore_quarantined_resources",
        "schedule_type": Schedule.HOURLY,
    },
]


def scan_anomalies() -> dict[str, int]:
    return anomalies.scan()


def restore_quarantined_resources() -> int:
    return resources.restore_expired_quarantine()


def sync_schedules(sender=None, **kwargs) -> None:
    schedules.sync(SCHEDULES)
