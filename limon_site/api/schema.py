"""Helpers for documenting endpoints in the OpenAPI schema."""

from drf_spectacular.utils import OpenApiResponse

from limon_site.api.serializers import ErrorSerializer

_DESCRIPTIONS = {
    400: "Validation failed (`VALIDATION_ERROR`) or a malformed request",
    401: "Invalid or missing credentials (`INVALID_API_KEY`)",
    403: "The credential's scope or the product license does not allow this",
    404: "Not found",
    409: "Conflict with the current state",
    413: "Payload too large",
    429: "Rate limited (`RATE_LIMITED`, with `Retry-After`)",
}


def errors(*statuses: int) -> dict[int, OpenApiResponse]:
    """``responses=`` entries for the error envelope, e.g. ``{**errors(400, 404), 200: X}``."""
    return {
        status: OpenApiResponse(ErrorSerializer, description=_DESCRIPTIONS.get(status, ""))
        for status in statuses
    }
