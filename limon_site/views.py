"""Non-DRF platform views: Prometheus scrape and the error handlers that pick JSON for API
paths and friendly HTML pages for the panel."""

import logging

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from limon_site import metrics
from limon_site.api.errors import error_response, is_api_path

logger = logging.getLogger("limon.errors")


@require_GET
def metrics_view(request):
    return HttpResponse(metrics.render(), content_type=metrics.CONTENT_TYPE)


def not_found(request, exception=None):
    if is_api_path(request.path):
        return error_response(404, "NOT_FOUND", f"No endpoint at {request.path}")
    return render(request, "errors/404.html", status=404)


def permission_denied(request, exception=None):
    if is_api_path(request.path):
        return error_response(403, "FORBIDDEN", "Forbidden")
    return render(request, "errors/403.html", status=403)


def bad_request(request, exception=None):
    if is_api_path(request.path):
        return error_response(400, "BAD_REQUEST", "Bad request")
    return render(request, "errors/400.html", status=400)


def server_error(request):
    if is_api_path(request.path):
        return error_response(500, "INTERNAL_ERROR", "Internal server error")
    return render(request, "errors/500.html", status=500)


def csrf_failure(request, reason=""):
    if is_api_path(request.path):
        return error_response(403, "CSRF_FAILED", "CSRF verification failed", {"reason": reason})
    return render(
        request, "errors/403.html", {"reason": "Your form expired; reload the page."}, status=403
    )
