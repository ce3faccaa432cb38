"""License-server pages: list (status, last poll, error), detail (daemons, features with
saturation, live sessions, poll runs, inventory history), create, edit, the lifecycle buttons
(poll now, decommission, reactivate, delete) and the batch import."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from limon_site.csv_export import csv_response, wants_csv
from limon_site.errors import LimonError
from limon_site.panel.access import staff_required
from monitoring import queries
from monitoring.api.filters import ServerFilter
from monitoring.forms import ServerForm, ServerImportForm, apply_errors
from monitoring.models import LicenseServer
from monitoring.services import catalog, polling
from monitoring.views.common import paginate, run

SERVER_CSV_HEADER = ["name", "status", "in_service", "kind", "address", "site", "last_polled_at",
                     "last_success_at", "last_error"]  # fmt: skip
FEATURE_CSV_HEADER = ["feature", "vendor", "version", "kind", "issued", "in_use", "reserved",
                      "queued", "saturation_percent", "expires_on"]  # fmt: skip
SESSIONS_PAGE_SIZE = 25


def _export_query(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    params["format"] = "csv"
    return params.urlencode()


def _server_cells(s: LicenseServer) -> list:
    status = s.status if s.is_active else "decommissioned"
    return [s.name, status, s.is_active, s.kind, s.address, s.site.name if s.site_id else "",
            s.last_polled_at, s.last_success_at, s.last_error]  # fmt: skip


def _feature_cells(row: queries.FeatureRow) -> list:
    f = row.feature
    return [f.name, f.vendor, f.version, f.kind, f.issued, f.in_use, f.reserved, f.queued,
            row.percent, f.expires_on]  # fmt: skip


@staff_required
def server_list(request):
    filterset = ServerFilter(request.GET, queryset=queries.servers())
    for alias in ServerFilter.API_ALIASES:
        filterset.form.fields.pop(alias)
    if wants_csv(request):
        rows = (_server_cells(server) for server in filterset.qs)
        return csv_response("servers", SERVER_CSV_HEADER, rows)
    return render(
        request,
        "monitoring/servers.html",
        {
            "filter": filterset,
            "csv_query": _export_query(request),
            **paginate(request, filterset.qs),
        },
    )


@staff_required
def server_detail(request, pk: int):
    """``?format=csv`` downloads the server's features (what the features table shows)."""
    server = get_object_or_404(LicenseServer.objects.select_related("site"), pk=pk)
    features = queries.server_features(server)
    if wants_csv(request):
        rows = (_feature_cells(row) for row in features)
        return csv_response(f"server-{slugify(server.name)}-features", FEATURE_CSV_HEADER, rows)
    return render(
        request,
        "monitoring/server_detail.html",
        {
            "server": server,
            "daemons": server.daemons.order_by("name"),
            "features": features,
            **paginate(request, queries.active_sessions(server), size=SESSIONS_PAGE_SIZE),
            "poll_runs": queries.recent_poll_runs(server),
            "history": queries.inventory_history(server),
            "deployments": server.deployments.select_related("application"),
        },
    )


@staff_required
def server_new(request):
    initial = {"site": request.GET.get("site")} if request.GET.get("site") else None
    form = ServerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        server = run(
            request,
            lambda: catalog.create_server(actor=request.user, **form.values()),
            form=form,
            success=f"Server {form.cleaned_data['name']} created.",
        )
        if server:
            return redirect("monitoring:server", server.pk)
    return render(request, "monitoring/server_form.html", {"form": form})


@staff_required
def server_edit(request, pk: int):
    server = get_object_or_404(LicenseServer, pk=pk)
    form = ServerForm.for_server(server, data=request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and run(
            request,
            lambda: catalog.update_server(server, actor=request.user, **form.values()),
            form=form,
            success="Server saved.",
        )
    ):
        return redirect("monitoring:server", server.pk)
    return render(request, "monitoring/server_form.html", {"form": form, "server": server})


@staff_required
@require_POST
def server_decommission(request, pk: int):
    server = get_object_or_404(LicenseServer, pk=pk)
    run(
        request,
        lambda: catalog.decommission_server(server, actor=request.user),
        success=f"Server {server.name} decommissioned: kept for history, no longer polled.",
    )
    return redirect("monitoring:server", pk)


@staff_required
@require_POST
def server_poll(request, pk: int):
    """ "Poll now": test reachability and say what was found; the run joins the poll list."""
    server = get_object_or_404(LicenseServer, pk=pk)
    found = run(request, lambda: polling.poll_now(server, actor=request.user))
    if found and found.ok:
        messages.success(
            request,
            f"{server.name} answered in {found.duration_ms} ms: {found.features} features, "
            f"{found.sessions_opened} sessions opened, {found.sessions_closed} closed.",
        )
    elif found:
        messages.error(request, f"{server.name} did not answer: {found.error}")
    return redirect("monitoring:server", pk)


@staff_required
@require_POST
def server_reactivate(request, pk: int):
    server = get_object_or_404(LicenseServer, pk=pk)
    run(
        request,
        lambda: catalog.reactivate_server(server, actor=request.user),
        success=f"Server {server.name} reactivated: polled again from the next cycle.",
    )
    return redirect("monitoring:server", pk)


@staff_required
@require_POST
def server_delete(request, pk: int):
    server = get_object_or_404(LicenseServer, pk=pk)
    if run(
        request,
        lambda: catalog.delete_server(server, actor=request.user),
        success=f"Server {server.name} deleted with its history.",
    ):
        return redirect("monitoring:servers")
    return redirect("monitoring:server", pk)


@staff_required
def server_import(request):
    """Every row is created or none is; on failure the per-row report shows what to fix."""
    form = ServerImportForm(request.POST or None)
    rows = []
    if request.method == "POST" and form.is_valid():
        try:
            result = catalog.import_servers_csv(
                form.cleaned_data["text"], actor=request.user, site=form.cleaned_data["site"]
            )
        except LimonError as error:
            rows = error.details.get("rows") or []
            _import_errors(form, error)
        else:
            messages.success(request, f"{result['created']} server(s) imported.")
            return redirect("monitoring:servers")
    status = 400 if form.errors else 200
    return render(
        request, "monitoring/server_import.html", {"form": form, "rows": rows}, status=status
    )


def _import_errors(form, error: LimonError) -> None:
    """The service names the whole upload ``file``; here that is the text field."""
    fields = (error.details or {}).get("fields") or {}
    if "file" in fields:
        for message in fields["file"]:
            form.add_error("text", message)
    elif fields:
        apply_errors(form, error)
    else:
        form.add_error(None, error.message)
