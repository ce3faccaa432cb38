"""The ``webhooks`` configuration section (defaults → config.yml / LIMON_WEBHOOKS_* → database)."""

from limon_site import config
from limon_site.errors import ValidationFailed

DEFAULTS = {
    "max_attempts": 8,
    "backoff_base_seconds": 30,
    "backoff_max_seconds": 6 * 3600,
    "disable_after_failures": 10,
    "timeout_seconds": 10,
    "retention_days": 30,
}


def _validate(values: dict) -> dict:
    for key in DEFAULTS:
        if not isinstance(values[key], int) or values[key] < 1:
            raise ValidationFailed(
                f"webhooks.{key} must be a positive integer",
                details={"fields": {key: ["Must be a positive integer."]}},
            )
    return values


config.register_section(
    "webhooks",
    DEFAULTS,
    validate=_validate,
    description="Outgoing webhook delivery: retries, backoff, automatic disabling.",
)
