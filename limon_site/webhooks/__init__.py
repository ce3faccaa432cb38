"""Outgoing webhooks for every app: an event registry, signed deliveries through django-q2 with
exponential-backoff retries, a delivery log and automatic disabling of failing endpoints.

Apps register their events at startup (``register_event``) and call ``emit`` inside their
service's transaction; deliveries are queued only once that transaction commits.
See ``docs/webhooks.md``.
"""

from limon_site.webhooks.events import EventType, register_event, registered_events


def emit(event: str, payload: dict) -> int:
    """Queue ``event`` with ``payload`` (the ``data`` of the envelope) for every active endpoint
    subscribed to it; returns the number of deliveries created."""
    from limon_site.webhooks.services import emit as _emit

    return _emit(event=event, data=payload)


__all__ = ["EventType", "emit", "register_event", "registered_events"]
