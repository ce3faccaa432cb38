"""The ``licensing`` configuration section (defaults → config.yml / ``LIMON_LICENSING_*`` →
database). Read with ``config.get("licensing")`` on every use."""

from limon_site import config
from limon_site.errors import ValidationFailed

DEFAULTS = {
    # Seat cycling: activations + deactivations per license within the window (429 beyond).
    "activation_cycle_limit": 10,
    "activation_cycle_window_hours": 24,
    # Heartbeats: at most one per session (= per activation) within this window (429 beyond);
    # the tolerance absorbs client timer jitter.
    "heartbeat_window_seconds": 60,
    "heartbeat_tolerance_seconds": 5,
    # Webhooks.
    "usage_threshold_percent": 80,
    "usage_threshold_repeat_hours": 24,
    "expiring_notice_days": 14,
    # Client call log (metrics, anomaly detection).
    "event_retention_days": 30,
}


def _validate(values: dict) -> dict:
    problems = {
        key: ["Must be a non-negative integer."]
        for key in DEFAULTS
        if not isinstance(values.get(key), int) or values[key] < 0
    }
    if not 1 <= values.get("usage_threshold_percent", 0) <= 100:
        problems["usage_threshold_percent"] = ["Must be between 1 and 100."]
    if problems:
        raise ValidationFailed("Invalid licensing settings", details={"fields": problems})
    return values


config.register_section(
    "licensing",
    DEFAULTS,
    validate=_validate,
    description="License server limits: seat cycling, heartbeats, webhook thresholds.",
)


def settings() -> dict:
    return config.get("licensing")
