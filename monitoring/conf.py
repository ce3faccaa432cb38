"""The monitoring configuration sections (shipped defaults; override in ``config.yml``, the
environment as ``LIMON_<SECTION>_<KEY>``, or the database through the panel and
``/api/v1/config/*``). Read with ``config.get(SECTION)`` on every use: a change takes effect at
the next poll without a restart."""

from limon_site import config
from limon_site.errors import ValidationFailed

MONITORING = "monitoring"
TOOLS = "tools"
FEATURE_IGNORE = "feature-ignore"
LOG_IMPORT = "log-import"
ANALYTICS = "analytics"

MONITORING_DEFAULTS = {
    # minutes between two polls of every active server
    "poll_interval_minutes": 5,
    # seconds a status tool may run before the poll is abandoned and the server marked down
    "poll_timeout_seconds": 30,
    # servers polled at once
    "poll_concurrency": 4,
    # archived sessions, usage samples and poll runs older than this are deleted (rollups stay)
    "retention_days": 400,
    # in-use ÷ issued at or above this percentage is "critical saturation"
    "saturation_threshold_percent": 90,
}

TOOLS_DEFAULTS = {
    # status tool per license-manager kind; an absolute path or a name found on PATH
    "lmutil_path": "lmutil",
    "rlmutil_path": "rlmutil",
}

FEATURE_IGNORE_DEFAULTS = {
    # glob patterns over feature names, applied to every server when polling
    "include": [],
    "exclude": [],
}


LOG_IMPORT_DEFAULTS = {
    # a denial is "false" when the same user obtained the feature this many seconds before …
    "false_denial_before_seconds": 5,
    # … or this many seconds after it
    "false_denial_after_seconds": 2,
    # uploads larger than this are refused with 413 (never stored in full)
    "max_upload_mb": 200,
    # rows committed together with one checkpoint
    "batch_lines": 50_000,
}


ANALYTICS_DEFAULTS = {
    # recommended seats = P95 concurrency over this many days, plus the headroom …
    "recommendation_days": 90,
    "headroom_percent": 10,
    # … and never below the peak of the last N business days (0 = no floor)
    "peak_floor_business_days": 0,
    # a feature nobody checked out for this many days counts as unused
    "unused_days": 30,
    # licenses expiring within this many days are listed on the dashboard
    "expiring_days": 30,
    # seconds GET /api/v1/dashboard/metrics is served from the shared cache
    "dashboard_cache_seconds": 90,
}


def _fields_error(message: str, errors: dict) -> ValidationFailed:
    return ValidationFailed(message, details={"fields": errors})


def _whole_numbers(values: dict, limits: dict[str, tuple[int, int]], message: str) -> dict:
    errors = {}
    for key, (low, high) in limits.items():
        value = values[key]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            errors[key] = [f"Must be a whole number from {low} to {high}"]
    if errors:
        raise _fields_error(message, errors)
    return values


def _validate_monitoring(values: dict) -> dict:
    limits = {
        "poll_interval_minutes": (1, 24 * 60),
        "poll_timeout_seconds": (1, 600),
        "poll_concurrency": (1, 64),
        "retention_days": (1, 3650),
        "saturation_threshold_percent": (1, 100),
    }
    return _whole_numbers(values, limits, "Invalid monitoring settings")


def _validate_tools(values: dict) -> dict:
    errors = {}
    for key in TOOLS_DEFAULTS:
        value = values[key]
        if not isinstance(value, str) or not value.strip() or "\x00" in value:
            errors[key] = ["Must be a path or a program name"]
        else:
            values[key] = value.strip()
    if errors:
        raise _fields_error("Invalid tool settings", errors)
    return values


def _validate_ignore(values: dict) -> dict:
    errors = {}
    for key in FEATURE_IGNORE_DEFAULTS:
        value = values[key]
        if not isinstance(value, list) or not all(isinstance(p, str) and p for p in value):
            errors[key] = ["Must be a list of glob patterns"]
    if errors:
        raise _fields_error("Invalid feature ignore list", errors)
    return values


def _validate_log_import(values: dict) -> dict:
    limits = {
        "false_denial_before_seconds": (0, 3600),
        "false_denial_after_seconds": (0, 3600),
        "max_upload_mb": (1, 10_000),
        "batch_lines": (100, 10_000_000),
    }
    return _whole_numbers(values, limits, "Invalid log import settings")


def _validate_analytics(values: dict) -> dict:
    limits = {
        "recommendation_days": (1, 3650),
        "headroom_percent": (0, 1000),
        "peak_floor_business_days": (0, 3650),
        "unused_days": (1, 3650),
        "expiring_days": (1, 3650),
        "dashboard_cache_seconds": (0, 86_400),
    }
    return _whole_numbers(values, limits, "Invalid analytics settings")


def register() -> None:
    config.register_section(
        MONITORING,
        MONITORING_DEFAULTS,
        validate=_validate_monitoring,
        description="License-server polling, retention and saturation",
    )
    config.register_section(
        TOOLS, TOOLS_DEFAULTS, validate=_validate_tools, description="License-server status tools"
    )
    config.register_section(
        FEATURE_IGNORE,
        FEATURE_IGNORE_DEFAULTS,
        validate=_validate_ignore,
        description="Features left out when polling (glob patterns)",
    )
    config.register_section(
        LOG_IMPORT,
        LOG_IMPORT_DEFAULTS,
        validate=_validate_log_import,
        description="Debug-log import: false-denial window, upload limit, batch size",
    )
    config.register_section(
        ANALYTICS,
        ANALYTICS_DEFAULTS,
        validate=_validate_analytics,
        description="Usage analytics: seat recommendations, unused licenses, dashboard cache",
    )
