"""django-q2 task functions (thin wrappers around the services), scheduled in schedules.py."""

from licensing.services import client_events, notifications, sessions


def expire_sessions() -> int:
    return sessions.expire_dead_sessions()


def notify_expiring() -> int:
    return notifications.notify_expiring_licenses()


def rollup_client_events() -> int:
    return client_events.rollup_client_events()


def purge_client_events() -> int:
    return client_events.purge_client_events()
