import logging
import re
import time
import uuid

from django.urls import Resolver404, resolve

from limon_site import metrics
from limon_site.api.errors import error_response, is_api_path
from limon_site.logging import current_request_id

_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


class RequestIdMiddleware:
    """Gives every request an id (the client's ``X-Request-ID`` when sane), puts it in every log
    line of the request and in the ``X-Request-ID`` response header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.headers.get("X-Request-ID", "")
        request_id = offered if _REQUEST_ID_RE.match(offered) else uuid.uuid4().hex
        request.request_id = request_id
        token = current_request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


class ApiTrailingSlashMiddleware:
    """API paths are declared without a trailing slash; the same path with one is served by the
    same view, never redirected (clients POST to these URLs)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if len(path) > 1 and path.endswith("/") and is_api_path(path):
            request.path_info = path.rstrip("/")
        return self.get_response(request)


class PrometheusMiddleware:
    """Counts requests by route template and status and times them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        try:
            route = resolve(request.path_info).route or "unmatched"
        except Resolver404:
            route = "unmatched"
        metrics.observe_request(
            method=request.method,
            route=route,
            status=response.status_code,
            seconds=time.perf_counter() - started,
        )
        return response


class ApiErrorEnvelopeMiddleware:
    """Last line of defence for the error format: any error response on an API path that is not
    already JSON (Django's 404/405, a crash outside DRF) becomes the standard envelope."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code >= 400
            and is_api_path(request.path)
            and "json" not in response.get("Content-Type", "")
        ):
            return self._envelope_for(response)
        return response

    def process_exception(self, request, exception):
        if not is_api_path(request.path):
            return None
        logging.getLogger("limon.errors").exception("Unhandled error on %s", request.path)
        return error_response(500, "INTERNAL_ERROR", "Internal server error")

    @staticmethod
    def _envelope_for(response):
        status = response.status_code
        code, message = _GENERIC_ERRORS.get(status, ("ERROR", "Request failed"))
        headers = {name: response[name] for name in ("Allow", "Retry-After") if name in response}
        return error_response(status, code, message, headers=headers)


_GENERIC_ERRORS = {
    400: ("BAD_REQUEST", "Bad request"),
    403: ("FORBIDDEN", "Forbidden"),
    404: ("NOT_FOUND", "Not found"),
    405: ("METHOD_NOT_ALLOWED", "Method not allowed"),
    413: ("FILE_TOO_LARGE", "Request body too large"),
    500: ("INTERNAL_ERROR", "Internal server error"),
}
