"""One error envelope for every API response:
``{"error", "code", "status", "details", "request_id"}``."""

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from rest_framework import exceptions
from rest_framework.response import Response

from limon_site.errors import LimonError
from limon_site.logging import current_request_id

logger = logging.getLogger("limon.api")

API_PREFIXES = ("/api/", "/leads/api/", "/health", "/metrics")


def is_api_path(path: str) -> bool:
    return path == "/" or path.startswith(API_PREFIXES)


def envelope(
    status: int, code: str, message: str, details: dict[str, Any] | None = None
) -> dict[str, Any]:
    return {
        "error": message,
        "code": code,
        "status": status,
        "details": details or {},
        "request_id": current_request_id.get(),
    }


def error_response(status: int, code: str, message: str, details=None, headers=None):
    """A plain Django JsonResponse for errors raised outside DRF views (404, 500, middleware)."""
    response = JsonResponse(envelope(status, code, message, details), status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _first_message(detail: Any) -> str:
    if isinstance(detail, list) and detail:
        return _first_message(detail[0])
    if isinstance(detail, dict) and detail:
        key, value = next(iter(detail.items()))
        return f"{key}: {_first_message(value)}"
    return str(detail)


_DRF_CODES = {
    exceptions.ParseError: (400, "MALFORMED_REQUEST"),
    exceptions.AuthenticationFailed: (401, "INVALID_API_KEY"),
    exceptions.NotAuthenticated: (401, "INVALID_API_KEY"),
    exceptions.PermissionDenied: (403, "INSUFFICIENT_SCOPE"),
    exceptions.NotFound: (404, "NOT_FOUND"),
    exceptions.MethodNotAllowed: (405, "METHOD_NOT_ALLOWED"),
    exceptions.NotAcceptable: (406, "NOT_ACCEPTABLE"),
    exceptions.UnsupportedMediaType: (415, "UNSUPPORTED_MEDIA_TYPE"),
    exceptions.Throttled: (429, "RATE_LIMITED"),
}


def exception_handler(exc: Exception, context: dict) -> Response:
    """DRF exception handler: every exception becomes the envelope, never a traceback."""
    headers: dict[str, str] = {}
    if isinstance(exc, LimonError):
        response = Response(envelope(exc.status, exc.code, exc.message, exc.details), exc.status)
        for name, value in exc.headers.items():
            response[name] = value
        return response
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )

    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        message = "Validation failed: " + _first_message(detail)
        return Response(envelope(400, "VALIDATION_ERROR", message, {"fields": detail}), 400)

    if isinstance(exc, exceptions.APIException):
        status, code = next(
            (value for cls, value in _DRF_CODES.items() if isinstance(exc, cls)),
            (exc.status_code, str(exc.default_code).upper()),
        )
        details: dict[str, Any] = {}
        message = _first_message(exc.detail)
        if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
            message = "Invalid or missing API key"
            if isinstance(exc, exceptions.AuthenticationFailed):
                details["reason"] = str(exc.detail)
        if isinstance(exc, exceptions.PermissionDenied):
            if message.startswith("CSRF Failed"):
                code, details["reason"] = "CSRF_FAILED", message
            elif message == str(exceptions.PermissionDenied.default_detail):
                message = "This credential may not perform this action"
        if isinstance(exc, exceptions.Throttled):
            wait = int(exc.wait or 1)
            headers["Retry-After"] = str(max(1, wait))
            details["retry_after"] = max(1, wait)
            message = "Rate limit exceeded"
        auth_header = getattr(exc, "auth_header", None)
        if auth_header:
            headers["WWW-Authenticate"] = auth_header
        response = Response(envelope(status, code, message, details), status)
        for name, value in headers.items():
            response[name] = value
        return response

    logger.exception("Unhandled API error")
    return Response(envelope(500, "INTERNAL_ERROR", "Internal server error"), 500)
