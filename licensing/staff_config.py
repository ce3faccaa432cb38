"""Configuration sections of the staff side (defaults → config.yml / ``LIMON_<SECTION>_<KEY>`` →
database), read with ``config.get`` on every use so changes apply without a restart.

``resource_pools``: a pool's availability is ``critical`` below ``critical_percent`` available
(or when nothing is left), ``low`` below ``low_percent``, else ``ok``.

``anomalies``: thresholds of the three detection rules (see docs/licensing-staff.md).
"""

from limon_site import config
from limon_site.errors import ValidationFailed

POOL_DEFAULTS = {
    "low_percent": 50,
    "critical_percent": 20,
}

ANOMALY_DEFAULTS = {
    # unusual_activation_pattern: more than N activations + deactivations on a license within
    # the window.
    "activation_max_events": 6,
    "activation_window_minutes": 60,
    # excessive_heartbeats: heartbeat calls from one activation within the window above
    # ``heartbeat_excess_factor`` times the allowed rate (one per licensing
    # ``heartbeat_window_seconds``).
    "heartbeat_window_minutes": 10,
    "heartbeat_excess_factor": 2,
    # license_hopping: one hardware hash on more than N licenses, or a license moved between
    # devices (a deactivation followed by another device's activation) more than N times, within
    # the window.
    "hopping_window_hours": 24,
    "hopping_max_licenses_per_device": 2,
    "hopping_max_moves": 3,
}


def _positive_ints(values: dict, defaults: dict) -> dict:
    problems = {
        key: ["Must be a positive integer."]
        for key in defaults
        if not isinstance(values.get(key), int) or isinstance(values[key], bool) or values[key] < 1
    }
    if problems:
        raise ValidationFailed("Invalid settings", details={"fields": problems})
    return values


def _validate_pools(values: dict) -> dict:
    values = _positive_ints(values, POOL_DEFAULTS)
    if not 1 <= values["critical_percent"] < values["low_percent"] <= 100:
        raise ValidationFailed(
            "Thresholds must satisfy 1 ≤ critical_percent < low_percent ≤ 100",
            details={"fields": {"critical_percent": ["Must be below low_percent."]}},
        )
    return values


def register() -> None:
    config.register_section(
        "resource_pools",
        POOL_DEFAULTS,
        validate=_validate_pools,
        description="Resource pool availability thresholds (percent of the pool available).",
    )
    config.register_section(
        "anomalies",
        ANOMALY_DEFAULTS,
        validate=lambda values: _positive_ints(values, ANOMALY_DEFAULTS),
        description="Anomaly detection thresholds for license usage.",
    )


def pool_settings() -> dict:
    return config.get("resource_pools")


def anomaly_settings() -> dict:
    return config.get("anomalies")
