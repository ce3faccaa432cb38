"""Contacts of an institution and their details (e-mails, phones in E.164, addresses)."""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from leads import conf, validation
from leads.models import Contact, ContactDetail, DetailType, Institution
from leads.services.common import field_error, normalised
from limon_site import audit
from limon_site.errors import Conflict

CONTACT_FIELDS = ("first_name", "last_name", "position", "is_primary")


def _contact_snapshot(contact: Contact) -> dict[str, Any]:
    return {
        "institution_id": contact.institution_id,
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "position": contact.position,
        "is_primary": contact.is_primary,
    }


def _clean_contact(values: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(values) - set(CONTACT_FIELDS))
    if unknown:
        raise field_error(unknown[0], "not a contact field")
    return {
        key: bool(value) if key == "is_primary" else validation.clean_text(value)
        for key, value in values.items()
    }


def _make_primary(contact: Contact) -> None:
    """At most one primary contact per institution (a partial unique constraint backs this)."""
    Contact.objects.filter(institution_id=contact.institution_id, is_primary=True).exclude(
        pk=contact.pk
    ).update(is_primary=False)


@transaction.atomic
def create_contact(
    *,
    institution: Institution,
    actor=None,
    details: list[dict[str, Any]] | None = None,
    **values: Any,
) -> Contact:
    """``values``: ``first_name``, ``last_name``, ``position``, ``is_primary``. The first contact
    of an institution becomes its primary contact. ``details``: ``[{type, value, label}]``."""
    cleaned = _clean_contact(values)
    if not (cleaned.get("first_name") or cleaned.get("last_name")):
        raise field_error("last_name", "a first or last name is required")
    Institution.objects.select_for_update().filter(pk=institution.pk).first()
    if not Contact.objects.filter(institution=institution).exists():
        cleaned["is_primary"] = True
    contact = Contact(institution=institution, **cleaned)
    if contact.is_primary:
        _make_primary(contact)
    contact.save()
    audit.record(
        actor=actor,
        action="lead.contact_created",
        target_type="contact",
        target_id=contact.pk,
        changes=audit.diff({}, _contact_snapshot(contact)),
    )
    for detail in details or []:
        add_detail(contact=contact, actor=actor, **detail)
    return contact


@transaction.atomic
def update_contact(*, contact: Contact, changes: dict[str, Any], actor=None) -> Contact:
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    cleaned = _clean_contact(changes)
    before = _contact_snapshot(contact)
    for key, value in cleaned.items():
        setattr(contact, key, value)
    if not (contact.first_name or contact.last_name):
        raise field_error("last_name", "a first or last name is required")
    after = _contact_snapshot(contact)
    if before == after:
        return contact
    if contact.is_primary:
        _make_primary(contact)
    contact.updated_at = timezone.now()
    contact.save()
    audit.record(
        actor=actor,
        action="lead.contact_updated",
        target_type="contact",
        target_id=contact.pk,
        changes=audit.diff(before, after),
    )
    return contact


@transaction.atomic
def delete_contact(*, contact: Contact, actor=None) -> None:
    before = _contact_snapshot(contact)
    pk = contact.pk
    contact.delete()
    audit.record(
        actor=actor,
        action="lead.contact_deleted",
        target_type="contact",
        target_id=pk,
        changes=audit.diff(before, {}),
    )


def phone_region(institution: Institution) -> str:
    """National phone numbers are read in the institution's country (or the configured one)."""
    return institution.country or conf.get()["default_phone_region"]


def _clean_detail(contact: Contact, detail_type: str, value: str, label: str) -> dict[str, str]:
    if detail_type not in DetailType.values:
        raise field_error("type", f"must be one of {', '.join(DetailType.values)}")
    region = phone_region(contact.institution)
    return {
        "type": detail_type,
        "value": normalised(
            "value", validation.normalise_detail, detail_type, value, region=region
        ),
        "label": validation.clean_text(label)[:100],
    }


def _duplicate_detail(detail_type: str, value: str) -> Conflict:
    return Conflict(
        f"This contact already has the {detail_type} {value}",
        code="DUPLICATE_DETAIL",
        details={"type": detail_type, "value": value},
    )


@transaction.atomic
def add_detail(
    *, contact: Contact, type: str, value: str, label: str = "", actor=None
) -> ContactDetail:
    """E-mails are syntax-checked, phones normalised to E.164; a bad one is a 400 on ``value``."""
    cleaned = _clean_detail(contact, type, value, label)
    if ContactDetail.objects.filter(
        contact=contact, type=cleaned["type"], value=cleaned["value"]
    ).exists():
        raise _duplicate_detail(cleaned["type"], cleaned["value"])
    try:
        with transaction.atomic():
            detail = ContactDetail.objects.create(contact=contact, **cleaned)
    except IntegrityError:
        raise _duplicate_detail(cleaned["type"], cleaned["value"]) from None
    audit.record(
        actor=actor,
        action="lead.detail_added",
        target_type="contact",
        target_id=contact.pk,
        changes={"detail": {"old": None, "new": cleaned}},
    )
    return detail


@transaction.atomic
def update_detail(*, detail: ContactDetail, changes: dict[str, Any], actor=None) -> ContactDetail:
    unknown = sorted(set(changes) - {"type", "value", "label"})
    if unknown:
        raise field_error(unknown[0], "not a contact detail field")
    before = {"type": detail.type, "value": detail.value, "label": detail.label}
    merged = {**before, **changes}
    cleaned = _clean_detail(detail.contact, merged["type"], merged["value"], merged["label"])
    if cleaned == before:
        return detail
    clash = ContactDetail.objects.filter(
        contact_id=detail.contact_id, type=cleaned["type"], value=cleaned["value"]
    ).exclude(pk=detail.pk)
    if clash.exists():
        raise _duplicate_detail(cleaned["type"], cleaned["value"])
    for key, value in cleaned.items():
        setattr(detail, key, value)
    try:
        with transaction.atomic():
            detail.save()
    except IntegrityError:
        raise _duplicate_detail(cleaned["type"], cleaned["value"]) from None
    audit.record(
        actor=actor,
        action="lead.detail_updated",
        target_type="contact",
        target_id=detail.contact_id,
        changes=audit.diff(before, cleaned),
    )
    return detail


@transaction.atomic
def delete_detail(*, detail: ContactDetail, actor=None) -> None:
    before = {"type": detail.type, "value": detail.value, "label": detail.label}
    contact_id = detail.contact_id
    detail.delete()
    audit.record(
        actor=actor,
        action="lead.detail_deleted",
        target_type="contact",
        target_id=contact_id,
        changes={"detail": {"old": before, "new": None}},
    )
