"""Customers: created by staff (panel, API) and by the leads CRM when a lead is won."""

from django.db import transaction

from licensing.models import Customer
from licensing.services._common import snapshot, validated
from limon_site import audit
from limon_site.errors import Conflict, ValidationFailed

CUSTOMER_FIELDS = ["name", "email", "contact_name", "phone", "notes"]


def _clean(values: dict) -> dict:
    cleaned = {key: (value or "").strip() for key, value in values.items()}
    if "name" in cleaned and not cleaned["name"]:
        raise ValidationFailed(
            "A customer needs a name", details={"fields": {"name": ["This field is required."]}}
        )
    return cleaned


@transaction.atomic
def create_customer(
    *,
    name: str,
    email: str = "",
    phone: str = "",
    contact_name: str = "",
    notes: str = "",
    actor=None,
) -> Customer:
    values = _clean(
        {"name": name, "email": email, "phone": phone, "contact_name": contact_name, "notes": notes}
    )
    customer = Customer(**values)
    validated(customer)
    customer.save()
    audit.record(
        actor=actor,
        action="customer.created",
        target_type="customer",
        target_id=customer.pk,
        changes=audit.diff({}, snapshot(customer, CUSTOMER_FIELDS)),
    )
    return customer


@transaction.atomic
def update_customer(*, customer: Customer, actor=None, **changes) -> Customer:
    unknown = sorted(set(changes) - set(CUSTOMER_FIELDS))
    if unknown:
        raise ValidationFailed(f"Unknown customer fields: {', '.join(unknown)}")
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    before = snapshot(customer, CUSTOMER_FIELDS)
    for field, value in _clean(changes).items():
        setattr(customer, field, value)
    validated(customer)
    customer.save()
    changed = audit.diff(before, snapshot(customer, CUSTOMER_FIELDS))
    if changed:
        audit.record(
            actor=actor,
            action="customer.updated",
            target_type="customer",
            target_id=customer.pk,
            changes=changed,
        )
    return customer


@transaction.atomic
def delete_customer(*, customer: Customer, actor=None) -> None:
    """Refused with 409 ``CUSTOMER_HAS_LICENSES`` while the customer holds licenses."""
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    license_count = customer.licenses.count()
    if license_count:
        raise Conflict(
            f"{customer.name} still holds {license_count} license(s); delete or move them first",
            code="CUSTOMER_HAS_LICENSES",
            details={"license_count": license_count},
        )
    before = snapshot(customer, CUSTOMER_FIELDS)
    customer_id = customer.pk
    customer.delete()
    audit.record(
        actor=actor,
        action="customer.deleted",
        target_type="customer",
        target_id=customer_id,
        changes=audit.diff(before, {}),
    )
