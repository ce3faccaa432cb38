"""The registry of webhook event types. Apps register theirs in ``AppConfig.ready``; ``emit``
refuses an unregistered name so a typo cannot silently send nothing."""

from dataclasses import dataclass

TEST_EVENT = "webhook.test"
ALL_EVENTS = "*"


@dataclass(frozen=True)
class EventType:
    name: str
    description: str
    example: dict


_events: dict[str, EventType] = {}


def register_event(name: str, description: str, example: dict | None = None) -> EventType:
    event = EventType(name, description, example or {})
    _events[name] = event
    return event


def registered_events() -> dict[str, EventType]:
    return dict(sorted(_events.items()))


def is_registered(name: str) -> bool:
    return name in _events


register_event(
    TEST_EVENT,
    "Sent by the 'send test event' action to check an endpoint.",
    {"message": "This is a test event from LiMon", "endpoint_id": 1},
)
