"""Panel forms. They only type-check input; the services normalise and enforce the rules, and
``apply_errors`` puts a service's error back on the form field it names."""

from django import forms
from django.contrib.auth import get_user_model

from leads.models import (
    MANUAL_ACTIVITY_TYPES,
    ActivityType,
    DetailType,
    InstitutionType,
    PipelineStatus,
)
from limon_site.errors import LimonError


def apply_errors(form: forms.Form, error: LimonError, *, default_field: str | None = None):
    """Show ``error`` on the form: on the fields its ``details.fields`` names, else on
    ``default_field`` (or the whole form)."""
    fields = error.details.get("fields") or {}
    placed = False
    for name, messages in fields.items():
        target = name if name in form.fields else default_field
        for message in messages:
            form.add_error(target, message)
            placed = True
    if not placed:
        form.add_error(default_field if default_field in form.fields else None, error.message)


class InstitutionForm(forms.Form):
    name = forms.CharField(max_length=200)
    type = forms.ChoiceField(choices=InstitutionType.choices, initial=InstitutionType.OTHER)
    status = forms.ChoiceField(choices=PipelineStatus.choices, initial=PipelineStatus.NEW)
    country = forms.CharField(
        max_length=2, required=False, help_text="Two-letter code, e.g. DE, FR, US"
    )
    city = forms.CharField(max_length=120, required=False)
    website = forms.CharField(max_length=300, required=False)
    owner = forms.ModelChoiceField(
        queryset=get_user_model().objects.filter(is_staff=True, is_active=True),
        required=False,
        to_field_name="username",
    )
    source = forms.CharField(max_length=120, required=False)
    next_follow_up = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    tags = forms.CharField(max_length=500, required=False, help_text="Comma-separated")

    @classmethod
    def for_institution(cls, institution, data=None) -> "InstitutionForm":
        initial = {
            "name": institution.name,
            "type": institution.type,
            "status": institution.status,
            "country": institution.country,
            "city": institution.city,
            "website": institution.website,
            "owner": institution.owner.get_username() if institution.owner_id else None,
            "source": institution.source,
            "next_follow_up": institution.next_follow_up,
            "tags": ", ".join(institution.tag_list),
        }
        return cls(data=data, initial=initial)


class ContactForm(forms.Form):
    first_name = forms.CharField(max_length=100, required=False)
    last_name = forms.CharField(max_length=100, required=False)
    position = forms.CharField(max_length=150, required=False)
    is_primary = forms.BooleanField(required=False, label="Primary contact")


class NewContactForm(ContactForm):
    """Adding a contact with its first e-mail and phone in one go."""

    email = forms.CharField(max_length=300, required=False, label="E-mail")
    phone = forms.CharField(max_length=300, required=False)


class DetailForm(forms.Form):
    type = forms.ChoiceField(choices=DetailType.choices)
    value = forms.CharField(max_length=300)
    label = forms.CharField(max_length=100, required=False)


class NoteForm(forms.Form):
    content = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))


class NoteEditForm(NoteForm):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ActivityForm(forms.Form):
    type = forms.ChoiceField(
        choices=[(t.value, t.label) for t in ActivityType if t in MANUAL_ACTIVITY_TYPES]
    )
    summary = forms.CharField(max_length=500, required=False)
    occurred_at = forms.DateTimeField(
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text="Empty = now",
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=PipelineStatus.choices)
    summary = forms.CharField(max_length=500, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(help_text="CSV or XLSX, first row = column names")
