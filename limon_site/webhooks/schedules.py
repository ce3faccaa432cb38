"""django-q2 schedules of the webhook subsystem (synced by name after ``migrate``)."""

from django_q.models import Schedule

from limon_site import schedules

SCHEDULES = [
    {
        "name": "webhooks.deliver_due",
        "func": "limon_site.webhooks.tasks.deliver_due",
        "schedule_type": Schedule.MINUTES,
        "minutes": 1,
    },
    {
        "name": "webhooks.purge_deliveries",
        "func": "limon_site.webhooks.tasks.purge_deliveries",
        "schedule_type": Schedule.DAILY,
    },
]


def sync_schedules(sender=None, **kwargs) -> None:
    schedules.sync(SCHEDULES)
