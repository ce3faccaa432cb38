"""Notes with version history, on institutions and contacts."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from leads import services
from leads.forms import NoteEditForm, NoteForm
from leads.models import Contact, Institution, Note
from leads.views.institutions import form_errors_message
from limon_site.errors import LimonError
from limon_site.panel.access import staff_required


def _back(note: Note):
    if note.contact_id:
        return redirect("leads:contact", note.contact_id)
    return redirect("leads:detail", note.institution_id)


def _add_note(request, target: dict) -> None:
    """Add a note to ``target`` (``{"institution": …}`` or ``{"contact": …}``) from the form."""
    form = NoteForm(request.POST)
    if not form.is_valid():
        form_errors_message(request, form)
        return
    try:
        services.add_note(**target, actor=request.user, **form.cleaned_data)
    except LimonError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Note added.")


@staff_required
@require_POST
def add_institution_note(request, pk: int):
    _add_note(request, {"institution": get_object_or_404(Institution, pk=pk)})
    return redirect("leads:detail", pk)


@staff_required
@require_POST
def add_contact_note(request, pk: int):
    _add_note(request, {"contact": get_object_or_404(Contact, pk=pk)})
    return redirect("leads:contact", pk)


@staff_required
@require_POST
def edit_note(request, pk: int):
    note = get_object_or_404(Note, pk=pk)
    form = NoteEditForm(request.POST)
    if form.is_valid():
        try:
            note = services.edit_note(note=note, actor=request.user, **form.cleaned_data)
        except LimonError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"Note saved as version {note.version}.")
    else:
        form_errors_message(request, form)
    return _back(note)


@staff_required
@require_POST
def delete_note(request, pk: int):
    note = get_object_or_404(Note, pk=pk)
    services.delete_note(note=note, actor=request.user)
    messages.success(request, "Note deleted (its history is kept).")
    return _back(note)


@staff_required
@require_GET
def note_versions(request, pk: int):
    note = get_object_or_404(Note.objects.select_related("institution", "contact"), pk=pk)
    return render(
        request,
        "leads/note_versions.html",
        {"note": note, "versions": note.versions.order_by("-version")},
    )
