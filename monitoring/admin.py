"""Django admin for every monitoring model.

Configuration (sites, servers, applications, deployments, feature mappings, departments,
users) is editable; the admin forms apply the same checks as the catalogue services
(address format, keystone on a deployed server, valid regular expressions) and every save
or delete is written to the audit trail. History written by polling and log import
(inventory changes, poll runs, sessions, samples, events, denial summaries, import batches)
is read-only."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from limon_site import audit
from limon_site.errors import LimonError
from monitoring.models import (
    Application,
    DenialSummary,
    Department,
    Deployment,
    Event,
    Feature,
    FeatureMapping,
    InventoryChange,
    LicenseServer,
    LicenseUser,
    LogFile,
    LogImport,
    PollRun,
    Session,
    Site,
    UsageSample,
    VendorDaemon,
)
from monitoring.services import applications, mappings, servers
from monitoring.services._common import snapshot


class AuditedAdmin(admin.ModelAdmin):
    """Saves and deletes recorded in the audit trail as ``<target>.created/updated/deleted``
    with old → new values of the form's fields."""

    audit_target = ""

    def _fields(self, form) -> list[str]:
        return [name for name in form.fields if name in {f.name for f in self.model._meta.fields}]

    def save_model(self, request, obj, form, change):
        fields = self._fields(form)
        before = {}
        if change:
            before = snapshot(type(obj).objects.get(pk=obj.pk), fields)
        super().save_model(request, obj, form, change)
        audit.record(
            actor=request.user,
            action=f"{self.audit_target}.{'updated' if change else 'created'}",
            target_type=self.audit_target,
            target_id=obj.pk,
            changes=audit.diff(before, snapshot(obj, fields)),
        )

    def delete_model(self, request, obj):
        before = snapshot(obj, [f.name for f in obj._meta.fields if f.name != "id"])
        target_id = obj.pk
        super().delete_model(request, obj)
        audit.record(
            actor=request.user,
            action=f"{self.audit_target}.deleted",
            target_type=self.audit_target,
            target_id=target_id,
            changes=audit.diff(before, {}),
        )

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class ReadOnlyAdmin(admin.ModelAdmin):
    """History tables: browsable, never edited by hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Site)
class SiteAdmin(AuditedAdmin):
    audit_target = "site"
    list_display = ["name", "code", "location", "timezone", "updated_at"]
    search_fields = ["name", "code", "location"]
    list_filter = ["timezone"]


class LicenseServerForm(forms.ModelForm):
    class Meta:
        model = LicenseServer
        fields = servers.SERVER_FIELDS

    def clean_address(self):
        try:
            return servers.validate_address(self.cleaned_data["address"])
        except LimonError as exc:
            raise ValidationError(exc.details["fields"]["address"]) from None


class VendorDaemonInline(admin.TabularInline):
    model = VendorDaemon
    extra = 0
    fields = ["name", "status", "version", "last_seen_at", "last_error"]
    readonly_fields = fields
    can_delete = False


@admin.register(LicenseServer)
class LicenseServerAdmin(AuditedAdmin):
    audit_target = "server"
    form = LicenseServerForm
    list_display = ["name", "kind", "address", "site", "status", "is_active", "last_polled_at"]
    search_fields = ["name", "address", "description"]
    list_filter = ["kind", "status", "is_active", "site"]
    actions = ["decommission", "reactivate"]
    readonly_fields = [
        "is_active",
        "status",
        "nodes",
        "last_polled_at",
        "last_success_at",
        "last_poll_duration_ms",
        "last_error",
        "poll_claimed_until",
        "decommissioned_at",
    ]
    inlines = [VendorDaemonInline]

    @admin.action(description="Decommission (keep history, stop polling)")
    def decommission(self, request, queryset):
        for server in queryset:
            servers.decommission_server(server, actor=request.user)

    @admin.action(description="Reactivate (poll again)")
    def reactivate(self, request, queryset):
        for server in queryset:
            servers.reactivate_server(server, actor=request.user)


@admin.register(VendorDaemon)
class VendorDaemonAdmin(ReadOnlyAdmin):
    list_display = ["name", "server", "status", "version", "last_seen_at"]
    search_fields = ["name", "server__name"]
    list_filter = ["status"]
    list_select_related = ["server"]


@admin.register(Feature)
class FeatureAdmin(ReadOnlyAdmin):
    list_display = ["name", "server", "vendor", "version", "issued", "in_use", "expires_on"]
    search_fields = ["name", "vendor", "server__name"]
    list_filter = ["kind", "is_present", "server"]
    list_select_related = ["server"]


@admin.register(InventoryChange)
class InventoryChangeAdmin(ReadOnlyAdmin):
    list_display = ["changed_at", "server", "feature_name", "change_type", "old_value", "new_value"]
    search_fields = ["feature_name", "vendor", "server__name", "note"]
    list_filter = ["change_type", "server"]
    date_hierarchy = "changed_at"
    list_select_related = ["server"]


@admin.register(PollRun)
class PollRunAdmin(ReadOnlyAdmin):
    list_display = ["polled_at", "server", "ok", "duration_ms", "features", "unparsed_count"]
    search_fields = ["server__name", "error"]
    list_filter = ["ok", "server"]
    date_hierarchy = "polled_at"
    list_select_related = ["server"]


class ApplicationForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = [*applications.APPLICATION_FIELDS, "keystone_feature"]

    def clean_keystone_feature(self):
        feature = self.cleaned_data.get("keystone_feature")
        if feature is None:
            return None
        deployed = self.instance.pk and self.instance.deployments.filter(
            server_id=feature.server_id
        )
        if not deployed or not deployed.exists():
            raise ValidationError(
                f"{feature.name} is on {feature.server}, where this application is not deployed."
            )
        return feature


@admin.register(Application)
class ApplicationAdmin(AuditedAdmin):
    audit_target = "application"
    form = ApplicationForm
    list_display = ["name", "vendor", "category", "is_critical", "cost_per_seat", "currency"]
    search_fields = ["name", "vendor", "category", "description"]
    list_filter = ["is_critical", "category", "vendor"]
    raw_id_fields = ["keystone_feature"]


@admin.register(Deployment)
class DeploymentAdmin(AuditedAdmin):
    audit_target = "deployment"
    list_display = ["application", "server", "seats", "scope", "environment", "contract_end"]
    search_fields = ["application__name", "server__name", "notes"]
    list_filter = ["scope", "environment", "server__site"]
    autocomplete_fields = ["application", "server"]
    list_select_related = ["application", "server"]


class FeatureMappingForm(forms.ModelForm):
    class Meta:
        model = FeatureMapping
        fields = mappings.MAPPING_FIELDS

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("match_type") == "regex" and cleaned.get("pattern"):
            try:
                mappings.validate_pattern(cleaned["pattern"], "regex")
            except LimonError as exc:
                raise ValidationError({"pattern": exc.details["fields"]["pattern"]}) from None
        return cleaned


@admin.register(FeatureMapping)
class FeatureMappingAdmin(AuditedAdmin):
    audit_target = "feature_mapping"
    form = FeatureMappingForm
    list_display = ["pattern", "match_type", "display_name", "application", "server", "priority"]
    search_fields = ["pattern", "display_name", "application__name"]
    list_filter = ["match_type", "application", "server"]
    autocomplete_fields = ["application", "server"]


@admin.register(Department)
class DepartmentAdmin(AuditedAdmin):
    audit_target = "department"
    list_display = ["name", "cost_center"]
    search_fields = ["name", "cost_center", "description"]
    list_filter = ["cost_center"]


@admin.register(LicenseUser)
class LicenseUserAdmin(AuditedAdmin):
    audit_target = "license_user"
    list_display = ["username", "display_name", "email", "department", "source", "last_seen_at"]
    search_fields = ["username", "display_name", "email"]
    list_filter = ["source", "department"]
    readonly_fields = ["first_seen_at", "last_seen_at", "last_synced_at"]


@admin.register(Session)
class SessionAdmin(ReadOnlyAdmin):
    list_display = ["user", "host", "feature", "server", "licenses", "status", "started_at"]
    search_fields = ["user__username", "host", "feature__name", "server__name"]
    list_filter = ["status", "source", "borrowed", "server"]
    date_hierarchy = "started_at"
    list_select_related = ["user", "feature", "server"]


@admin.register(UsageSample)
class UsageSampleAdmin(ReadOnlyAdmin):
    list_display = ["sampled_at", "feature", "server", "in_use", "reserved", "issued", "queued"]
    search_fields = ["feature__name", "server__name"]
    list_filter = ["server"]
    date_hierarchy = "sampled_at"
    list_select_related = ["feature", "server"]


class LogFileInline(admin.TabularInline):
    model = LogFile
    extra = 0
    fields = ["original_name", "size", "state", "byte_offset", "lines", "skipped_duplicate"]
    readonly_fields = fields
    can_delete = False


@admin.register(LogImport)
class LogImportAdmin(ReadOnlyAdmin):
    list_display = ["id", "server", "state", "created_by", "created_at", "lines", "events_created"]
    search_fields = ["server__name", "created_by", "error"]
    list_filter = ["state", "server"]
    list_select_related = ["server"]
    inlines = [LogFileInline]


@admin.register(LogFile)
class LogFileAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "server", "log_import", "size", "state", "lines"]
    search_fields = ["original_name", "sha256", "server__name"]
    list_filter = ["state", "skipped_duplicate", "server"]
    list_select_related = ["server", "log_import"]


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["occurred_at", "type", "feature_name", "username", "host", "server"]
    search_fields = ["feature_name", "username", "host", "reason"]
    list_filter = ["type", "is_false_denial", "server"]
    date_hierarchy = "occurred_at"
    list_select_related = ["server"]


@admin.register(DenialSummary)
class DenialSummaryAdmin(ReadOnlyAdmin):
    list_display = ["day", "server", "feature_name", "username", "true_denials", "false_denials"]
    search_fields = ["feature_name", "username", "server__name"]
    list_filter = ["server"]
    date_hierarchy = "day"
    list_select_related = ["server"]
