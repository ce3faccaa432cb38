"""Django admin for the staff side's models (imported by ``licensing.admin``)."""

from django.contrib import admin

from licensing.models import Anomaly, Resource, ResourceEvent


class ResourceEventInline(admin.TabularInline):
    model = ResourceEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "action", "license_key", "actor", "note"]
    fields = readonly_fields


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["identifier", "type", "status", "license", "allocated_at", "quarantined_until"]
    list_filter = ["type", "status"]
    search_fields = ["identifier", "notes", "license__key"]
    raw_id_fields = ["license"]
    readonly_fields = ["status", "license", "allocated_at", "created_at", "updated_at"]
    inlines = [ResourceEventInline]


@admin.register(ResourceEvent)
class ResourceEventAdmin(admin.ModelAdmin):
    list_display = ["at", "resource", "action", "license_key", "actor"]
    list_filter = ["action", "at"]
    search_fields = ["resource__identifier", "license_key", "actor"]
    raw_id_fields = ["resource"]


@admin.register(Anomaly)
class AnomalyAdmin(admin.ModelAdmin):
    list_display = ["type", "subject", "license_key", "first_seen", "last_seen", "resolved"]
    list_filter = ["type", "resolved", "last_seen"]
    search_fields = ["subject", "license_key", "resolved_by"]
    raw_id_fields = ["license"]
    readonly_fields = ["first_seen", "last_seen", "occurrences", "evidence"]
