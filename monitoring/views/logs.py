"""Debug-log pages: the import page (upload, live progress, history), the denials report
and the event list.

The upload streams through the same ``LogUploadHandler`` and ``start_import`` service as
``POST /api/v1/log-import/start``; the denials page validates its filters with the API's
``DenialQuerySerializer`` and reads ``queries_logs.denial_report``; the event list uses the
API's ``EventFilter``. The progress bar polls ``GET /api/v1/log-import/status/{id}``, which
the staff session may call (``admin`` scope)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from limon_site.charts import Series, bar_chart, hbar_chart
from limon_site.panel.access import staff_required
from monitoring.api.events import DenialQuerySerializer, EventFilter
from monitoring.models import Event, LicenseServer, LogImport
from monitoring.queries_logs import denial_report, true_denial_rate
from monitoring.services.log_upload import LogUploadHandler, start_import, upload_limit_bytes
from monitoring.views.common import paginate, run

HISTORY_SIZE = 20
TOP = 10


class LogImportForm(forms.Form):
    """Server and time zone; the files themselves go through the streaming upload handler."""

    server_id = forms.ModelChoiceField(
        queryset=LicenseServer.objects.order_by("name"), label="License server"
    )
    timezone = forms.CharField(
        max_length=64,
        required=False,
        help_text="Time zone of the log's clock, e.g. Europe/Berlin. Empty: the server's.",
    )


@csrf_exempt
def log_import(request):
    """The streaming handler must be in place before anything reads the body, and the CSRF
    check reads it: so CSRF is checked by the inner view, after the handler is set."""
    if request.method == "POST":
        request.upload_handlers = [LogUploadHandler(request, max_bytes=upload_limit_bytes)]
    return _log_import(request)


@staff_required
@csrf_protect
def _log_import(request):
    form = LogImportForm(request.POST or None)
    if request.method == "POST":
        upload = request.upload_handlers[0]
        # A refused file stops the body's parsing, so fields after it may be missing:
        # the upload's own verdict is shown then rather than "this field is required".
        if form.is_valid() or upload.problem:
            batch = run(
                request,
                lambda: start_import(
                    upload=upload,
                    server_id=request.POST.get("server_id"),
                    timezone_name=request.POST.get("timezone", "").strip(),
                    created_by=request.user.get_username(),
                ),
                form=form,
            )
            if batch:
                messages.success(
                    request, f"Import {batch.pk} queued: {len(upload.stored)} file(s)."
                )
                return redirect(f"{reverse('monitoring:log-import')}?batch={batch.pk}")
        else:
            upload.discard()
    history = LogImport.objects.select_related("server").prefetch_related("files")
    return render(
        request,
        "monitoring/log_import.html",
        {
            "form": form,
            "history": history[:HISTORY_SIZE],
            "watch": _watched(request.GET.get("batch")),
            "max_upload_mb": upload_limit_bytes() // (1024 * 1024),
        },
    )


def _watched(value) -> LogImport | None:
    if value and value.isdigit():
        return LogImport.objects.filter(pk=int(value)).first()
    return None


@staff_required
def denials(request):
    query = DenialQuerySerializer(data=request.GET)
    valid = query.is_valid()
    values = query.validated_data if valid else {}
    scope = {
        "server_id": values.get("server_id"),
        "date_from": values.get("from"),
        "date_to": values.get("to"),
    }
    days = list(denial_report(group_by="day", **scope))[::-1] if valid else []
    features = _top(denial_report(group_by="feature", **scope)) if valid else []
    users = _top(denial_report(group_by="user", **scope)) if valid else []
    chart = bar_chart(
        [row["key"] for row in days],
        [
            Series("True denials", [row["true_denials"] for row in days]),
            Series("False denials", [row["false_denials"] for row in days]),
        ],
        title="True and false denials per day",
        stacked=True,
    )
    return render(
        request,
        "monitoring/denials.html",
        {
            "chart": chart,
            "features": features,
            "users": users,
            "features_chart": _hbar(features, "Top denied features"),
            "users_chart": _hbar(users, "Top denied users"),
            "errors": {} if valid else query.errors,
            "servers": LicenseServer.objects.order_by("name"),
            "filters": {
                "server_id": request.GET.get("server_id", ""),
                "from": request.GET.get("from", ""),
                "to": request.GET.get("to", ""),
            },
        },
    )


def _top(rows) -> list[dict]:
    """The first rows with at least one true denial, with their rate per 100 checkouts."""
    top = [row for row in rows[: TOP * 2] if row["true_denials"] or row["false_denials"]][:TOP]
    for row in top:
        row["rate"] = true_denial_rate(row)
    return top


def _hbar(rows: list[dict], title: str):
    return hbar_chart([(row["key"] or "—", row["true_denials"]) for row in rows], title=title)


@staff_required
def events(request):
    queryset = Event.objects.select_related("server").order_by("-occurred_at", "-id")
    filterset = EventFilter(request.GET, queryset=queryset)
    rows = filterset.qs if filterset.is_valid() else Event.objects.none()
    return render(
        request, "monitoring/events.html", {"filter": filterset, **paginate(request, rows)}
    )
