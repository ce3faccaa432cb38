"""Converting a won lead into a licensing customer (leads calls licensing, never the reverse)."""

from django.db import transaction
from django.utils import timezone

from leads.models import ActivityType, Contact, DetailType, Institution, PipelineStatus
from leads.services.activities import record_activity
from licensing.models import Customer
from licensing.services.customers import create_customer
from limon_site import audit
from limon_site.errors import Conflict


def primary_contact(institution: Institution) -> Contact | None:
    """The primary contact, else the earliest one."""
    return (
        Contact.objects.filter(institution=institution)
        .prefetch_related("details")
        .order_by("-is_primary", "created_at", "id")
        .first()
    )


def _first_detail(contact: Contact | None, detail_type: str) -> str:
    if contact is None:
        return ""
    return next((d.value for d in contact.details.all() if d.type == detail_type), "")


@transaction.atomic
def convert_to_customer(*, institution: Institution, actor=None) -> Customer:
    """Creates the customer from the institution and its primary contact, links the two, and
    records a ``conversion`` activity. Only won leads convert, and only once (409 otherwise)."""
    institution = Institution.objects.select_for_update().get(pk=institution.pk)
    if institution.customer_id:
        raise Conflict(
            f"{institution.name} was already converted to a customer",
            code="LEAD_ALREADY_CONVERTED",
            details={"customer_id": institution.customer_id},
        )
    if institution.status != PipelineStatus.WON:
        raise Conflict(
            f"Only a won lead becomes a customer; {institution.name} is {institution.status}",
            code="LEAD_NOT_WON",
            details={"status": institution.status},
        )
    contact = primary_contact(institution)
    place = ", ".join(part for part in (institution.city, institution.country) if part)
    customer = create_customer(
        name=institution.name,
        email=_first_detail(contact, DetailType.EMAIL),
        phone=_first_detail(contact, DetailType.PHONE),
        contact_name=contact.full_name if contact else "",
        notes=f"Converted from lead #{institution.pk}"
        + (f" ({place})" if place else "")
        + (f", {institution.website}" if institution.website else ""),
        actor=actor,
    )
    institution.customer = customer
    institution.converted_at = timezone.now()
    institution.save(update_fields=["customer", "converted_at"])
    record_activity(
        institution=institution,
        contact=contact,
        type=ActivityType.CONVERSION,
        summary=f"Converted to customer {customer.name} (#{customer.pk})",
        details={"customer_id": customer.pk},
        actor=actor,
    )
    audit.record(
        actor=actor,
        action="lead.converted",
        target_type="institution",
        target_id=institution.pk,
        changes={"customer_id": {"old": None, "new": customer.pk}},
    )
    return customer
