from django_q.models import Schedule

from limon_site import schedules

SCHEDULES = [
    {
        "name": "licensing.expire_sessions",
        "func": "licensing.tasks.expire_sessions",
        "schedule_type": Schedule.MINUTES,
        "minutes": 1,
    },
    {
        "name": "licensing.notify_expiring",
        "func": "licensing.tasks.notify_expiring",
        "schedule_type": Schedule.DAILY,
    },
    {
        "name": "licensing.rollup_client_events",
        "func": "licensing.tasks.rollup_client_events",
        "schedule_type": Schedule.MINUTES,
        "minutes": 5,
    },
    {
        "name": "licensing.purge_client_events",
        "func": "licensing.tasks.purge_client_events",
        "schedule_type": Schedule.DAILY,
    },
]


def sync_schedules(sender=None, **kwargs) -> None:
    schedules.sync(SCHEDULES)
