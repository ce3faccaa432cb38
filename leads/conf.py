"""The ``leads`` configuration section (shipped defaults; override in config.yml, the environment
as ``LIMON_LEADS_<KEY>``, or the database)."""

from limon_site import config
from limon_site.errors import ValidationFailed

SECTION = "leads"

DEFAULTS = {
    # "recent activities" on the stats tile and in GET /leads/api/stats
    "recent_activity_days": 30,
    # region for phone numbers written without +country when the institution has no country
    "default_phone_region": "",
    # an upload with more data rows than this is refused before parsing the rest
    "import_max_rows": 50_000,
    # previews not confirmed within this many hours are discarded
    "import_preview_hours": 24,
}


def _validate(values: dict) -> dict:
    from leads.validation import normalise_country

    errors = {}
    for key in ("recent_activity_days", "import_max_rows", "import_preview_hours"):
        if not isinstance(values[key], int) or values[key] < 1:
            errors[key] = ["Must be a positive whole number"]
    try:
        values["default_phone_region"] = normalise_country(values["default_phone_region"])
    except ValueError as exc:
        errors["default_phone_region"] = [str(exc)]
    if errors:
        raise ValidationFailed("Invalid leads settings", details={"fields": errors})
    return values


def register() -> None:
    config.register_section(SECTION, DEFAULTS, validate=_validate, description="Sales CRM (leads)")


def get() -> dict:
    return config.get(SECTION)
