"""Versioned notes: an edit adds a ``NoteVersion`` (author and time kept) and bumps ``version``;
deleting hides the note but keeps every version."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from leads.models import ActivityType, Contact, Institution, Note, NoteVersion
from leads.services.activities import record_activity
from leads.services.common import author_label, field_error, user_or_none
from limon_site import audit
from limon_site.errors import Conflict

MAX_NOTE_LENGTH = 20_000


def _clean_content(content: str) -> str:
    content = str(content or "").strip()
    if not content:
        raise field_error("content", "a note needs some text")
    if len(content) > MAX_NOTE_LENGTH:
        raise field_error("content", f"at most {MAX_NOTE_LENGTH} characters")
    return content


@transaction.atomic
def add_note(
    *,
    content: str,
    institution: Institution | None = None,
    contact: Contact | None = None,
    actor=None,
) -> Note:
    """A note on an institution or on a contact (exactly one of them)."""
    if (institution is None) == (contact is None):
        raise field_error("institution_id", "give either institution_id or contact_id")
    content = _clean_content(content)
    now = timezone.now()
    author = author_label(actor)
    note = Note.objects.create(
        institution=institution,
        contact=contact,
        content=content,
        version=1,
        created_at=now,
        created_by=author,
        updated_at=now,
        updated_by=author,
    )
    NoteVersion.objects.create(
        note=note,
        version=1,
        content=content,
        created_at=now,
        created_by=author,
        author=user_or_none(actor),
    )
    record_activity(
        institution=institution or contact.institution,
        contact=contact,
        type=ActivityType.NOTE,
        summary=content[:200],
        details={"note_id": note.pk},
        occurred_at=now,
        actor=actor,
    )
    audit.record(
        actor=actor,
        action="lead.note_added",
        target_type="note",
        target_id=note.pk,
        changes={"content": {"old": None, "new": content}},
    )
    return note


@transaction.atomic
def edit_note(*, note: Note, content: str, actor=None, expected_version: int | None = None) -> Note:
    """Adds version N+1. ``expected_version`` (optional) refuses an edit made on a stale copy
    with 409, so two people editing at once cannot silently overwrite each other."""
    content = _clean_content(content)
    note = Note.objects.select_for_update().get(pk=note.pk)
    if note.is_deleted:
        raise Conflict("This note was deleted", code="NOTE_DELETED", details={"note_id": note.pk})
    if expected_version is not None and expected_version != note.version:
        raise Conflict(
            f"The note changed meanwhile (now version {note.version})",
            code="NOTE_VERSION_CONFLICT",
            details={"current_version": note.version, "expected_version": expected_version},
        )
    if content == note.content:
        return note
    now = timezone.now()
    author = author_label(actor)
    previous = note.content
    updated = Note.objects.filter(pk=note.pk, version=note.version).update(
        content=content, version=F("version") + 1, updated_at=now, updated_by=author
    )
    if updated != 1:
        raise Conflict("The note changed meanwhile", code="NOTE_VERSION_CONFLICT")
    note.refresh_from_db()
    NoteVersion.objects.create(
        note=note,
        version=note.version,
        content=content,
        created_at=now,
        created_by=author,
        author=user_or_none(actor),
    )
    audit.record(
        actor=actor,
        action="lead.note_edited",
        target_type="note",
        target_id=note.pk,
        changes={"content": {"old": previous, "new": content}, "version": note.version},
    )
    return note


@transaction.atomic
def delete_note(*, note: Note, actor=None) -> Note:
    """Soft delete: the note leaves the lists, its versions stay retrievable."""
    note = Note.objects.select_for_update().get(pk=note.pk)
    if note.is_deleted:
        return note
    note.deleted_at = timezone.now()
    note.deleted_by = author_label(actor)
    note.save(update_fields=["deleted_at", "deleted_by"])
    audit.record(
        actor=actor,
        action="lead.note_deleted",
        target_type="note",
        target_id=note.pk,
        changes={"deleted_at": {"old": None, "new": note.deleted_at.isoformat()}},
    )
    return note
