"""Applying an import plan in one transaction with bulk statements (10,000 rows in seconds)."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from leads.importers.planning import Plan, plan_import
from leads.models import Activity, ActivityType, Contact, ContactDetail, Institution
from leads.services.common import author_label
from limon_site import audit
from limon_site.errors import Conflict, ValidationFailed

BATCH = 500


def run_import(
    rows: list[dict[str, str]], *, actor=None, default_region: str = "", filename: str = ""
) -> dict[str, int]:
    """All or nothing: plans ``rows`` against the current database and, when no row is invalid,
    writes everything in one transaction. Running the same rows again changes nothing."""
    try:
        with transaction.atomic():
            plan = plan_import(rows, default_region=default_region, lock=True)
            if not plan.is_valid:
                raise ValidationFailed(
                    f"{plan.count('invalid')} rows are invalid; nothing was imported",
                    code="IMPORT_INVALID",
                    details={"summary": plan.summary()},
                )
            counts = _apply(plan, actor=actor)
            audit.record(
                actor=actor,
                action="lead.imported",
                target_type="import",
                target_id=filename[:64],
                changes={"rows": plan.summary(), "written": counts},
            )
    except IntegrityError:
        raise Conflict(
            "Leads changed while importing (another import or edit); nothing was imported. "
            "Please upload the file again.",
            code="IMPORT_CONFLICT",
        ) from None
    return {**plan.summary(), **counts}


def _apply(plan: Plan, *, actor) -> dict[str, int]:
    now = timezone.now()
    author = author_label(actor)
    planned = list(plan.institutions.values())

    new = [p.institution for p in planned if p.is_new]
    for institution in new:
        institution.created_at = institution.updated_at = now
    Institution.objects.bulk_create(new, batch_size=BATCH)

    changed = [p for p in planned if not p.is_new and p.changed_fields]
    fields = sorted({f for p in changed for f in p.changed_fields} | {"updated_at"})
    for p in changed:
        p.institution.updated_at = now
    Institution.objects.bulk_update([p.institution for p in changed], fields, batch_size=BATCH)
    Activity.objects.bulk_create(
        [
            Activity(
                institution=p.institution,
                type=ActivityType.STATUS_CHANGE,
                summary=f"Status {p.old_status} → {p.institution.status} (import)",
                details={"from": p.old_status, "to": p.institution.status, "import": True},
                occurred_at=now,
                created_at=now,
                created_by=author,
            )
            for p in changed
            if "status" in p.changed_fields
        ],
        batch_size=BATCH,
    )

    new_contacts, updated_contacts, new_primary_of = [], [], []
    for p in planned:
        contacts = list(p.contacts.values())
        if any(c.make_primary for c in contacts) and p.had_primary:
            new_primary_of.append(p.institution.pk)
        if not p.had_contacts and not any(c.make_primary for c in contacts):
            first_new = next((c for c in contacts if c.is_new), None)
            if first_new:
                first_new.make_primary = True
        designated = any(c.make_primary for c in contacts)
        for c in contacts:
            c.contact.institution = p.institution
            if designated:
                c.contact.is_primary = c.make_primary
            if c.is_new:
                c.contact.created_at = c.contact.updated_at = now
                new_contacts.append(c.contact)
            elif c.changed_fields or c.make_primary:
                c.contact.updated_at = now
                updated_contacts.append(c.contact)
    for start in range(0, len(new_primary_of), BATCH):
        Contact.objects.filter(
            institution_id__in=new_primary_of[start : start + BATCH], is_primary=True
        ).update(is_primary=False)
    Contact.objects.bulk_create(new_contacts, batch_size=BATCH)
    Contact.objects.bulk_update(
        updated_contacts, ["position", "is_primary", "updated_at"], batch_size=BATCH
    )

    new_details, relabelled = [], []
    for p in planned:
        for c in p.contacts.values():
            for detail in c.new_details:
                detail.contact = c.contact
                detail.created_at = now
                new_details.append(detail)
            relabelled.extend(c.relabelled)
    ContactDetail.objects.bulk_create(new_details, batch_size=BATCH)
    ContactDetail.objects.bulk_update(relabelled, ["label"], batch_size=BATCH)
    return {
        "institutions_created": len(new),
        "institutions_updated": len(changed),
        "contacts_created": len(new_contacts),
        "contacts_updated": len(updated_contacts),
        "details_created": len(new_details),
        "details_updated": len(relabelled),
    }
