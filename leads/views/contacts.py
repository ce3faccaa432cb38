"""Contacts and their details: add from the institution page, edit on the contact page."""

from django.contrib import messages
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from leads import queries, services
from leads.forms import (
    ContactForm,
    DetailForm,
    NewContactForm,
    NoteEditForm,
    NoteForm,
    apply_errors,
)
from leads.models import Contact, ContactDetail, DetailType, Institution
from leads.views.institutions import form_errors_message
from limon_site.errors import LimonError
from limon_site.panel.access import staff_required


@staff_required
@require_POST
def add_contact(request, pk: int):
    institution = get_object_or_404(Institution, pk=pk)
    form = NewContactForm(request.POST)
    if not form.is_valid():
        form_errors_message(request, form)
        return redirect("leads:detail", pk)
    values = dict(form.cleaned_data)
    details = [
        {"type": detail_type, "value": values.pop(field), "label": ""}
        for field, detail_type in (("email", DetailType.EMAIL), ("phone", DetailType.PHONE))
    ]
    try:
        with transaction.atomic():
            contact = services.create_contact(
                institution=institution,
                actor=request.user,
                details=[d for d in details if d["value"].strip()],
                **values,
            )
    except LimonError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Contact {contact.full_name} added.")
    return redirect("leads:detail", pk)


@staff_required
def contact(request, pk: int):
    """The contact page; POST saves the contact's own fields."""
    found = get_object_or_404(
        Contact.objects.select_related("institution").prefetch_related(
            Prefetch("details", queryset=ContactDetail.objects.order_by("type", "id"))
        ),
        pk=pk,
    )
    form = ContactForm(
        request.POST or None,
        initial={
            "first_name": found.first_name,
            "last_name": found.last_name,
            "position": found.position,
            "is_primary": found.is_primary,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_contact(contact=found, changes=form.cleaned_data, actor=request.user)
        except LimonError as error:
            apply_errors(form, error, default_field="last_name")
        else:
            messages.success(request, "Contact saved.")
            return redirect("leads:contact", pk)
    notes = queries.contact_notes(found)
    return render(
        request,
        "leads/contact_detail.html",
        {
            "contact": found,
            "form": form,
            "detail_form": DetailForm(),
            "note_form": NoteForm(),
            "notes": [
                (
                    note,
                    NoteEditForm(
                        initial={"content": note.content, "expected_version": note.version}
                    ),
                )
                for note in notes
            ],
        },
        status=400 if form.errors else 200,
    )


@staff_required
@require_POST
def delete_contact(request, pk: int):
    found = get_object_or_404(Contact, pk=pk)
    services.delete_contact(contact=found, actor=request.user)
    messages.success(request, f"Contact {found.full_name} deleted.")
    return redirect("leads:detail", found.institution_id)


@staff_required
@require_POST
def add_detail(request, pk: int):
    found = get_object_or_404(Contact.objects.select_related("institution"), pk=pk)
    form = DetailForm(request.POST)
    if not form.is_valid():
        form_errors_message(request, form)
    else:
        try:
            services.add_detail(contact=found, actor=request.user, **form.cleaned_data)
        except LimonError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Detail added.")
    return redirect("leads:contact", pk)


@staff_required
@require_POST
def delete_detail(request, pk: int):
    detail = get_object_or_404(ContactDetail, pk=pk)
    services.delete_detail(detail=detail, actor=request.user)
    messages.success(request, "Detail removed.")
    return redirect("leads:contact", detail.contact_id)
