"""django-q2 schedules of the webhook subsystem, declared in code and synced by name after
``migrate`` (nobody has to click a schedule into existence)."""

from django_q.models import Schedule

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


def sync(schedules: list[dict]) -> None:
    for spec in schedules:
        values = {key: value for key, value in spec.items() if key != "name"}
        Schedule.objects.update_or_create(name=spec["name"], defaults=values)


def sync_schedules(sender=None, **kwargs) -> None:
    sync(SCHEDULES)
