"""django-q2 schedules declared in code and synced by name (after ``migrate``), so nobody has to
click a schedule into existence and a changed interval takes effect on the next deploy.

Apps declare a list of specs and connect ``post_migrate`` to ``sync`` them::

    SCHEDULES = [{"name": "licensing.expire_sessions", "func": "licensing.tasks.expire_sessions",
                  "schedule_type": Schedule.MINUTES, "minutes": 1}]
"""

from django_q.models import Schedule


def sync(schedules: list[dict]) -> None:
    for spec in schedules:
        values = {key: value for key, value in spec.items() if key != "name"}
        Schedule.objects.update_or_create(name=spec["name"], defaults=values)
