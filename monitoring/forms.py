"""Panel forms. They check the shape of the input only (types, required fields); the services
and configuration sections enforce the rules, and ``apply_errors`` shows their verdict on the
field it names."""

from __future__ import annotations

from django import forms

from limon_site.errors import LimonError
from monitoring.models import (
    Application,
    DeploymentScope,
    Environment,
    LicenseServer,
    MatchType,
    ServerKind,
    Site,
)

DATE = forms.DateInput(attrs={"type": "date"})
PATTERNS_HELP = "Glob patterns over feature names, one a line."


def apply_errors(form: forms.Form, error: LimonError) -> None:
    """Put a service error on the form: per field from ``details.fields``, else on the form."""
    fields = (error.details or {}).get("fields") or {}
    placed = False
    for name, messages in fields.items():
        if name not in form.fields:
            continue
        for message in messages if isinstance(messages, list) else [messages]:
            form.add_error(name, str(message))
            placed = True
    if not placed:
        form.add_error(None, error.message)


def lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class SiteForm(forms.Form):
    name = forms.CharField(max_length=100)
    code = forms.CharField(max_length=30, required=False, help_text="Short code used in labels")
    location = forms.CharField(max_length=200, required=False)
    timezone = forms.CharField(max_length=64, initial="UTC", help_text="e.g. Europe/Berlin")
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    @classmethod
    def for_site(cls, site: Site, data=None) -> SiteForm:
        return cls(data=data, initial={name: getattr(site, name) for name in cls.base_fields})


class ServerForm(forms.Form):
    name = forms.CharField(max_length=100)
    kind = forms.ChoiceField(choices=ServerKind.choices, initial=ServerKind.FLEXLM)
    address = forms.CharField(
        max_length=500, help_text="port@host, or a redundant triad port@h1,port@h2,port@h3"
    )
    site = forms.ModelChoiceField(queryset=Site.objects.order_by("name"), required=False)
    timezone = forms.CharField(
        max_length=64,
        required=False,
        help_text="Time zone of the server's clock; empty: the site's",
    )
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    feature_include = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=PATTERNS_HELP + " Empty: every feature.",
    )
    feature_exclude = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text=PATTERNS_HELP
    )

    @classmethod
    def for_server(cls, server: LicenseServer, data=None) -> ServerForm:
        initial = {name: getattr(server, name) for name in cls.base_fields}
        initial["site"] = server.site_id
        initial["feature_include"] = "\n".join(server.feature_include)
        initial["feature_exclude"] = "\n".join(server.feature_exclude)
        return cls(data=data, initial=initial)

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["feature_include"] = lines(data["feature_include"])
        data["feature_exclude"] = lines(data["feature_exclude"])
        return data


class ServerImportForm(forms.Form):
    text = forms.CharField(
        label="Servers",
        widget=forms.Textarea(attrs={"rows": 8, "placeholder": "27000@lic1.example.com"}),
        help_text="One address a line (port@host, or a triad port@h1,port@h2,port@h3), or CSV "
        "with a header line naming the columns name,address,kind,site.",
    )
    site = forms.ModelChoiceField(
        queryset=Site.objects.order_by("name"),
        required=False,
        help_text="Site of the rows that name none",
    )


class ApplicationForm(forms.Form):
    name = forms.CharField(max_length=150)
    vendor = forms.CharField(max_length=150, required=False)
    category = forms.CharField(max_length=100, required=False)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    is_critical = forms.BooleanField(required=False, label="Critical application")
    cost_per_seat = forms.DecimalField(
        max_digits=12, decimal_places=2, required=False, help_text="Per seat per year"
    )
    currency = forms.CharField(max_length=3, initial="EUR")

    @classmethod
    def for_application(cls, application: Application, data=None) -> ApplicationForm:
        initial = {name: getattr(application, name) for name in cls.base_fields}
        return cls(data=data, initial=initial)


