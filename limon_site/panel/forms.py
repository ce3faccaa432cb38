from django import forms

from limon_site.models import ApiKeyScope


class ApiKeyForm(forms.Form):
    name = forms.CharField(max_length=100)
    scope = forms.ChoiceField(choices=ApiKeyScope.choices)
    expires_days = forms.IntegerField(
        min_value=1, required=False, help_text="Leave empty for a key that does not expire."
    )


class InstallLicenseForm(forms.Form):
    license_key = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
