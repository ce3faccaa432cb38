"""Create, edit, update, delete an institution; its detail page, status and activities."""

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from leads import queries, services
from leads.forms import (
    ActivityForm,
    InstitutionForm,
    NewContactForm,
    NoteEditForm,
    NoteForm,
    StatusForm,
    apply_errors,
)
from leads.models import Contact, ContactDetail, Institution
from limon_site.errors import LimonError
from limon_site.panel.access import staff_required


def _values(form: InstitutionForm) -> dict:
    data = dict(form.cleaned_data)
    data["tags"] = data.get("tags") or ""
    return data


@staff_required
def create(request):
    form = InstitutionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            institution = services.create_institution(actor=request.user, **_values(form))
        except LimonError as error:
            apply_errors(form, error, default_field="name")
        else:
            messages.success(request, f"Lead “{institution.name}” created.")
            return redirect("leads:detail", institution.pk)
    return render(request, "leads/institution_form.html", {"form": form, "institution": None})


@staff_required
@require_GET
def edit(request, pk: int):
    institution = get_object_or_404(Institution, pk=pk)
    form = InstitutionForm.for_institution(institution)
    return render(
        request, "leads/institution_form.html", {"form": form, "institution": institution}
    )


@staff_required
@require_POST
def update(request, pk: int):
    institution = get_object_or_404(Institution, pk=pk)
    form = InstitutionForm.for_institution(institution, data=request.POST)
    if form.is_valid():
        try:
            services.update_institution(
                institution=institution, changes=_values(form), actor=request.user
            )
        except LimonError as error:
            apply_errors(form, error, default_field="name")
        else:
            messages.success(request, "Lead saved.")
            return redirect("leads:detail", institution.pk)
    return render(
        request,
        "leads/institution_form.html",
        {"form": form, "institution": institution},
        status=400,
    )


@staff_required
@require_POST
def delete(request, pk: int):
    """First POST shows what would be deleted; the confirming POST deletes."""
    institution = get_object_or_404(queries.institutions(), pk=pk)
    if request.POST.get("confirm") != "yes":
        return render(request, "leads/institution_delete.html", {"institution": institution})
    try:
        services.delete_institution(institution=institution, actor=request.user)
    except LimonError as error:
        messages.error(request, error.message)
        return redirect("leads:detail", pk)
    messages.success(request, f"Lead “{institution.name}” deleted.")
    return redirect("leads:overview")


@staff_required
@require_GET
def detail(request, pk: int):
    institution = get_object_or_404(queries.institutions(), pk=pk)
    contacts = Contact.objects.filter(institution=institution).prefetch_related(
        Prefetch("details", queryset=ContactDetail.objects.order_by("type", "id"))
    )
    notes = queries.institution_notes(institution)
    return render(
        request,
        "leads/institution_detail.html",
        {
            "institution": institution,
            "contacts": contacts.order_by("-is_primary", "last_name", "first_name"),
            "notes": [(note, NoteEditForm(initial=_note_initial(note))) for note in notes],
            "timeline": queries.timeline(institution),
            "status_form": StatusForm(initial={"status": institution.status}),
            "activity_form": ActivityForm(),
            "contact_form": NewContactForm(),
            "note_form": NoteForm(),
        },
    )


def _note_initial(note) -> dict:
    return {"content": note.content, "expected_version": note.version}


def form_errors_message(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label or field if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}".strip(": ").capitalize())


@staff_required
@require_POST
def change_status(request, pk: int):
    institution = get_object_or_404(Institution, pk=pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        form_errors_message(request, form)
    else:
        try:
            services.change_status(institution=institution, actor=request.user, **form.cleaned_data)
        except LimonError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"Status: {institution.get_status_display()}.")
    return redirect("leads:detail", pk)


@staff_required
@require_POST
def log_activity(request, pk: int):
    institution = get_object_or_404(Institution, pk=pk)
    form = ActivityForm(request.POST)
    if not form.is_valid():
        form_errors_message(request, form)
    else:
        try:
            services.log_activity(institution=institution, actor=request.user, **form.cleaned_data)
        except LimonError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Activity logged.")
    return redirect("leads:detail", pk)


@staff_required
@require_POST
def convert(request, pk: int):
    institution = get_object_or_404(Institution, pk=pk)
    try:
        customer = services.convert_to_customer(institution=institution, actor=request.user)
    except LimonError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{institution.name} is now customer #{customer.pk}.")
    return redirect("leads:detail", pk)