class NewApplicationForm(ApplicationForm):
    """Creating an application, optionally from a built-in template (its mappings pre-filled)."""

    template = forms.ChoiceField(required=False, label="Start from template")

    def __init__(self, *args, templates: list[tuple[str, str]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if templates:
            self.fields["template"].choices = [("", "None"), *templates]
        else:
            del self.fields["template"]


class DeploymentForm(forms.Form):
    server = forms.ModelChoiceField(queryset=LicenseServer.objects.order_by("name"))
    seats = forms.IntegerField(min_value=0, required=False, help_text="Seats owned (contract)")
    annual_cost = forms.DecimalField(max_digits=14, decimal_places=2, required=False)
    contract_start = forms.DateField(required=False, widget=DATE)
    contract_end = forms.DateField(required=False, widget=DATE)
    scope = forms.ChoiceField(choices=DeploymentScope.choices, initial=DeploymentScope.EXCLUSIVE)
    environment = forms.ChoiceField(choices=Environment.choices, initial=Environment.PROD)
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    @classmethod
    def for_deployment(cls, deployment, data=None) -> DeploymentForm:
        initial = {name: getattr(deployment, name) for name in cls.base_fields}
        initial["server"] = deployment.server_id
        return cls(data=data, initial=initial)


class KeystoneForm(forms.Form):
    """The keystone selector. The choice list offers the features on the deployed servers, but
    the posted id is passed to ``set_keystone`` unchecked: that service decides."""

    keystone_feature = forms.IntegerField(required=False, label="Keystone feature")

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "None")]
        choices += [(f.pk, f"{f.name} ({f.vendor or '—'}) on {f.server.name}") for f in candidates]
        self.fields["keystone_feature"].widget = forms.Select(choices=choices)


class MappingForm(forms.Form):
    pattern = forms.CharField(max_length=300, help_text="Feature name, or a regular expression")
    match_type = forms.ChoiceField(choices=MatchType.choices, initial=MatchType.EXACT)
    display_name = forms.CharField(max_length=200)
    application = forms.ModelChoiceField(
        queryset=Application.objects.order_by("name"), required=False
    )
    server = forms.ModelChoiceField(
        queryset=LicenseServer.objects.order_by("name"),
        required=False,
        help_text="Only on this server; empty: every server",
    )
    cost_per_seat = forms.DecimalField(max_digits=12, decimal_places=2, required=False)
    priority = forms.IntegerField(
        min_value=0, initial=100, help_text="Among regular expressions the lowest wins"
    )

    @classmethod
    def for_mapping(cls, mapping, data=None) -> MappingForm:
        initial = {name: getattr(mapping, name) for name in cls.base_fields}
        initial["application"] = mapping.application_id
        initial["server"] = mapping.server_id
        return cls(data=data, initial=initial)


class SectionForm(forms.Form):
    """A configuration section's form: ``values()`` are what ``config.update`` receives."""

    def values(self) -> dict:
        return dict(self.cleaned_data)


class MonitoringConfigForm(SectionForm):
    """Whole numbers only; the ranges are the ``monitoring`` section's validator's."""

    poll_interval_minutes = forms.IntegerField(label="Poll interval (minutes)")
    poll_timeout_seconds = forms.IntegerField(label="Poll timeout (seconds)")
    poll_concurrency = forms.IntegerField(label="Servers polled at once")
    retention_days = forms.IntegerField(label="Retention (days)")
    saturation_threshold_percent = forms.IntegerField(label="Critical saturation (%)")


class LogImportConfigForm(SectionForm):
    """Whole numbers only; the ranges are the ``log-import`` section's validator's."""

    false_denial_before_seconds = forms.IntegerField(label="False denial: seconds before")
    false_denial_after_seconds = forms.IntegerField(label="False denial: seconds after")
    max_upload_mb = forms.IntegerField(label="Largest upload (MB)")
    batch_lines = forms.IntegerField(label="Lines per batch")


class AnalyticsConfigForm(SectionForm):
    """Whole numbers only; the ranges are the ``analytics`` section's validator's."""

    recommendation_days = forms.IntegerField(label="Recommendation window (days)")
    headroom_percent = forms.IntegerField(label="Headroom over P95 (%)")
    peak_floor_business_days = forms.IntegerField(
        label="Never below the peak of the last N business days", help_text="0: no floor"
    )
    unused_days = forms.IntegerField(label="Unused after (days)")
    expiring_days = forms.IntegerField(label="Expiring within (days)")
    dashboard_cache_seconds = forms.IntegerField(label="Dashboard cache (seconds)")


class ToolsConfigForm(SectionForm):
    lmutil_path = forms.CharField(
        label="lmutil path", max_length=500, strip=False, help_text="Absolute path or program name"
    )
    rlmutil_path = forms.CharField(
        label="rlmutil path", max_length=500, strip=False, help_text="Absolute path or program name"
    )


class FeatureIgnoreConfigForm(SectionForm):
    include = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=PATTERNS_HELP + " Empty: every feature.",
    )
    exclude = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text=PATTERNS_HELP
    )

    @classmethod
    def initial_from(cls, values: dict) -> dict:
        return {key: "\n".join(values[key]) for key in cls.base_fields}

    def values(self) -> dict:
        return {key: lines(self.cleaned_data[key]) for key in self.base_fields}
