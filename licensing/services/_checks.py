"""Refusals shared by activation, verification and sessions: one wording, one code each."""

from datetime import date

from licensing.models import License
from limon_site.errors import Forbidden, LimonError, NotFound


def license_not_found(key: str) -> LimonError:
    return NotFound("License key not found", code="LICENSE_NOT_FOUND", details={"license_key": key})


def license_unusable(license: License, today: date) -> LimonError | None:
    """403 ``LICENSE_INACTIVE`` / ``LICENSE_EXPIRED`` (also before ``valid_from``), or None."""
    status = license.status_on(today)
    if status == "inactive":
        return Forbidden(
            "This license has been deactivated",
            code="LICENSE_INACTIVE",
            details={"license_key": license.key, "reason": "inactive"},
        )
    if status in ("expired", "pending"):
        return Forbidden(
            "This license has expired"
            if status == "expired"
            else f"This license is valid from {license.valid_from.isoformat()}",
            code="LICENSE_EXPIRED",
            details={
                "license_key": license.key,
                "reason": "expired" if status == "expired" else "not_yet_valid",
                "valid_from": license.valid_from.isoformat(),
                "valid_until": license.valid_until.isoformat() if license.valid_until else None,
            },
        )
    return None


def result_code(error: LimonError) -> str:
    """The ``result`` label of the client-call log for a refusal (``LICENSE_NOT_FOUND`` →
    ``license_not_found``)."""
    return error.code.lower()
