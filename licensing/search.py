"""Global search providers of the licensing side (``/api/global-search``, the panel's header
search): customers by name or e-mail, licenses by key or part of it (dashes optional), devices by
machine name or hardware hash. Each result links to its panel page."""

from django.db.models import Q, Value
from django.db.models.functions import Replace, Upper
from django.urls import reverse

from licensing.models import Activation, Customer, License
from limon_site.registry import SearchResult, register_search_provider


def search_customers(query: str, limit: int) -> list[SearchResult]:
    found = Customer.objects.filter(
        Q(name__icontains=query) | Q(email__icontains=query) | Q(contact_name__icontains=query)
    ).order_by("name", "id")[:limit]
    return [
        SearchResult(
            type="customer",
            id=customer.pk,
            title=customer.name,
            subtitle=customer.email,
            url=reverse("licensing:customer", args=[customer.pk]),
        )
        for customer in found
    ]


def search_licenses(query: str, limit: int) -> list[SearchResult]:
    compact = query.upper().replace("-", "").replace(" ", "")
    condition = Q(key__icontains=query.strip())
    if len(compact) >= 3:
        condition |= Q(key_compact__contains=compact)
    found = (
        License.objects.annotate(key_compact=Replace(Upper("key"), Value("-"), Value("")))
        .filter(condition)
        .select_related("customer")
        .order_by("key")[:limit]
    )
    return [
        SearchResult(
            type="license",
            id=license.pk,
            title=license.key,
            subtitle=f"{license.customer.name} - {license.status.capitalize()}",
            url=reverse("licensing:license", args=[license.pk]),
        )
        for license in found
    ]


def search_devices(query: str, limit: int) -> list[SearchResult]:
    found = (
        Activation.objects.filter(
            Q(machine_name__icontains=query) | Q(hardware_hash__icontains=query)
        )
        .select_related("license__customer")
        .order_by("-is_active", "machine_name", "-activated_at")[:limit]
    )
    return [
        SearchResult(
            type="device",
            id=device.pk,
            title=device.machine_name or device.hardware_hash,
            subtitle=(
                f"{device.license.key} - {device.license.customer.name} - "
                f"{'Active' if device.is_active else 'Deactivated'}"
            ),
            url=reverse("licensing:license", args=[device.license_id]) + f"#device-{device.pk}",
        )
        for device in found
    ]


def register() -> None:
    register_search_provider("customer", search_customers)
    register_search_provider("license", search_licenses)
    register_search_provider("device", search_devices)
