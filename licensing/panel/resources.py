"""Resource pool pages: availability gauges, the filterable pool table with allocate / release /
quarantine / restore / delete, adding one resource, and the CSV import with its row report."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from licensing import staff_queries
from licensing.api.staff.filters import ResourceFilter
from licensing.api.staff.views.resources import read_csv_upload
from licensing.models import License, Resource
from licensing.panel.common import attempt, form_attempt, paginate, safe_next, selected_ids
from licensing.panel.forms import ResourceForm, ResourceImportForm
from licensing.services import resource_import, resources
from limon_site import charts
from limon_site.errors import LimonError
from limon_site.panel.access import staff_required


@staff_required
def resource_pools(request):
    pools = staff_queries.pool_availability()
    gauges = [
        {
            "name": name,
            **info,
            "gauge": charts.gauge(
                info["total"] - info["available"], info["total"], title=f"{name}: in use", size=110
            ),
        }
        for name, info in pools.items()
    ]
    filterset = ResourceFilter(
        request.GET, Resource.objects.select_related("license").order_by("type", "identifier")
    )
    return render(
        request,
        "licensing/staff/resources.html",
        {
            "gauges": gauges,
            "filter": filterset,
            "add_form": ResourceForm(),
            **paginate(request, filterset.qs),
        },
    )


def _license_id(raw: str) -> int | None:
    """A license named by id or by key (the picker fills the id; a typed key works too)."""
    raw = (raw or "").strip()
    if raw.isdigit():
        return int(raw)
    license = License.objects.filter(key=raw.upper()).only("pk").first()
    return license.pk if license else None


def _count(done) -> str:
    return f"{len(done)} resource{'s' if len(done) != 1 else ''}"


@staff_required
@require_POST
def resource_action(request):
    ids = selected_ids(request)
    action = request.POST.get("action")
    back = safe_next(request, reverse("licensing:resources"))
    if not ids:
        messages.error(request, "Tick at least one resource.")
        return redirect(back)
    if action == "allocate":
        license_id = _license_id(
            request.POST.get("license") or request.POST.get("license_text", "")
        )
        if license_id is None:
            messages.error(request, "Choose the license to allocate to.")
            return redirect(back)
        attempt(
            request,
            lambda: resources.allocate_resources(
                license_id=license_id, resource_ids=ids, actor=request.user
            ),
            success=lambda done: f"{_count(done)} allocated.",
        )
    elif action == "release":
        attempt(
            request,
            lambda: resources.release_resources(resource_ids=ids, actor=request.user),
            success=lambda done: f"{_count(done)} released.",
        )
    elif action == "quarantine":
        days = request.POST.get("days", "").strip()
        attempt(
            request,
            lambda: resources.quarantine_resources(
                resource_ids=ids,
                days=int(days) if days.isdigit() and int(days) > 0 else None,
                note=request.POST.get("note", "")[:255],
                actor=request.user,
            ),
            success=lambda done: f"{_count(done)} quarantined.",
        )
    elif action == "restore":
        attempt(
            request,
            lambda: resources.restore_resources(resource_ids=ids, actor=request.user),
            success=lambda done: f"{_count(done)} back in the pool.",
        )
    elif action == "delete":
        deleted = 0
        for resource in Resource.objects.filter(pk__in=ids):
            if attempt(
                request,
                lambda r=resource: resources.delete_resource(resource=r, actor=request.user),
            ):
                deleted += 1
        if deleted:
            messages.success(request, f"{deleted} resource(s) deleted.")
    else:
        messages.error(request, "Unknown action.")
    return redirect(back)


@staff_required
@require_POST
def resource_add(request):
    form = ResourceForm(request.POST)
    if form.is_valid():
        form_attempt(
            request,
            form,
            lambda: resources.add_resource(actor=request.user, **form.cleaned_data),
            success=lambda r: f"{r.identifier} added to the {r.get_type_display()} pool.",
        )
    for error in form.errors.values():
        messages.error(request, " ".join(error))
    return redirect("licensing:resources")


@staff_required
def resource_import_page(request):
    form = ResourceImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = resource_import.import_resources_csv(
                text=read_csv_upload(form.cleaned_data["file"]),
                default_type=form.cleaned_data["type"] or None,
                dry_run=form.cleaned_data["dry_run"],
                actor=request.user,
            )
        except LimonError as exc:
            form.add_error(None, exc.message)
        else:
            if report.ok and report.created:
                messages.success(request, f"{report.created} resource(s) imported.")
    return render(request, "licensing/staff/resource_import.html", {"form": form, "report": report})
