"""Forms of the staff panel pages. They validate input shape only; the rules are the services'."""

from django import forms

from licensing.models import Customer, LicenseType, Product, ResourceType
from licensing.services.customers import CUSTOMER_FIELDS

DATE = forms.DateInput(attrs={"type": "date"})


class CustomerForm(forms.ModelForm):
    class Meta:
        model = Customer
        fields = CUSTOMER_FIELDS
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class LicenseForm(forms.Form):
    key = forms.CharField(
        max_length=19, required=False, help_text="Leave empty or keep the generated key."
    )
    customer = forms.ModelChoiceField(queryset=Customer.objects.all(), widget=forms.HiddenInput)
    product = forms.ModelChoiceField(queryset=Product.objects.filter(is_active=True))
    type = forms.ChoiceField(choices=LicenseType.choices)
    valid_from = forms.DateField(required=False, widget=DATE, help_text="Empty: today.")
    valid_until = forms.DateField(required=False, widget=DATE, help_text="Empty: no end.")
    max_activations = forms.IntegerField(min_value=0, initial=1)
    max_users = forms.IntegerField(min_value=1, initial=1)
    is_active = forms.BooleanField(required=False, initial=True)
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class LicenseEditForm(LicenseForm):
    key = None
    product = forms.ModelChoiceField(queryset=Product.objects.all())
    force = forms.BooleanField(
        required=False,
        label="Deactivate the oldest devices if max activations drops below the active devices",
    )


class RegisterDeviceForm(forms.Form):
    hardware_hash = forms.CharField(max_length=255)
    machine_name = forms.CharField(max_length=255, required=False)
    app_version = forms.CharField(max_length=64, required=False)


class ResourceForm(forms.Form):
    type = forms.ChoiceField(choices=ResourceType.choices)
    identifier = forms.CharField(max_length=255)
    notes = forms.CharField(max_length=255, required=False)


class ResourceImportForm(forms.Form):
    file = forms.FileField(help_text="CSV, UTF-8, header type,identifier[,notes]; 2 MB at most")
    type = forms.ChoiceField(
        choices=[("", "From the 'type' column"), *ResourceType.choices], required=False
    )
    dry_run = forms.BooleanField(required=False, label="Only check, import nothing")


class ProductForm(forms.ModelForm):
    class Meta:
        model = Product
        fields = [
            "name",
            "description",
            "single_session",
            "heartbeat_interval",
            "session_timeout",
            "current_version",
            "minimum_version",
            "offline_grace_days",
            "is_active",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class ReleaseForm(forms.Form):
    version = forms.CharField(max_length=64, help_text="Semantic version, e.g. 1.4.0")
    release_date = forms.DateField(widget=DATE)
    download_url = forms.URLField(required=False, max_length=500, assume_scheme="https")
    release_notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    is_mandatory = forms.BooleanField(required=False)
    make_current = forms.BooleanField(required=False, label="Offer as the current version")
