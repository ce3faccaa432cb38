"""License pages: the filterable table with bulk actions, create (with a generated key), edit,
toggle, delete, and the detail page with devices, sessions, resources, anomalies and the audit
trail."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from licensing import queries, staff_queries
from licensing.api.staff.filters import LicenseFilter
from licensing.models import Customer, License, ResourceStatus, ResourceType
from licensing.panel.common import attempt, form_attempt, paginate, safe_next, selected_ids
from licensing.panel.forms import LicenseEditForm, LicenseForm, RegisterDeviceForm
from licensing.services import devices, licenses, licenses_admin, resources
from limon_site.models import AuditEvent
from limon_site.panel.access import staff_required

BULK_ACTIONS = {"activate", "deactivate", "delete"}


@staff_required
def license_list(request):
    queryset = staff_queries.licenses_with_device_counts().select_related("customer", "product")
    filterset = LicenseFilter(request.GET, queryset.order_by("-created_at", "-id"))
    return render(
        request,
        "licensing/staff/licenses.html",
        {
            "filter": filterset,
            "customer_label": _customer_label(request.GET.get("customer")),
            **paginate(request, filterset.qs),
        },
    )


def _bulk_message(action: str):
    def message(result) -> str:
        count = result if isinstance(result, int) else result.count
        noun = "license" if count == 1 else "licenses"
        return f"{count} {noun} {action}d."

    return message


@staff_required
@require_POST
def license_bulk(request):
    action = request.POST.get("action", "")
    ids = selected_ids(request)
    back = safe_next(request, reverse("licensing:licenses"))
    if action not in BULK_ACTIONS or not ids:
        messages.error(request, "Choose an action and at least one license.")
        return redirect(back)
    if action == "delete":
        run = lambda: licenses_admin.delete_licenses(license_ids=ids, actor=request.user)  # noqa: E731
    else:
        run = lambda: licenses_admin.set_licenses_active(  # noqa: E731
            license_ids=ids, active=action == "activate", actor=request.user
        )
    attempt(request, run, success=_bulk_message(action))
    return redirect(back)


def _customer_label(customer_id) -> str:
    valid = str(customer_id or "").isdigit()
    customer = Customer.objects.filter(pk=customer_id).first() if valid else None
    return customer.text if customer else ""


@staff_required
def license_new(request):
    initial = {"key": licenses.generate_license_key(), "customer": request.GET.get("customer")}
    form = LicenseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        license = form_attempt(
            request,
            form,
            lambda: licenses.create_license(actor=request.user, **_license_values(form)),
            success=lambda lic: f"License {lic.key} issued.",
        )
        if license:
            return redirect("licensing:license", license.pk)
    customer_id = form["customer"].value()
    return render(
        request,
        "licensing/staff/license_form.html",
        {"form": form, "customer_label": _customer_label(customer_id)},
    )


def _license_values(form) -> dict:
    values = {k: v for k, v in form.cleaned_data.items() if k != "force"}
    if not values.get("valid_from"):
        values.pop("valid_from", None)
    return values


@staff_required
def license_edit(request, pk: int):
    license = get_object_or_404(License, pk=pk)
    initial = {
        field: getattr(license, field)
        for field in (
            "customer",
            "product",
            "type",
            "valid_from",
            "valid_until",
            "max_activations",
            "max_users",
            "is_active",
            "notes",
        )
    }
    form = LicenseEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = _license_values(form)
        changed = form_attempt(
            request,
            form,
            lambda: licenses_admin.change_license(
                license_id=license.pk,
                changes=values,
                force=form.cleaned_data["force"],
                actor=request.user,
            ),
            success=lambda change: (
                "License updated."
                + (
                    f" {len(change.deactivated)} device(s) deactivated."
                    if change.deactivated
                    else ""
                )
            ),
        )
        if changed:
            return redirect("licensing:license", license.pk)
    return render(
        request,
        "licensing/staff/license_form.html",
        {
            "form": form,
            "license": license,
            "customer_label": _customer_label(form["customer"].value()),
        },
    )


@staff_required
def license_detail(request, pk: int):
    license = get_object_or_404(
        staff_queries.licenses_with_device_counts().select_related("customer", "product"), pk=pk
    )
    live_ids = set(queries.live_sessions().filter(license=license).values_list("pk", flat=True))
    sessions = license.sessions.select_related("activation").order_by("-started_at")[:50]
    audit_trail = AuditEvent.objects.filter(target_type="license", target_id=str(license.pk))[:100]
    available = {
        resource_type: staff_queries.check_availability(resource_type, 25).resources
        for resource_type in ResourceType.values
    }
    return render(
        request,
        "licensing/staff/license_detail.html",
        {
            "license": license,
            "devices": license.activations.order_by("-is_active", "-activated_at"),
            "sessions": sessions,
            "live_ids": live_ids,
            "resources": license.resources.filter(status=ResourceStatus.ALLOCATED),
            "available": {k: v for k, v in available.items() if v},
            "anomalies": license.anomalies.order_by("resolved", "-last_seen")[:20],
            "audit_trail": audit_trail,
            "device_form": RegisterDeviceForm(),
        },
    )


@staff_required
@require_POST
def license_toggle(request, pk: int):
    attempt(
        request,
        lambda: licenses_admin.toggle_license(license_id=pk, actor=request.user),
        success=lambda lic: f"License {lic.key} {'activated' if lic.is_active else 'deactivated'}.",
    )
    return redirect(safe_next(request, reverse("licensing:license", args=[pk])))


@staff_required
@require_POST
def license_delete(request, pk: int):
    if attempt(
        request,
        lambda: licenses_admin.delete_license(license_id=pk, actor=request.user),
        success="License deleted.",
    ):
        return redirect("licensing:licenses")
    return redirect("licensing:license", pk)


@staff_required
@require_POST
def device_register(request, pk: int):
    form = RegisterDeviceForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: devices.register_license_device(
                license_id=pk, actor=request.user, **form.cleaned_data
            ),
            success="Device registered.",
        )
    else:
        messages.error(request, "A hardware hash is required.")
    return redirect("licensing:license", pk)


@staff_required
@require_POST
def device_deactivate(request, pk: int, device_id: int):
    attempt(
        request,
        lambda: devices.deactivate_license_device(
            license_id=pk, device_id=device_id, actor=request.user
        ),
        success="Device deactivated; its sessions ended.",
    )
    return redirect("licensing:license", pk)


@staff_required
@require_POST
def license_resources(request, pk: int):
    """Allocate the ticked available resources to this license, or release ticked ones."""
    ids = selected_ids(request)
    if request.POST.get("action") == "release":
        attempt(
            request,
            lambda: resources.release_resources(
                resource_ids=ids, license_id=pk, actor=request.user
            ),
            success=lambda done: f"{len(done)} resource(s) released.",
        )
    else:
        attempt(
            request,
            lambda: resources.allocate_resources(
                license_id=pk, resource_ids=ids, actor=request.user
            ),
            success=lambda done: f"{len(done)} resource(s) allocated.",
        )
    return redirect("licensing:license", pk)
