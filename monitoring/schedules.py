"""The monitoring schedules, declared in code and synced by name after ``migrate`` (see
``limon_site.schedules``). The poll interval comes from ``monitoring.poll_interval_minutes``."""

from django_q.models import Schedule

from limon_site import config, schedules
from monitoring.conf import MONITORING

POLL_SCHEDULE = "monitoring.poll_all_servers"
PURGE_SCHEDULE = "monitoring.purge_old_data"


def declared() -> list[dict]:
    return [
        {
            "name": POLL_SCHEDULE,
            "func": "monitoring.tasks.poll_all_servers",
            "schedule_type": Schedule.MINUTES,
            "minutes": config.get(MONITORING)["poll_interval_minutes"],
        },
        {
            "name": PURGE_SCHEDULE,
            "func": "monitoring.tasks.purge_old_data",
            "schedule_type": Schedule.DAILY,
        },
    ]


def sync_schedules(sender=None, **kwargs) -> None:
    schedules.sync(declared())
