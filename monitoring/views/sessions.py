"""The sessions search page: the universal session query of ``GET /api/v1/sessions``, through
the same ``SessionFilter`` (status, server, feature, user, from / to, ordering), paginated,
with a streamed CSV of every filtered row (``?format=csv``)."""

from __future__ import annotations

from django.shortcuts import render

from limon_site.csv_export import csv_response, wants_csv
from limon_site.panel.access import staff_required
from monitoring.api.filters import SessionFilter
from monitoring.models import LicenseServer, Session
from monitoring.queries_inventory import session_search
from monitoring.views.common import paginate

CSV_HEADER = ["started_at", "ended_at", "status", "server", "feature", "user", "host",
              "licenses", "version", "borrowed", "source"]  # fmt: skip
#: Columns the page sorts by (the filter's ``ordering`` names).
SORTABLE = ("started_at", "ended_at", "licenses")


def _csv_rows(sessions):
    for s in sessions.iterator(chunk_size=2000):
        yield [s.started_at, s.ended_at, s.status, s.server.name, s.feature.name,
               s.user.username, s.host, s.licenses, s.version, s.borrowed, s.source]  # fmt: skip


def _sort_links(request) -> dict[str, dict]:
    """Per sortable column: the query string that sorts by it (descending first, then the
    other way when it is the current order) and the arrow to show."""
    current = request.GET.get("ordering", "")
    links = {}
    for field in SORTABLE:
        params = request.GET.copy()
        params.pop("page", None)
        params.pop("format", None)
        params["ordering"] = field if current == f"-{field}" else f"-{field}"
        arrow = "▼" if current == f"-{field}" else "▲" if current == field else ""
        links[field] = {"query": params.urlencode(), "arrow": arrow}
    return links


@staff_required
def session_list(request):
    filterset = SessionFilter(request.GET, queryset=session_search())
    valid = filterset.is_valid()
    rows = filterset.qs if valid else Session.objects.none()
    if wants_csv(request) and valid:
        return csv_response("sessions", CSV_HEADER, _csv_rows(rows))
    csv_params = request.GET.copy()
    csv_params.pop("page", None)
    csv_params["format"] = "csv"
    return render(
        request,
        "monitoring/sessions.html",
        {
            "filter": filterset,
            "servers": LicenseServer.objects.order_by("name"),
            "sort": _sort_links(request),
            "csv_query": csv_params.urlencode(),
            **paginate(request, rows),
        },
        status=200 if valid else 400,
    )
